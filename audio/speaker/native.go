//go:build darwin || windows

package speaker

// silenceALSA does nothing: there is no ALSA here.
func silenceALSA() {}
