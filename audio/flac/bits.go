package flac

import (
	"encoding/binary"
	"errors"
	"math/bits"
)

// bitWriter writes a big-endian bit stream.
type bitWriter struct {
	buf  []byte
	acc  uint64 // the last nacc bits written, not yet in buf
	nacc int    // under 32 between calls
}

func (w *bitWriter) reset() { w.buf, w.acc, w.nacc = w.buf[:0], 0, 0 }

// put writes the low n bits of v, n <= 64, moving 32 bits at a time into
// the buffer.
func (w *bitWriter) put(v uint64, n int) {
	if n > 32 {
		w.put(v>>32, n-32)
		v &= 1<<32 - 1
		n = 32
	}
	w.acc = w.acc<<n | v&(1<<n-1)
	w.nacc += n
	if w.nacc >= 32 {
		w.nacc -= 32
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(w.acc>>w.nacc))
	}
}

func (w *bitWriter) putSigned(v int64, n int) { w.put(uint64(v)&(1<<n-1), n) }

// putUnary writes q zeros and a one.
func (w *bitWriter) putUnary(q uint64) {
	for q >= 32 {
		w.put(0, 32)
		q -= 32
	}
	w.put(1, int(q)+1)
}

// putUTF8 writes a frame number in FLAC's UTF-8-like code.
func (w *bitWriter) putUTF8(v uint64) {
	if v < 0x80 {
		w.put(v, 8)
		return
	}
	n := 2
	for v >= 1<<(5*n+1) {
		n++
	}
	w.put(uint64(0xff<<(8-n))&0xff|v>>(6*(n-1)), 8)
	for i := n - 2; i >= 0; i-- {
		w.put(0x80|(v>>(6*i))&0x3f, 8)
	}
}

// align pads with zero bits to a whole byte.
func (w *bitWriter) align() {
	if r := w.nacc % 8; r > 0 {
		w.put(0, 8-r)
	}
}

// bytes returns the whole bytes written so far.
func (w *bitWriter) bytes() []byte {
	for w.nacc >= 8 {
		w.nacc -= 8
		w.buf = append(w.buf, byte(w.acc>>w.nacc))
	}
	return w.buf
}

// bitReader reads bits from a byte slice, most significant first; reading
// past its end gives zeros and sets err.
type bitReader struct {
	b   []byte
	pos int // in bits
	err error
}

var errShort = errors.New("the file ends inside a frame")

// word returns the 64 bits from pos on.
func (r *bitReader) word() uint64 {
	i := r.pos >> 3
	var w uint64
	if i+8 <= len(r.b) {
		w = binary.BigEndian.Uint64(r.b[i:])
	} else {
		for k := range 8 {
			w <<= 8
			if i+k < len(r.b) {
				w |= uint64(r.b[i+k])
			}
		}
	}
	return w << (r.pos & 7)
}

// read reads n bits, n <= 56.
func (r *bitReader) read(n int) uint64 {
	if n == 0 {
		return 0
	}
	v := r.word() >> (64 - n)
	r.pos += n
	if r.pos > 8*len(r.b) {
		r.err = errShort
	}
	return v
}

// signed reads n bits as a two's complement number, n <= 33.
func (r *bitReader) signed(n int) int64 {
	if n == 0 {
		return 0
	}
	if n > 32 {
		hi := int64(r.read(n - 32))
		lo := int64(r.read(32))
		v := hi<<32 | lo
		return v << (64 - n) >> (64 - n)
	}
	v := int64(r.read(n))
	return v << (64 - n) >> (64 - n)
}

// unary reads zeros up to a one and returns how many.
func (r *bitReader) unary() int {
	q := 0
	for {
		w := r.word()
		if w != 0 {
			z := bits.LeadingZeros64(w)
			r.pos += z + 1
			q += z
			break
		}
		skip := 64 - r.pos&7
		r.pos += skip
		q += skip
		if r.pos > 8*len(r.b) {
			r.err = errShort
			return 0
		}
	}
	if r.pos > 8*len(r.b) {
		r.err = errShort
	}
	return q
}
