//go:build darwin || windows

package audio

// silenceALSA does nothing: there is no ALSA here.
func silenceALSA() {}
