package audio

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"github.com/gopxl/beep/v2"
)

// Tag is one Vorbis comment of a FLAC file: TITLE=Upper back.
type Tag struct{ Name, Value string }

// FLACOptions describe the FLAC file WriteFLAC makes.
type FLACOptions struct {
	Rate     int // samples per second
	Channels int // 1 (the stream's channels mixed) or 2
	// Markers become chapters: Vorbis comments in the form players and
	// ffmpeg read (CHAPTER001=00:00:05.867, CHAPTER001NAME=...) and a
	// CUESHEET with a track at each.
	Markers []Marker
	// Tags are further Vorbis comments (TITLE, ALBUM, ARTIST, ...).
	Tags []Tag
	// Progress, when set, is called after each block with the frames
	// written so far.
	Progress func(done int)
}

// flacBlock is the number of frames in each FLAC frame but the last.
const flacBlock = 4096

// flacVendor names the encoder in the file.
const flacVendor = "limber"

// WriteFLAC streams n frames of s to w as a 16-bit FLAC file: the same
// samples a WAV export holds (rounded alike), losslessly compressed. The
// stream is read twice, the first time for the MD5 signature FLAC
// carries in its header (rendering is cheap next to encoding), so w need
// not seek and a pipe works; where w can seek it is read once and the
// signature written in afterwards. Silence, most of a routine, costs a few
// bytes a block. The same stream and options always give the same bytes.
// WriteFLAC stops with ctx's error when ctx is cancelled.
func WriteFLAC(ctx context.Context, w io.Writer, s beep.StreamSeeker, n int, opts FLACOptions) error {
	if opts.Channels != 1 && opts.Channels != 2 {
		return fmt.Errorf("write flac: %d channels, want 1 or 2", opts.Channels)
	}
	if opts.Rate <= 0 || opts.Rate >= 1<<20 {
		return fmt.Errorf("write flac: rate %d", opts.Rate)
	}
	if n < 0 || n >= 1<<36 {
		return fmt.Errorf("write flac: %d frames", n)
	}
	// Where w can seek (a file), one pass: the MD5 signature goes into the
	// header afterwards. Else (a pipe) a first pass takes the signature.
	if ws, ok := w.(io.WriteSeeker); ok {
		if start, err := ws.Seek(0, io.SeekCurrent); err == nil {
			sum := md5.New()
			if _, err := w.Write(flacHeader(n, opts, [16]byte{})); err != nil {
				return err
			}
			if err := encodeFrames(ctx, w, newBlockReader(s, n, opts.Channels), opts, sum); err != nil {
				return err
			}
			var digest [16]byte
			sum.Sum(digest[:0])
			if _, err := ws.Seek(start+flacMD5At, io.SeekStart); err != nil {
				return err
			}
			if _, err := w.Write(digest[:]); err != nil {
				return err
			}
			_, err := ws.Seek(0, io.SeekEnd)
			return err
		}
	}
	blocks := newBlockReader(s, n, opts.Channels)
	sum := md5.New()
	raw := new([flacBlock * 4]byte)
	for {
		ch, got, err := blocks.next(ctx)
		if err != nil {
			return err
		}
		if got == 0 {
			break
		}
		hashBlock(sum, raw, ch, got, opts.Channels)
	}
	if err := s.Seek(0); err != nil {
		return fmt.Errorf("write flac: %w", err)
	}
	var digest [16]byte
	sum.Sum(digest[:0])
	if _, err := w.Write(flacHeader(n, opts, digest)); err != nil {
		return err
	}
	return encodeFrames(ctx, w, newBlockReader(s, n, opts.Channels), opts, nil)
}

// flacMD5At is where the MD5 signature sits in the file: after "fLaC",
// the STREAMINFO block's header and its first 18 bytes.
const flacMD5At = 4 + 4 + 18

// hashBlock adds a block's samples to the MD5 signature, as FLAC takes
// it: interleaved, 16-bit little-endian, made in raw.
func hashBlock(sum hash.Hash, raw *[flacBlock * 4]byte, ch [2][]int32, got, channels int) {
	b := raw[:2*channels*got]
	if !slices.ContainsFunc(ch[0][:got], nonzero) && (channels == 1 || !slices.ContainsFunc(ch[1][:got], nonzero)) {
		clear(b)
		sum.Write(b) // silence: zeros
		return
	}
	if channels == 1 {
		for i, v := range ch[0][:got] {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
		}
	} else {
		for i := range got {
			binary.LittleEndian.PutUint16(b[4*i:], uint16(ch[0][i]))
			binary.LittleEndian.PutUint16(b[4*i+2:], uint16(ch[1][i]))
		}
	}
	sum.Write(b)
}

