//go:build cgo && !darwin && !windows

package speaker

// #cgo pkg-config: alsa
// #cgo linux LDFLAGS: -ldl
// #include <alsa/asoundlib.h>
// #include <dlfcn.h>
//
// static void limber_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
// static void limber_jack_quiet(const char *msg) {}
//
// // limber_silence_jack gives libjack, when the machine has it, message
// // handlers that print nothing. ALSA's jack plugin links libjack, and oto
// // tries every ALSA device when none works: libjack then prints its
// // own lines ("Cannot connect to server socket ...") straight to stderr,
// // past alsa-lib's handler. Loading the library first and setting its
// // handlers reaches the very copy the plugin loads later (one copy per
// // process); the handle is kept, so the library and its handlers stay.
// static void limber_silence_jack(void) {
// 	static void *jack;
// 	if (jack != NULL) return;
// 	jack = dlopen("libjack.so.0", RTLD_LAZY | RTLD_LOCAL);
// 	if (jack == NULL) return;
// 	void (*set_error)(void (*)(const char *)) = (void (*)(void (*)(const char *)))dlsym(jack, "jack_set_error_function");
// 	void (*set_info)(void (*)(const char *)) = (void (*)(void (*)(const char *)))dlsym(jack, "jack_set_info_function");
// 	if (set_error != NULL) set_error(limber_jack_quiet);
// 	if (set_info != NULL) set_info(limber_jack_quiet);
// }
//
// static void limber_silence_alsa(void) {
// 	snd_lib_error_set_handler(limber_alsa_quiet);
// 	limber_silence_jack();
// }
import "C"

// silenceALSA stops alsa-lib from printing its own error messages (a
// dozen "ALSA lib ... cannot find card" lines on a machine without one),
// and the JACK library its jack plugin loads from printing its own (five
// "Cannot connect to server socket" and "JackShmReadWritePtr" lines where
// no JACK server runs): limber reports the problem itself, in one line.
func silenceALSA() { C.limber_silence_alsa() }
