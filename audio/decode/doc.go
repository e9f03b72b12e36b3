// Package decode opens any audio file limber reads (a music bed, a
// recording, a built-in clip) by its extension: WAV and FLAC with
// limber's own decoders (packages wav and flac), MP3 and Ogg Vorbis with
// beep's, behind guards that turn a decoder's panic on a malformed file
// into an error, refuse rates limber does not play and samples that are
// not finite numbers, and keep an Ogg file's comments (sizes the decoder
// would take on trust) from ever being read.
package decode