func nonzero(v int32) bool { return v != 0 }

// encodeFrames encodes the blocks into FLAC frames on every core and
// writes them in order. A goroutine reads the next batch of blocks while
// the last one is encoded and, when sum is set, added to it.
func encodeFrames(ctx context.Context, w io.Writer, blocks *blockReader, opts FLACOptions, sum hash.Hash) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	size := 4 * workers
	raw := new([flacBlock * 4]byte) // the hasher's
	type job struct {
		ch  [2][]int32
		got int
		out []byte
	}
	type batch struct {
		jobs []job
		m    int // jobs filled
		err  error
	}
	free := make(chan *batch, 2)
	for range 2 {
		b := &batch{jobs: make([]job, size)}
		for i := range b.jobs {
			b.jobs[i].ch = [2][]int32{make([]int32, flacBlock), make([]int32, flacBlock)}
		}
		free <- b
	}
	full := make(chan *batch)
	stop := make(chan struct{})
	defer func() { // the reader must be done with the stream before we return
		close(stop)
		for range full {
		}
	}()
	go func() {
		defer close(full)
		for {
			var b *batch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.m, b.err = 0, nil
			for b.m < size {
				ch, got, err := blocks.next(ctx)
				if err != nil {
					b.err = err
					break
				}
				if got == 0 {
					break
				}
				j := &b.jobs[b.m]
				copy(j.ch[0], ch[0][:got])
				copy(j.ch[1], ch[1][:got])
				j.got = got
				b.m++
			}
			select {
			case full <- b:
			case <-stop:
				return
			}
			if b.err != nil || b.m < size {
				return
			}
		}
	}()

	encs := make([]*flacEncoder, workers)
	for i := range encs {
		encs[i] = newFLACEncoder(opts.Rate, opts.Channels)
	}
	done := 0
	frame := uint64(0)
	for b := range full {
		if b.err != nil {
			return b.err
		}
		var wg sync.WaitGroup
		if sum != nil {
			wg.Go(func() {
				for i := range b.m { // ch and got only: the encoders write out
					hashBlock(sum, raw, b.jobs[i].ch, b.jobs[i].got, opts.Channels)
				}
			})
		}
		for wi := range workers {
			wg.Go(func() {
				for j := wi; j < b.m; j += workers {
					b.jobs[j].out = append(b.jobs[j].out[:0], encs[wi].frame(frame+uint64(j), b.jobs[j].ch, b.jobs[j].got)...)
				}
			})
		}
		wg.Wait()
		for _, j := range b.jobs[:b.m] {
			if _, err := w.Write(j.out); err != nil {
				return err
			}
			done += j.got
		}
		frame += uint64(b.m)
		if opts.Progress != nil && b.m > 0 {
			opts.Progress(done)
		}
		free <- b
	}
	return nil
}

// blockReader pulls blocks of flacBlock frames from a stream and rounds
// them to 16-bit samples per channel, as the WAV writer does.
type blockReader struct {
	src      *pcmReader
	left     int
	channels int
	ch       [2][]int32
}

func newBlockReader(s beep.Streamer, n, channels int) *blockReader {
	return &blockReader{src: newPCMReader(s, channels, flacBlock), left: n, channels: channels,
		ch: [2][]int32{make([]int32, flacBlock), make([]int32, flacBlock)}}
}

func (b *blockReader) next(ctx context.Context) ([2][]int32, int, error) {
	if err := ctx.Err(); err != nil {
		return b.ch, 0, err
	}
	want := min(flacBlock, b.left)
	for got := 0; got < want; {
		k, silent, err := b.src.read(want - got)
		if errors.Is(err, errStreamEnded) {
			return b.ch, 0, errors.New("write flac: stream ended early")
		} else if err != nil {
			return b.ch, 0, fmt.Errorf("write flac: %w", err)
		}
		l, r := b.ch[0][got:got+k], b.ch[1][got:got+k]
		switch {
		case silent:
			clear(l)
			clear(r)
		case b.src.mono != nil:
			for i, v := range b.src.one[:k] {
				l[i] = int32(pcm16(v))
			}
		case b.channels == 1:
			for i, v := range b.src.stereo[:k] {
				l[i] = int32(pcm16((v[0] + v[1]) / 2))
			}
		default:
			for i, v := range b.src.stereo[:k] {
				l[i], r[i] = int32(pcm16(v[0])), int32(pcm16(v[1]))
			}
		}
		got += k
	}
	b.left -= want
	return b.ch, want, nil
}

