package resample

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"

	"github.com/limber-audio/limber/audio/tone"
)

// TestTables_SameOnEveryCPU: the filter taps and the tones, made with
// math.Sin and math.Cos, are the same float32 values on every CPU. Go's
// math functions may differ in their last bit between CPUs (arm64 fuses
// their multiply-adds, amd64 does not), and these tables are where that
// would reach the sound; the rounding to float32 absorbs it, and this
// hash, which must hold everywhere, says so. make cross runs it on
// arm64 (under qemu-aarch64-static) as well.
func TestTables_SameOnEveryCPU(t *testing.T) {
	h := sha256.New()
	var b [4]byte
	put := func(x []float32) {
		for _, v := range x {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			h.Write(b[:])
		}
	}
	for from := 8000; from <= 192000; from += 4999 {
		for _, to := range []int{8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 176400, 192000} {
			fb := newFilterBank(from, to)
			for p := range min(fb.up, 64) {
				put(fb.taps(p))
			}
		}
	}
	for rate := 8000; rate <= 192000; rate += 4999 {
		for tt := tone.Start; tt <= tone.Finish; tt++ {
			put(tt.Samples(rate))
		}
	}
	const want = "dcf40c0d0d2c9c821129bc29461c643b8f0c171f0102215d0212f6dcde37221e"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("tables hash to %s, want %s", got, want)
	}
}
