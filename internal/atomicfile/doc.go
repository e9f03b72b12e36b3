// Package atomicfile writes output files all or none.
//
// WriteFiles writes a set of files so that an interrupted or failed run
// never leaves a partial file or half of the set: each goes to a
// temporary file beside its target (an unnamed one where the system has
// them), and only when all are complete are they put in place. An
// existing file is replaced only when asked; devices and pipes are
// written in place; symbolic links are written through; the umask is
// respected. Files are handed to the disk as they are written, by a
// goroutine of their own. Temp is the same staging for one file a
// caller writes itself, and ReplaceFile writes one through it: for the
// files limber owns (cache entries), where a symbolic link at the name is
// replaced, never written through.
package atomicfile
