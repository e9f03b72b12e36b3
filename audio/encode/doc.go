// Package encode is the table of the file formats limber writes: each
// row names a format, the extension that chooses it and its codec's
// writer. Every writer takes the same audio.Options, so a new format is
// a codec package and one row here.
package encode
