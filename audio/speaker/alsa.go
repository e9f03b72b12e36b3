//go:build cgo && !darwin && !windows

package speaker

// #cgo pkg-config: alsa
// #include <alsa/asoundlib.h>
//
// static void limber_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
// static void limber_silence_alsa(void) { snd_lib_error_set_handler(limber_alsa_quiet); }
import "C"

// silenceALSA stops alsa-lib from printing its own error messages (a
// dozen "ALSA lib ... cannot find card" lines on a machine without one):
// limber reports the problem itself, in one line.
func silenceALSA() { C.limber_silence_alsa() }
