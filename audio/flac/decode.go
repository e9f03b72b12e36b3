package flac

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/gopxl/beep/v2"
)

// decoder decodes a FLAC stream. It reads the file a window at a time,
// checks every frame's CRC-8 and CRC-16, and seeks by looking for frame
// headers by bisection, decoding only the frame it lands in. Nothing is
// sized from the file beyond what its frames may hold (a block of at most
// 65535 samples of 8 channels). It implements beep.StreamSeekCloser.
type decoder struct {
	r          io.ReadSeeker
	end        int64 // file size
	audio      int64 // offset of the first frame
	rate       int
	channels   int
	bps        int
	blockSize  int    // STREAMINFO's maximum block size
	total      int    // samples per channel, 0 if not known
	win        []byte // the file from winAt
	winAt      int64
	next       int64 // offset of the next frame
	ch         [][]int32
	wide       [2][]int64 // a 32-bit stereo frame's channels, whose side takes 33 bits
	n, pos     int        // samples in the current frame, and the next one to hand out
	frameStart int        // sample number of the current frame
	scale      float64
	err        error
}

// windowSize is how much of the file the decoder reads at a time, at
// least: a frame must fit the window (see maxFrame).
const windowSize = 256 << 10

var errSync = errors.New("lost sync: no frame where one should be")

// streamInfoLen is the length of a STREAMINFO block's body.
const streamInfoLen = 34

// Decode reads r's metadata (STREAMINFO; the other blocks are skipped)
// and returns a stream of its samples: the first two channels, or the one
// channel on both sides. r must be seekable, so the stream can seek;
// closing the stream does not close r. A damaged frame ends the stream
// with an error saying where it is.
func Decode(r io.ReadSeeker) (beep.StreamSeekCloser, beep.Format, error) {
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, beep.Format{}, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, beep.Format{}, err
	}
	var head [4 + 4 + streamInfoLen]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:4]) != "fLaC" {
		return nil, beep.Format{}, errors.New("not a FLAC stream")
	}
	if head[4]&0x7f != 0 || binary.BigEndian.Uint32(head[4:])&0xffffff != streamInfoLen {
		return nil, beep.Format{}, errors.New("metadata: STREAMINFO block missing")
	}
	si := head[8:]
	d := &decoder{r: r, end: end}
	minBlock := int(binary.BigEndian.Uint16(si[0:]))
	d.blockSize = int(binary.BigEndian.Uint16(si[2:]))
	v := binary.BigEndian.Uint64(si[10:])
	d.rate = int(v >> 44)
	d.channels = int(v>>41&7) + 1
	d.bps = int(v>>36&31) + 1
	d.total = int(v & (1<<36 - 1))
	if minBlock < 16 || d.blockSize < minBlock || d.rate == 0 || d.bps < 4 {
		return nil, beep.Format{}, errors.New("metadata: STREAMINFO makes no sense")
	}
	// Skip the other metadata blocks.
	off := int64(len(head))
	for last := head[4]&0x80 != 0; !last; {
		var h [4]byte
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			return nil, beep.Format{}, err
		}
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return nil, beep.Format{}, fmt.Errorf("metadata: %w", err)
		}
		last = h[0]&0x80 != 0
		off += 4 + int64(binary.BigEndian.Uint32(h[:])&0xffffff)
		if off > end {
			return nil, beep.Format{}, errors.New("metadata: block runs past the end of the file")
		}
	}
	d.audio, d.next = off, off
	d.scale = 1 / float64(int64(1)<<(d.bps-1))
	d.ch = make([][]int32, d.channels)
	format := beep.Format{SampleRate: beep.SampleRate(d.rate), NumChannels: d.channels, Precision: d.bps / 8}
	return d, format, nil
}

// maxFrame bounds one frame's size in bytes: every sample verbatim, and
// the headers.
func (d *decoder) maxFrame(block int) int {
	return d.channels*block*(d.bps+1)/8 + d.channels*8 + 32
}