// flacHeader is "fLaC" and the metadata blocks: STREAMINFO, a CUESHEET
// of the markers, then the Vorbis comments (tags and chapters). The
// comments come last because ffmpeg makes chapters of a cue sheet without
// names and names them from the comments that follow.
func flacHeader(n int, opts FLACOptions, digest [16]byte) []byte {
	out := []byte("fLaC")
	// STREAMINFO
	var si bitWriter
	si.put(flacBlock, 16)
	si.put(flacBlock, 16)
	si.put(0, 24) // minimum frame size: unknown
	si.put(0, 24) // maximum frame size: unknown
	si.put(uint64(opts.Rate), 20)
	si.put(uint64(opts.Channels-1), 3)
	si.put(15, 5) // 16 bits per sample
	si.put(uint64(n), 36)
	info := append(si.bytes(), digest[:]...)
	out = appendBlock(out, 0, false, info)
	// CUESHEET: a track at each marker (at most 254 of them, the most a
	// cue sheet that is not a CD's may number), then the lead-out.
	marks := opts.Markers
	if len(marks) > 254 {
		marks = marks[:254]
	}
	cs := make([]byte, 128)                   // media catalog number
	cs = binary.BigEndian.AppendUint64(cs, 0) // lead-in samples
	cs = append(cs, make([]byte, 259)...)     // not a CD; reserved
	cs = append(cs, byte(len(marks)+1))
	for i, m := range marks {
		cs = binary.BigEndian.AppendUint64(cs, uint64(m.Pos))
		cs = append(cs, byte(i+1))
		cs = append(cs, make([]byte, 12)...) // ISRC
		cs = append(cs, make([]byte, 14)...) // audio, no pre-emphasis; reserved
		cs = append(cs, 1)                   // one index point
		cs = binary.BigEndian.AppendUint64(cs, 0)
		cs = append(cs, 1, 0, 0, 0) // index 1; reserved
	}
	cs = binary.BigEndian.AppendUint64(cs, uint64(n)) // the lead-out
	cs = append(cs, 255)
	cs = append(cs, make([]byte, 12+14)...)
	cs = append(cs, 0)
	out = appendBlock(out, 5, false, cs)
	// VORBIS_COMMENT
	comments := make([]string, 0, len(opts.Tags)+2*len(opts.Markers))
	for _, t := range opts.Tags {
		comments = append(comments, t.Name+"="+t.Value)
	}
	for i, m := range opts.Markers {
		comments = append(comments,
			fmt.Sprintf("CHAPTER%03d=%s", i+1, chapterTime(m.Pos, opts.Rate)),
			fmt.Sprintf("CHAPTER%03dNAME=%s", i+1, m.Label))
	}
	vc := binary.LittleEndian.AppendUint32(nil, uint32(len(flacVendor)))
	vc = append(vc, flacVendor...)
	vc = binary.LittleEndian.AppendUint32(vc, uint32(len(comments)))
	for _, c := range comments {
		vc = binary.LittleEndian.AppendUint32(vc, uint32(len(c)))
		vc = append(vc, c...)
	}
	return appendBlock(out, 4, true, vc)
}

// appendBlock appends a metadata block of the given type.
func appendBlock(out []byte, kind byte, last bool, body []byte) []byte {
	if last {
		kind |= 0x80
	}
	return append(append(out, kind, byte(len(body)>>16), byte(len(body)>>8), byte(len(body))), body...)
}

