package flac

// encoder encodes FLAC frames.
type encoder struct {
	rate, channels int
	bw             bitWriter
	res            []int32
	// scratch of ricePlan
	sums, counts []uint64
	params       [2][]uint
}

func newEncoder(rate, channels int) *encoder {
	return &encoder{rate: rate, channels: channels, res: make([]int32, blockFrames),
		sums: make([]uint64, 1<<maxPartitionOrder), counts: make([]uint64, 1<<maxPartitionOrder),
		params: [2][]uint{make([]uint, 1<<maxPartitionOrder), make([]uint, 1<<maxPartitionOrder)}}
}

// rateCodes are the sample rates a frame header can name itself;
// others refer to STREAMINFO.
var rateCodes = map[int]uint64{88200: 1, 176400: 2, 192000: 3, 8000: 4, 16000: 5, 22050: 6, 24000: 7,
	32000: 8, 44100: 9, 48000: 10, 96000: 11}

// frame encodes one FLAC frame of got frames from ch.
func (e *encoder) frame(num uint64, ch [2][]int32, got int) []byte {
	w := &e.bw
	w.reset()
	w.put(0x3ffe, 14) // sync code
	w.put(0, 1)
	w.put(0, 1) // fixed block size
	if got == blockFrames {
		w.put(12, 4) // 4096
	} else {
		w.put(7, 4) // 16-bit (block size - 1) after the frame number
	}
	w.put(rateCodes[e.rate], 4)
	w.put(uint64(e.channels-1), 4) // independent channels
	w.put(4, 3)                    // 16 bits per sample
	w.put(0, 1)
	w.putUTF8(num)
	if got != blockFrames {
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
func (e *encoder) subframe(x []int32) {
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
