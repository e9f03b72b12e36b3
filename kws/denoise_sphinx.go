//go:build cgo && linux && !nopocketsphinx

package kws

/*
#cgo pkg-config: speexdsp
#include <speex/speex_preprocess.h>

// limber_kws_denoiser starts speexdsp's preprocessor with only its noise
// suppressor on, lowering what it takes for steady noise by suppress
// decibels (a negative number).
static SpeexPreprocessState *limber_kws_denoiser(int frame, int rate, int suppress) {
	SpeexPreprocessState *st = speex_preprocess_state_init(frame, rate);
	if (st == NULL) {
		return NULL;
	}
	int on = 1, off = 0;
	speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_DENOISE, &on);
	speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_AGC, &off);
	speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_DEREVERB, &off);
	speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &suppress);
	return st;
}
*/
import "C"

import (
	"errors"
	"math"
	"unsafe"
)

// denoiseFrame is the length, in samples, of the frames the noise
// suppressor works on: 20 ms, two of the decoder's frames.
const denoiseFrame = 2 * FrameLen

// denoiser lowers a steady background noise (a fan, traffic, a
// computer's hum) in the audio, with speexdsp's noise suppressor: it
// learns the noise's spectrum where no one speaks and takes it out of
// every frame. It works on whole frames of denoiseFrame samples and
// holds back the rest for the next call.
type denoiser struct {
	st         *C.SpeexPreprocessState
	held       []int16 // the samples fed and not yet returned
	raw, clean []int16 // what run returned last, reused
}

// newDenoiser returns a denoiser that lowers steady noise by up to db
// decibels.
func newDenoiser(db float64) (*denoiser, error) {
	st := C.limber_kws_denoiser(denoiseFrame, SampleRate, C.int(-math.Round(db)))
	if st == nil {
		return nil, errors.New("speexdsp: cannot start the noise suppressor")
	}
	return &denoiser{st: st}, nil
}

// run takes the next samples and returns those of the whole frames fed
// so far, as they came and denoised; a part frame is kept for the next
// call. The slices returned are valid until the next call.
func (dn *denoiser) run(samples []int16) (raw, clean []int16) {
	dn.held = append(dn.held, samples...)
	n := len(dn.held) / denoiseFrame * denoiseFrame
	dn.raw = append(dn.raw[:0], dn.held[:n]...)
	dn.clean = append(dn.clean[:0], dn.held[:n]...)
	dn.held = append(dn.held[:0], dn.held[n:]...)
	for i := 0; i < n; i += denoiseFrame {
		C.speex_preprocess_run(dn.st, (*C.spx_int16_t)(unsafe.Pointer(&dn.clean[i])))
	}
	return dn.raw, dn.clean
}

// close frees the suppressor; it is safe to call twice.
func (dn *denoiser) close() {
	if dn.st != nil {
		C.speex_preprocess_state_destroy(dn.st)
		dn.st = nil
	}
}