// window returns the file from offset at on, at least want bytes of it
// where the file has them.
func (d *decoder) window(at int64, want int) ([]byte, error) {
	if at+int64(want) > d.end {
		want = int(d.end - at)
	}
	if want <= 0 {
		return nil, io.EOF
	}
	if at >= d.winAt && at+int64(want) <= d.winAt+int64(len(d.win)) {
		return d.win[at-d.winAt:], nil
	}
	size := max(want, windowSize)
	if cap(d.win) < size {
		d.win = make([]byte, size)
	}
	d.win = d.win[:min(int64(size), d.end-at)]
	if _, err := d.r.Seek(at, io.SeekStart); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(d.r, d.win); err != nil {
		d.win = d.win[:0]
		return nil, err
	}
	d.winAt = at
	return d.win, nil
}

// frameHeader is what a frame's header says.
type frameHeader struct {
	block    int
	channels int
	assign   int // 0-7 independent, 8 left/side, 9 right/side, 10 mid/side
	bps      int
	first    int // first sample number
	size     int // header bytes
}

// header parses the frame header at the start of b, checked against
// STREAMINFO and its CRC-8.
func (d *decoder) header(b []byte) (frameHeader, error) {
	var h frameHeader
	if len(b) < 6 || b[0] != 0xff || b[1]&0xfe != 0xf8 {
		return h, errSync
	}
	variable := b[1]&1 != 0
	bsCode, rateCode := int(b[2]>>4), int(b[2]&15)
	h.assign = int(b[3] >> 4)
	sizeCode := int(b[3] >> 1 & 7)
	if rateCode == 15 || h.assign > 10 || sizeCode == 3 || b[3]&1 != 0 || bsCode == 0 {
		return h, errSync
	}
	// The frame or sample number, UTF-8 coded.
	i := 4
	c := b[i]
	n := bits.LeadingZeros8(^c)
	if n == 1 || n > 7 || i+n > len(b) {
		return h, errSync
	}
	num := uint64(c)
	if n > 1 {
		num = uint64(c & (0x7f >> n))
		for k := 1; k < n; k++ {
			if b[i+k]&0xc0 != 0x80 {
				return h, errSync
			}
			num = num<<6 | uint64(b[i+k]&0x3f)
		}
	} else {
		n = 1
	}
	i += n
	need := func(k int) bool { return i+k <= len(b) }
	switch {
	case bsCode == 1:
		h.block = 192
	case bsCode <= 5:
		h.block = 576 << (bsCode - 2)
	case bsCode == 6:
		if !need(1) {
			return h, errSync
		}
		h.block = int(b[i]) + 1
		i++
	case bsCode == 7:
		if !need(2) {
			return h, errSync
		}
		h.block = int(binary.BigEndian.Uint16(b[i:])) + 1
		i += 2
	default:
		h.block = 256 << (bsCode - 8)
	}
	switch rateCode {
	case 12:
		i++
	case 13, 14:
		i += 2
	}
	if !need(1) || crc8(b[:i]) != b[i] {
		return h, errSync
	}
	h.size = i + 1
	h.bps = [8]int{d.bps, 8, 12, 0, 16, 20, 24, 32}[sizeCode]
	h.channels = h.assign + 1
	if h.assign >= 8 {
		h.channels = 2
	}
	if h.channels != d.channels || h.bps != d.bps || h.block > d.blockSize {
		return h, errSync
	}
	if variable {
		h.first = int(num)
	} else {
		h.first = int(num) * d.blockSize
	}
	return h, nil
}

// frame decodes the frame at offset d.next.
func (d *decoder) frame() error {
	b, err := d.window(d.next, d.maxFrame(d.blockSize))
	if err != nil {
		return err
	}
	h, err := d.header(b)
	if err != nil {
		return err
	}
	br := bitReader{b: b, pos: 8 * h.size}
	// The side channel of stereo takes a bit more than the samples: 33
	// bits at 32, which int32 cannot hold, so such a frame is decoded in
	// 64 bits and narrowed once left and right are restored.
	wide := h.assign >= 8 && h.bps > 31
	for c := range d.channels {
		if cap(d.ch[c]) < h.block {
			d.ch[c] = make([]int32, d.blockSize)
		}
		d.ch[c] = d.ch[c][:h.block]
		bps := h.bps
		if h.assign == 8 && c == 1 || h.assign == 9 && c == 0 || h.assign == 10 && c == 1 {
			bps++ // the side channel
		}
		var err error
		if wide {
			if cap(d.wide[c]) < h.block {
				d.wide[c] = make([]int64, d.blockSize)
			}
			d.wide[c] = d.wide[c][:h.block]
			err = readSubframe(&br, d.wide[c], bps)
		} else {
			err = readSubframe(&br, d.ch[c], bps)
		}
		if err != nil {
			return err
		}
	}
	br.pos = (br.pos + 7) &^ 7
	end := br.pos/8 + 2
	if br.err != nil || end > len(b) {
		return errShort
	}
	if crc16(b[:end-2]) != binary.BigEndian.Uint16(b[end-2:]) {
		return errors.New("frame checksum mismatch")
	}
	if wide {
		decorrelate(d.wide[:], h.assign)
		for c, x := range d.wide {
			for i, v := range x {
				d.ch[c][i] = int32(v)
			}
		}
	} else {
		decorrelate(d.ch, h.assign)
	}
	d.next += int64(end)
	d.n, d.pos, d.frameStart = h.block, 0, h.first
	return nil
}

