//go:build cgo && linux && !nopocketsphinx

package kws

/*
#cgo pkg-config: pocketsphinx sphinxbase
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <pocketsphinx.h>
#include <sphinxbase/err.h>

// pocketsphinx logs freely to stderr. limber keeps only the last error,
// to put in its own message.
static char limber_kws_last[512];

static void limber_kws_log(void *user, err_lvl_t lvl, const char *fmt, ...) {
	if (lvl < ERR_ERROR) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(limber_kws_last, sizeof limber_kws_last, fmt, ap);
	va_end(ap);
}

static void limber_kws_quiet(void) {
	err_set_logfp(NULL);
	err_set_callback(limber_kws_log, NULL);
	limber_kws_last[0] = 0;
}

static const char *limber_kws_error(void) { return limber_kws_last; }

// limber_kws_init starts a decoder whose only search is the keyphrase
// list in kws. Silence is kept (no voice activity detection), so frame
// numbers count every 10 ms of the audio fed. Dither (half a bit of
// noise, from a fixed seed so a run can be repeated) keeps stretches of
// digital silence, which a muted or gated input gives, from upsetting
// the features.
static ps_decoder_t *limber_kws_init(const char *hmm, const char *dict, const char *kws, const char *plp) {
	cmd_ln_t *c = cmd_ln_init(NULL, ps_args(), TRUE,
		"-hmm", hmm, "-dict", dict, "-kws", kws, "-kws_plp", plp,
		"-remove_silence", "no", "-samprate", "16000",
		"-dither", "yes", "-seed", "1", NULL);
	if (c == NULL) {
		return NULL;
	}
	ps_decoder_t *ps = ps_init(c);
	cmd_ln_free_r(c);
	return ps;
}

// limber_kws_detections copies the first max detections of the
// utterance so far into words, sf, ef and prob (how far the phrase beat
// the phone loop, in the decoder's log units), sums their frames and
// scores into sum, so that a change shows, and returns how many there
// are in all.
static int limber_kws_detections(ps_decoder_t *ps, const char **words, int *sf, int *ef, int *prob, int max, long *sum) {
	int n = 0;
	*sum = 0;
	for (ps_seg_t *seg = ps_seg_iter(ps); seg != NULL; seg = ps_seg_next(seg), n++) {
		int s, e;
		int32 ascr, lscr, lback;
		ps_seg_frames(seg, &s, &e);
		int32 p = ps_seg_prob(seg, &ascr, &lscr, &lback);
		*sum += s + 3 * (long)e + 7 * (long)p;
		if (n < max) {
			words[n] = ps_seg_word(seg);
			sf[n] = s;
			ef[n] = e;
			prob[n] = p;
		}
	}
	return n;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// initMu serialises decoder set-up: pocketsphinx's error log is global.
var initMu sync.Mutex

// Available reports whether this build has a decoder: nil here.
func Available() error { return nil }

// Decoder spots keyphrases in a stream of audio. Its methods are safe
// for concurrent use, though a stream has one feeder: Close from another
// goroutine waits for a Process under way.
//
// The whole stream is one utterance to pocketsphinx: its frame numbers
// then count every 10 ms from the first sample, which is what a
// detection's times are made from (after ending and starting an
// utterance, 0.8+5prealpha goes on counting frames from where it was,
// give or take a few, so a restart would blur them). The decoder's
// memory grows by a few dozen bytes a detection.
type Decoder struct {
	mu      sync.Mutex // one call into pocketsphinx at a time; Close waits for Process
	ps      *C.ps_decoder_t
	phrases map[string]bool
	seen    map[seenKey]seenAs // detections already returned, as they were
	listLen int                // the detection list when last read
	listSum int64
	floor   *floor      // nil without Config.NoiseFloor
	dn      *denoiser   // nil without Config.Denoise
	noise   *background // when to use dn's audio
	flips   flips       // where the decoder started and stopped hearing dn's audio
	frames  int64       // frames the front end has handed on
	buf     []int16     // the samples with the floor added, without dn
}

// seenKey tells one detection from another: the frame a phrase starts
// on.
type seenKey struct {
	phrase string
	sf     int
}

// seenAs is a detection as it was last returned.
type seenAs struct{ ef, prob int }

// New loads the model and starts listening for cfg's phrases.
func New(cfg Config) (*Decoder, error) {
	model, dict, kwsFile, cleanup, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	initMu.Lock()
	defer initMu.Unlock()
	C.limber_kws_quiet()
	plp := cfg.PhoneLoop
	if plp == 0 {
		plp = 0.1
	}
	cModel, cDict, cKws := C.CString(model), C.CString(dict), C.CString(kwsFile)
	cPlp := C.CString(strconv.FormatFloat(plp, 'e', -1, 64))
	defer C.free(unsafe.Pointer(cModel))
	defer C.free(unsafe.Pointer(cDict))
	defer C.free(unsafe.Pointer(cKws))
	defer C.free(unsafe.Pointer(cPlp))
	ps := C.limber_kws_init(cModel, cDict, cKws, cPlp)
	if ps == nil {
		return nil, fmt.Errorf("pocketsphinx: %s", lastError("cannot load the model "+model))
	}
	d := &Decoder{ps: ps, phrases: map[string]bool{}, seen: map[seenKey]seenAs{}}
	if cfg.Denoise > 0 {
		if d.dn, err = newDenoiser(cfg.Denoise); err != nil {
			C.ps_free(ps)
			return nil, err
		}
		d.noise = newBackground()
	}
	if cfg.NoiseFloor > 0 {
		d.floor = newFloor(cfg.NoiseFloor)
	}
	for _, p := range cfg.Phrases {
		d.phrases[p.Text] = true
	}
	if C.ps_start_utt(ps) < 0 {
		C.ps_free(ps)
		if d.dn != nil {
			d.dn.close()
		}
		return nil, fmt.Errorf("pocketsphinx: %s", lastError("cannot start listening"))
	}
	return d, nil
}

// lastError returns pocketsphinx's last error message, or fallback.
func lastError(fallback string) string {
	msg := strings.TrimSpace(C.GoString(C.limber_kws_error()))
	if msg == "" {
		return fallback
	}
	return strings.ToLower(msg[:1]) + msg[1:]
}

// ErrClosed is returned by Process after Close.
var ErrClosed = errors.New("kws: decoder closed")

// Process feeds the next samples and returns the phrases heard in them,
// in the order they end. A phrase is reported as soon as it scores above
// its threshold, which can be a little before it ends; when it then
// scores better a few frames on, it is reported again with the same
// Phrase and Start and a new End and Score, which supersede the old
// ones. Where the audio resembles several phrases, several are reported
// over the same stretch: the one with the highest Score is the
// likeliest.
func (d *Decoder) Process(samples []int16) ([]Detection, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ps == nil {
		return nil, ErrClosed
	}
	if len(samples) == 0 {
		return nil, nil
	}
	if d.dn != nil || d.floor != nil {
		samples = d.frontEnd(samples)
		if len(samples) == 0 {
			return nil, nil
		}
	}
	if C.ps_process_raw(d.ps, (*C.int16)(unsafe.Pointer(&samples[0])), C.size_t(len(samples)), 0, 0) < 0 {
		return nil, fmt.Errorf("pocketsphinx: %s", lastError("cannot process audio"))
	}
	if C.ps_get_hyp(d.ps, nil) == nil {
		return nil, nil
	}
	// A detection already made can be moved and rescored in place when
	// the same phrase scores better a few frames on; only a change in
	// the list is worth reading it whole.
	var sum C.long
	n := int(C.limber_kws_detections(d.ps, nil, nil, nil, nil, 0, &sum))
	if n == d.listLen && int64(sum) == d.listSum {
		return nil, nil
	}
	d.listLen, d.listSum = n, int64(sum)
	words := make([]*C.char, n)
	sf, ef, prob := make([]C.int, n), make([]C.int, n), make([]C.int, n)
	n = min(n, int(C.limber_kws_detections(d.ps, &words[0], &sf[0], &ef[0], &prob[0], C.int(n), &sum)))
	var out []Detection
	for i := range n {
		phrase := strings.TrimSpace(C.GoString(words[i])) // 0.8+5prealpha ends it with a space
		if !d.phrases[phrase] {
			continue
		}
		key, now := seenKey{phrase, int(sf[i])}, seenAs{int(ef[i]), int(prob[i])}
		if was, ok := d.seen[key]; ok && was == now {
			continue
		}
		d.seen[key] = now
		out = append(out, Detection{Phrase: phrase, Start: int64(sf[i]) * FrameLen, End: int64(ef[i]+1) * FrameLen, Score: int(prob[i]), Denoised: d.flips.on(int64(ef[i]))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].End < out[j].End })
	return out, nil
}

// frontEnd returns what the decoder is to hear of samples: where the
// background is noisy, denoised (whole frames of the noise suppressor
// only: the rest waits for the next call); with the floor under it. The
// suppressor runs on every frame, noisy or not, so that it knows the
// noise when it is needed.
func (d *Decoder) frontEnd(samples []int16) []int16 {
	var out []int16
	if d.dn == nil {
		d.buf = append(d.buf[:0], samples...)
		out = d.buf
	} else {
		raw, clean := d.dn.run(samples)
		for i := 0; i < len(raw); i += FrameLen {
			noisy := d.noise.add(raw[i : i+FrameLen])
			if noisy {
				copy(raw[i:i+FrameLen], clean[i:i+FrameLen])
			}
			d.flips.set(d.frames, noisy)
			d.frames++
		}
		out = raw // the denoiser's own buffer, valid until its next run
	}
	if d.floor != nil {
		d.floor.add(out)
	}
	return out
}

// Close frees the decoder, once a Process under way on another
// goroutine has returned; Process after it returns ErrClosed. It is safe
// to call twice.
func (d *Decoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ps != nil {
		C.ps_end_utt(d.ps)
		C.ps_free(d.ps)
		d.ps = nil
		if d.dn != nil {
			d.dn.close()
		}
	}
	return nil
}