// chapterTime formats a frame position as hh:mm:ss.mmm.
func chapterTime(pos, rate int) string {
	ms := (int64(pos)*1000 + int64(rate)/2) / int64(rate)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// flacEncoder encodes FLAC frames.
type flacEncoder struct {
	rate, channels int
	bw             bitWriter
	res            []int32
	// scratch of ricePlan
	sums, counts []uint64
	params       [2][]uint
}

func newFLACEncoder(rate, channels int) *flacEncoder {
	return &flacEncoder{rate: rate, channels: channels, res: make([]int32, flacBlock),
		sums: make([]uint64, 1<<maxPartitionOrder), counts: make([]uint64, 1<<maxPartitionOrder),
		params: [2][]uint{make([]uint, 1<<maxPartitionOrder), make([]uint, 1<<maxPartitionOrder)}}
}

// flacRateCodes are the sample rates a frame header can name itself;
// others refer to STREAMINFO.
var flacRateCodes = map[int]uint64{88200: 1, 176400: 2, 192000: 3, 8000: 4, 16000: 5, 22050: 6, 24000: 7,
	32000: 8, 44100: 9, 48000: 10, 96000: 11}

// frame encodes one FLAC frame of got frames from ch.
func (e *flacEncoder) frame(num uint64, ch [2][]int32, got int) []byte {
	w := &e.bw
	w.reset()
	w.put(0x3ffe, 14) // sync code
	w.put(0, 1)
	w.put(0, 1) // fixed block size
	if got == flacBlock {
		w.put(12, 4) // 4096
	} else {
		w.put(7, 4) // 16-bit (block size - 1) after the frame number
	}
	w.put(flacRateCodes[e.rate], 4)
	w.put(uint64(e.channels-1), 4) // independent channels
	w.put(4, 3)                    // 16 bits per sample
	w.put(0, 1)
	w.putUTF8(num)
	if got != flacBlock {
		w.put(uint64(got-1), 16)
	}
	w.put(uint64(crc8(w.bytes())), 8)
	for c := range e.channels {
		e.subframe(ch[c][:got])
	}
	w.align()
	w.put(uint64(crc16(w.bytes())), 16)
	return w.bytes()
}

// subframe encodes one channel of a block: a constant when every sample
// is equal (silence), else the fixed predictor of order 0 to 4 whose
// residual is smallest, Rice-coded in the best partitioning, or the
// samples verbatim if that would be smaller.
func (e *flacEncoder) subframe(x []int32) {
	w := &e.bw
	n := len(x)
	constant := true
	for _, v := range x[1:] {
		if v != x[0] {
			constant = false
			break
		}
	}
	if constant {
		w.put(0, 8) // constant
		w.putSigned(int64(x[0]), 16)
		return
	}
	order := bestFixedOrder(x)
	if cap(e.res) < n {
		e.res = make([]int32, n)
	}
	res := e.res[:n-order]
	fixedResidual(x, order, res)
	plan, size := e.ricePlan(res, n, order)
	if size >= uint64(16*n) { // noise: verbatim is smaller
		w.put(2, 8) // verbatim
		for _, v := range x {
			w.putSigned(int64(v), 16)
		}
		return
	}
	w.put(uint64(16|order<<1), 8) // 001xxx0: fixed, order xxx, no wasted bits
	for _, v := range x[:order] {
		w.putSigned(int64(v), 16)
	}
	w.put(0, 2) // 4-bit Rice parameters
	w.put(uint64(plan.order), 4)
	start := 0
	for p, k := range plan.params {
		end := (p+1)*(n>>plan.order) - order // residual i is sample i+order
		w.put(uint64(k), 4)
		for _, r := range res[start:end] {
			u := fold(r)
			w.putUnary(u >> k)
			w.put(u&(1<<k-1), int(k))
		}
		start = end
	}
}

// bestFixedOrder returns the order, 0 to 4, of the fixed predictor whose
// residual is smallest in magnitude, found in one pass: the residual of
// order k is the k-th difference of the signal.
func bestFixedOrder(x []int32) int {
	if len(x) < 5 {
		return 0
	}
	var sum [5]uint64
	p1 := int64(x[3]) - int64(x[2])
	p2 := p1 - (int64(x[2]) - int64(x[1]))
	p3 := p2 - ((int64(x[2]) - int64(x[1])) - (int64(x[1]) - int64(x[0])))
	prev := int64(x[3])
	for _, v := range x[4:] {
		e0 := int64(v)
		e1 := e0 - prev
		e2 := e1 - p1
		e3 := e2 - p2
		e4 := e3 - p3
		sum[0] += uint64(abs64(e0))
		sum[1] += uint64(abs64(e1))
		sum[2] += uint64(abs64(e2))
		sum[3] += uint64(abs64(e3))
		sum[4] += uint64(abs64(e4))
		prev, p1, p2, p3 = e0, e1, e2, e3
	}
	best := 0
	for o := 1; o < 5; o++ {
		if sum[o] < sum[best] {
			best = o
		}
	}
	return best
}

// fixedPredictError is x[i] less the fixed predictor's guess of it.
func fixedPredictError(x []int32, i, order int) int64 {
	a := int64(x[i])
	switch order {
	case 0:
		return a
	case 1:
		return a - int64(x[i-1])
	case 2:
		return a - 2*int64(x[i-1]) + int64(x[i-2])
	case 3:
		return a - 3*int64(x[i-1]) + 3*int64(x[i-2]) - int64(x[i-3])
	}
	return a - 4*int64(x[i-1]) + 6*int64(x[i-2]) - 4*int64(x[i-3]) + int64(x[i-4])
}

func fixedResidual(x []int32, order int, res []int32) {
	for i := order; i < len(x); i++ {
		res[i-order] = int32(fixedPredictError(x, i, order))
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// fold maps a signed residual to an unsigned one: 0, -1, 1, -2 ... to
// 0, 1, 2, 3 ...
func fold(r int32) uint64 { return uint64(uint32(r<<1) ^ uint32(r>>31)) }

// maxPartitionOrder bounds the Rice partitioning searched.
const maxPartitionOrder = 6

// riceParams is a partitioning of a residual and the Rice parameter of
// each partition.
type riceParams struct {
	order  int
	params []uint
}

// ricePlan chooses the partition order and Rice parameters that code the
// residual of a block of n samples (the first order of which are warm-up)
// in the fewest bits, and returns the plan and that size in bits.
//
// The sums of the folded residual in the finest partitions are taken in
// one pass and added up for the coarser ones; each partition's cost is
// estimated from its sum (m(k+1) + sum>>k bits), which picks the same
// parameters as counting exactly nearly always, at a fraction of the cost.
func (e *flacEncoder) ricePlan(res []int32, n, warm int) (riceParams, uint64) {
	top := 0
	for top < maxPartitionOrder && n%(1<<(top+1)) == 0 && n>>(top+1) > warm {
		top++
	}
	sums, counts := e.sums[:1<<top], e.counts[:1<<top]
	clear(sums)
	clear(counts)
	size := n >> top
	for i, r := range res {
		j := (i + warm) / size
		sums[j] += fold(r)
		counts[j]++
	}
	best := riceParams{}
	bestBits := uint64(1 << 63)
	for p := top; p >= 0; p-- {
		plan := riceParams{order: p, params: e.params[0][:len(sums)]} // the one tried
		total := uint64(0)
		for i := range sums {
			k, b := riceCost(sums[i], counts[i])
			plan.params[i] = k
			total += b + 4
		}
		if total < bestBits { // the best so far, kept in a buffer of its own
			best = riceParams{order: p, params: append(e.params[1][:0], plan.params...)}
			bestBits = total
		}
		if p > 0 { // merge pairs for the next coarser order
			for i := range len(sums) / 2 {
				sums[i] = sums[2*i] + sums[2*i+1]
				counts[i] = counts[2*i] + counts[2*i+1]
			}
			sums, counts = sums[:len(sums)/2], counts[:len(counts)/2]
		}
	}
	return best, bestBits + 8 + 6
}

// riceCost returns the Rice parameter for a partition of m folded values
// summing to sum, and the estimated bits it takes.
func riceCost(sum, m uint64) (uint, uint64) {
	if m == 0 {
		return 0, 0
	}
	guess := 0
	if mean := sum / m; mean > 0 {
		guess = bits.Len64(mean) - 1
	}
	bestK, bestBits := uint(0), uint64(1<<63)
	for k := max(guess-1, 0); k <= min(guess+1, 14); k++ {
		if b := m*uint64(k+1) + sum>>k; b < bestBits {
			bestK, bestBits = uint(k), b
		}
	}
	return bestK, bestBits
}

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

// crc8 is FLAC's frame header checksum (polynomial 0x07).
func crc8(b []byte) byte {
	var c byte
	for _, x := range b {
		c ^= x
		for range 8 {
			if c&0x80 != 0 {
				c = c<<1 ^ 0x07
			} else {
				c <<= 1
			}
		}
	}
	return c
}

// crc16Table is FLAC's frame checksum table (polynomial 0x8005).
var crc16Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x8005
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func crc16(b []byte) uint16 {
	var c uint16
	for _, x := range b {
		c = c<<8 ^ crc16Table[byte(c>>8)^x]
	}
	return c
}