// sample is a decoded sample: int32, or int64 where a side channel takes
// 33 bits.
type sample interface{ int32 | int64 }

// decorrelate turns stereo decorrelated channels back into left and right.
func decorrelate[T sample](ch [][]T, assign int) {
	switch assign {
	case 8: // left, side
		for i, s := range ch[1] {
			ch[1][i] = ch[0][i] - s
		}
	case 9: // side, right
		for i, s := range ch[0] {
			ch[0][i] = s + ch[1][i]
		}
	case 10: // mid, side
		for i, s := range ch[1] {
			m := ch[0][i]<<1 | s&1
			ch[0][i], ch[1][i] = (m+s)>>1, (m-s)>>1
		}
	}
}

// readSubframe decodes one channel's subframe of bps bits from r into out.
func readSubframe[T sample](r *bitReader, out []T, bps int) error {
	if r.read(1) != 0 {
		return errors.New("a subframe's header is damaged")
	}
	kind := int(r.read(6))
	wasted := 0
	if r.read(1) == 1 {
		wasted = r.unary() + 1
		if wasted >= bps {
			return errors.New("subframe wastes every bit")
		}
		bps -= wasted
	}
	switch {
	case kind == 0:
		v := T(r.signed(bps))
		for i := range out {
			out[i] = v
		}
	case kind == 1:
		for i := range out {
			out[i] = T(r.signed(bps))
		}
	case kind >= 8 && kind <= 12:
		order := kind - 8
		if order > len(out) {
			return errors.New("predictor longer than its block")
		}
		for i := range order {
			out[i] = T(r.signed(bps))
		}
		if err := readResidual(r, out, order); err != nil {
			return err
		}
		fixedRestore(out, order)
	case kind >= 32:
		order := kind - 31
		if order > len(out) {
			return errors.New("predictor longer than its block")
		}
		for i := range order {
			out[i] = T(r.signed(bps))
		}
		precision := int(r.read(4)) + 1
		shift := int(r.signed(5))
		if precision == 16 || shift < 0 {
			return errors.New("invalid LPC precision or shift")
		}
		var coef [32]int64
		for i := range order {
			coef[i] = r.signed(precision)
		}
		if err := readResidual(r, out, order); err != nil {
			return err
		}
		lpcRestore(out, coef[:order], shift)
	default:
		return fmt.Errorf("reserved subframe type %d", kind)
	}
	if wasted > 0 {
		for i := range out {
			out[i] <<= wasted
		}
	}
	if r.err != nil {
		return r.err
	}
	return nil
}

// readResidual reads the Rice-coded residual of a block after its order
// warm-up samples from r into out[order:].
func readResidual[T sample](r *bitReader, out []T, order int) error {
	method := r.read(2)
	if method > 1 {
		return errors.New("reserved residual coding")
	}
	paramBits, escape := 4, uint64(15)
	if method == 1 {
		paramBits, escape = 5, 31
	}
	partOrder := int(r.read(4))
	parts := 1 << partOrder
	if len(out)%parts != 0 || len(out)>>partOrder < order {
		return errors.New("residual partitions do not fit the block")
	}
	i := order
	for p := range parts {
		n := len(out) >> partOrder
		if p == 0 {
			n -= order
		}
		k := r.read(paramBits)
		if k == escape {
			width := int(r.read(5))
			for range n {
				out[i] = T(r.signed(width))
				i++
			}
			continue
		}
		for range n {
			q := uint64(r.unary())
			v := q<<k | r.read(int(k))
			out[i] = T(int64(v>>1) ^ -int64(v&1))
			i++
			if r.err != nil {
				return r.err
			}
		}
	}
	return r.err
}

