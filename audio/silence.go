package audio

import "github.com/gopxl/beep/v2"

// SilenceSkipper is a stream that knows where it is silent. Writers use
// it to write long silences without asking the stream for them sample by
// sample, which is most of the work in a routine that is mostly quiet.
type SilenceSkipper interface {
	beep.Streamer
	// SkipSilence moves the stream past at most n frames of silence from
	// its position on, and returns how many it skipped: 0 when the next
	// frame is not silent. The frames skipped are those Stream would have
	// given as zeros.
	SkipSilence(n int) int
}

// skipSilence skips the silence at the start of s's next n frames, if s
// can tell.
func skipSilence(s beep.Streamer, n int) int {
	if sk, ok := s.(SilenceSkipper); ok && n > 0 {
		return sk.SkipSilence(n)
	}
	return 0
}
