package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// safeFLAC presents a FLAC file to the decoder with only its STREAMINFO
// metadata block and, checked, its SEEKTABLE: the decoder (mewkiz/flac)
// trusts the counts inside other blocks and, given a broken
// VORBIS_COMMENT, allocates gigabytes and kills the process. STREAMINFO is
// all that decoding needs; the seek table spares a seek the decoder's own
// way, which decodes the whole file first (9.7 s for an hour of music).
type safeFLAC struct {
	head  []byte        // "fLaC" + the STREAMINFO block, marked last
	r     io.ReadSeeker // the original file
	audio int64         // offset of the first audio frame in r
	size  int64         // length of the presented stream
	pos   int64
}

// streamInfoLen is the length of a STREAMINFO block's body.
const streamInfoLen = 34

// newSafeFLAC reads the metadata block headers of r and returns the file
// without the blocks after STREAMINFO.
func newSafeFLAC(r io.ReadSeeker) (*safeFLAC, error) {
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != "fLaC" {
		return nil, errors.New("not a FLAC stream")
	}
	var head, table []byte
	off := int64(4)
	for {
		var h [4]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
		last := h[0]&0x80 != 0
		kind := h[0] & 0x7f
		n := int64(binary.BigEndian.Uint32(h[:]) & 0xffffff)
		if head == nil {
			if kind != 0 || n != streamInfoLen {
				return nil, errors.New("metadata: STREAMINFO block missing")
			}
			body := make([]byte, streamInfoLen)
			if _, err := io.ReadFull(r, body); err != nil {
				return nil, fmt.Errorf("metadata: %w", err)
			}
			head = append([]byte("fLaC"), 0x80, 0, 0, streamInfoLen) // STREAMINFO, last block
			head = append(head, body...)
		} else if kind == seekTableBlock && n%seekPointLen == 0 && n <= maxSeekTable && table == nil {
			body := make([]byte, n)
			if _, err := io.ReadFull(r, body); err != nil {
				return nil, fmt.Errorf("metadata: %w", err)
			}
			table = body
		} else if _, err := r.Seek(n, io.SeekCurrent); err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
		off += 4 + n
		if off > end {
			return nil, errors.New("metadata: block runs past the end of the file")
		}
		if last {
			break
		}
	}
	if points := seekPoints(table, binary.BigEndian.Uint64(head[8+10:])&(1<<36-1), end-off); len(points) > seekPointLen {
		head[4] = 0 // STREAMINFO is no longer the last block
		n := len(points)
		head = append(head, 0x80|seekTableBlock, byte(n>>16), byte(n>>8), byte(n))
		head = append(head, points...)
	}
	return &safeFLAC{head: head, r: r, audio: off, size: int64(len(head)) + end - off}, nil
}

// The SEEKTABLE block: seek points of 18 bytes, a table of at most
// maxSeekTable bytes taken (a point every 10 s for 100 hours).
const (
	seekTableBlock = 3
	seekPointLen   = 18
	maxSeekTable   = 36000 * seekPointLen
)

// seekPoints returns the points of a SEEKTABLE body that can be trusted,
// as a body: a point at the first frame, then each point of the table
// before the stream's end (samples of them, 0 if not known) and inside
// its audio (audioLen bytes), after the point before it in samples and in
// offset; placeholders and anything else are dropped.
func seekPoints(table []byte, samples uint64, audioLen int64) []byte {
	out := make([]byte, seekPointLen, seekPointLen+len(table))
	out[17] = 1 // the first frame, at 0: its length is not needed
	var lastSample, lastOffset uint64
	for p := table; len(p) >= seekPointLen; p = p[seekPointLen:] {
		sample, offset := binary.BigEndian.Uint64(p), binary.BigEndian.Uint64(p[8:])
		frame := binary.BigEndian.Uint16(p[16:])
		if frame == 0 || sample <= lastSample || offset <= lastOffset || offset >= uint64(audioLen) ||
			samples != 0 && sample >= samples {
			continue
		}
		out = append(out, p[:seekPointLen]...)
		lastSample, lastOffset = sample, offset
	}
	return out
}

func (f *safeFLAC) Read(p []byte) (int, error) {
	if f.pos >= f.size {
		return 0, io.EOF
	}
	if f.pos < int64(len(f.head)) {
		n := copy(p, f.head[f.pos:])
		f.pos += int64(n)
		return n, nil
	}
	if _, err := f.r.Seek(f.audio+f.pos-int64(len(f.head)), io.SeekStart); err != nil {
		return 0, err
	}
	n, err := f.r.Read(p[:min(int64(len(p)), f.size-f.pos)])
	f.pos += int64(n)
	return n, err
}

func (f *safeFLAC) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.size
	}
	if offset < 0 {
		return 0, errors.New("seek before the start")
	}
	f.pos = offset
	return offset, nil
}