// Stream fills samples with decoded frames: the first two channels, or
// the one channel twice.
func (d *decoder) Stream(samples [][2]float64) (n int, ok bool) {
	for n < len(samples) {
		if d.err != nil {
			return n, n > 0
		}
		if d.pos == d.n {
			if d.total > 0 && d.frameStart+d.n >= d.total && d.n > 0 {
				d.err = io.EOF // what follows the last frame (a tag) is not audio
				continue
			}
			if err := d.frame(); err != nil {
				if err != io.EOF {
					d.err = fmt.Errorf("decode flac: damaged audio %.2f s in: %w", float64(d.frameStart+d.n)/float64(d.rate), err)
				} else {
					d.err = io.EOF
				}
				continue
			}
		}
		k := min(len(samples)-n, d.n-d.pos)
		l, r := d.ch[0][d.pos:d.pos+k], d.ch[0][d.pos:d.pos+k]
		if d.channels > 1 {
			r = d.ch[1][d.pos : d.pos+k]
		}
		out := samples[n : n+k]
		for i := range out {
			out[i] = [2]float64{float64(l[i]) * d.scale, float64(r[i]) * d.scale}
		}
		d.pos += k
		n += k
	}
	return n, true
}

// Err returns the error that stopped decoding, if any.
func (d *decoder) Err() error {
	if d.err == io.EOF {
		return nil
	}
	return d.err
}

// Len returns the samples per channel STREAMINFO gives, 0 if unknown.
func (d *decoder) Len() int { return d.total }

// Position returns the next sample Stream gives.
func (d *decoder) Position() int { return d.frameStart + d.pos }

// Seek moves to sample p: it finds the frame holding p by bisecting the
// file on frame headers, then decodes that frame.
func (d *decoder) Seek(p int) error {
	if p < 0 || d.total > 0 && p > d.total {
		return fmt.Errorf("decode flac: seek to %d outside [0, %d]", p, d.total)
	}
	d.err = nil
	lo, hi := d.audio, d.end // a frame at lo starts at or before p
	for hi-lo > windowSize/4 {
		mid := lo + (hi-lo)/2
		at, h, ok := d.findFrame(mid, hi)
		if !ok || h.first > p {
			hi = mid
		} else {
			lo = at
		}
	}
	if err := d.seekFrom(lo, p); err != nil && lo != d.audio {
		// A frame header found by chance in the audio: decode from the start.
		return d.seekFrom(d.audio, p)
	}
	return d.Err()
}

// seekFrom decodes frames from offset at until the one holding sample p.
func (d *decoder) seekFrom(at int64, p int) error {
	d.next, d.n, d.pos, d.frameStart, d.err = at, 0, 0, 0, nil
	for {
		if err := d.frame(); err != nil {
			if err == io.EOF && p == d.Position() {
				d.err = io.EOF
				return nil
			}
			d.err = fmt.Errorf("decode flac: seek: %w", err)
			return d.err
		}
		if p < d.frameStart {
			d.err = errors.New("decode flac: seek: frames out of order")
			return d.err
		}
		if p < d.frameStart+d.n {
			d.pos = p - d.frameStart
			return nil
		}
	}
}

// findFrame looks for a frame header from offset from on, before limit.
func (d *decoder) findFrame(from, limit int64) (int64, frameHeader, bool) {
	for at := from; at < limit; {
		b, err := d.window(at, 64<<10)
		if err != nil {
			return 0, frameHeader{}, false
		}
		for i := 0; i+1 < len(b) && at+int64(i) < limit; i++ {
			if b[i] != 0xff || b[i+1]&0xfe != 0xf8 {
				continue
			}
			if h, err := d.header(b[i:]); err == nil {
				return at + int64(i), h, true
			}
		}
		at += int64(max(len(b)-16, 1))
	}
	return 0, frameHeader{}, false
}

// Close does nothing: the file is the caller's.
func (d *decoder) Close() error { return nil }
