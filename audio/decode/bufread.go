package decode

import (
	"io"
)

// bufferedReadSeeker reads ahead in blocks, so decoders that read a few
// bytes at a time (MP3 while it scans for frames, Ogg) do not make a
// system call for each.
type bufferedReadSeeker struct {
	r   io.ReadSeeker
	buf []byte
	off int   // next byte of buf to hand out
	n   int   // valid bytes in buf
	pos int64 // file position of buf[0]
}

func newBufferedReadSeeker(r io.ReadSeeker) *bufferedReadSeeker {
	return &bufferedReadSeeker{r: r, buf: make([]byte, 64<<10)}
}

func (b *bufferedReadSeeker) Read(p []byte) (int, error) {
	if b.off == b.n {
		if len(p) >= len(b.buf) { // large reads go straight through
			n, err := b.r.Read(p)
			b.pos += int64(b.n) + int64(n)
			b.off, b.n = 0, 0
			return n, err
		}
		b.pos += int64(b.n)
		n, err := b.r.Read(b.buf)
		b.off, b.n = 0, n
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, b.buf[b.off:b.n])
	b.off += n
	return n, nil
}

func (b *bufferedReadSeeker) Seek(offset int64, whence int) (int64, error) {
	cur := b.pos + int64(b.off)
	var target int64
	switch whence {
	case io.SeekStart:
		target = offset
	case io.SeekCurrent:
		target = cur + offset
	default:
		pos, err := b.r.Seek(offset, whence)
		b.pos, b.off, b.n = pos, 0, 0
		return pos, err
	}
	if target >= b.pos && target <= b.pos+int64(b.n) { // inside the buffer
		b.off = int(target - b.pos)
		return target, nil
	}
	pos, err := b.r.Seek(target, io.SeekStart)
	b.pos, b.off, b.n = pos, 0, 0
	return pos, err
}
