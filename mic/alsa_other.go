//go:build cgo && !linux

package mic

// quietALSA does nothing: there is no ALSA here.
func quietALSA() {}
