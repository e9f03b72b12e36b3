// Package music plays a music bed: an audio file looped for as long as
// it is played, at the rate asked for (Loop). Decoding and resampling run
// ahead of the reader in goroutines of their own (prefetch), and one pass
// of each bed is kept decoded on disk (Cache), so the next time it is
// read, not decoded, and seeking in it is instant. The samples are the
// same whichever way they come.
package music
