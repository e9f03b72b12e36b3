//go:build cgo && linux

package mic

// #cgo pkg-config: alsa
// #include <alsa/asoundlib.h>
//
// static void limber_mic_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
// static void limber_mic_silence_alsa(void) { snd_lib_error_set_handler(limber_mic_alsa_quiet); }
import "C"

// quietALSA stops alsa-lib, which miniaudio loads, from printing its own
// messages (a dozen "ALSA lib ... cannot find card" lines on a machine
// without a sound card): limber says what went wrong in one line.
func quietALSA() { C.limber_mic_silence_alsa() }
