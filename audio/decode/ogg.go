package decode

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/limber-audio/limber/internal/oggcrc"
)

// An Ogg Vorbis file begins with three header packets: identification,
// comments and setup. The decoder (jfreymuth/vorbis) reads the comment
// header by the counts it states, allocating a slice of 2³¹−1 strings
// for a file that says it has that many, and the Ogg layer below it
// gathers a packet whole, whatever its size: a 90 MB comment took
// 285 MB. limber needs no comment, so the decoder is handed the file
// with its comment packet replaced by an empty one, spliced in without
// reading the comments or holding them.

// Limits on the header packets limber hands the decoder.
const (
	// maxIdentPacket: the identification header is 30 bytes and must be
	// alone on the first page.
	maxIdentPacket = 255
	// maxSetupPacket bounds the setup header (codebooks), which encoders
	// make a few kilobytes long.
	maxSetupPacket = 8 << 20
)

// emptyComments is a Vorbis comment header with no vendor string and no
// comments, and its framing bit.
var emptyComments = []byte{3, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 0, 0, 0, 0, 1}

// oggPage is one page of an Ogg stream as read from a file.
type oggPage struct {
	off     int64    // where it starts in the file
	head    [27]byte // its fixed header
	segs    []byte   // its segment table (lacing values)
	content []byte   // read only for the pages that are rewritten
}

func (p *oggPage) size() int64 {
	n := int64(27 + len(p.segs))
	for _, s := range p.segs {
		n += int64(s)
	}
	return n
}

// withoutComments returns r as the decoder is to see it: the Ogg stream
// with its second packet, the comment header, replaced by emptyComments.
// The pages that held it are read through, never kept; the one where it
// starts and the one where it ends are rewritten into one page (their
// checksums checked first, the new page's computed). A stream that does
// not start with an Ogg page is returned as it is, for the decoder to
// refuse; one whose headers are malformed or too large is an error.
func withoutComments(r io.ReadSeeker) (io.ReadSeeker, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, err := br.Peek(4); err != nil || string(magic) != "OggS" {
		r.Seek(0, io.SeekStart)
		return r, nil
	}
	var (
		first, last *oggPage // where the comment packet starts and ends
		from, to    int      // its segments: from on first, up to to on last
		packet      = -1     // the packet the last segment belongs to
		inPacket    bool     // the last segment was 255: the packet goes on
		packetBytes int64
		off         int64
	)
	for page := 0; ; page++ {
		p, err := readPageHead(br, off)
		if err != nil {
			return nil, fmt.Errorf("ogg headers: %w", err)
		}
		if continued := p.head[5]&1 != 0; continued != inPacket {
			return nil, errors.New("ogg headers: a packet continued where none was begun, or not continued")
		}
		rewrite := false
		for i, s := range p.segs {
			if !inPacket {
				packet, packetBytes = packet+1, 0
				if packet == 1 {
					first, from, rewrite = p, i, true
				}
			}
			packetBytes += int64(s)
			inPacket = s == 255
			switch {
			case packet == 0 && (page > 0 || packetBytes > maxIdentPacket):
				return nil, errors.New("ogg headers: the identification header is not alone on the first page")
			case packet == 1 && !inPacket:
				last, to, rewrite = p, i, true
			case packet == 2 && packetBytes > maxSetupPacket:
				return nil, fmt.Errorf("ogg headers: a setup header larger than %d MiB", maxSetupPacket>>20)
			}
		}
		if rewrite {
			if err := readPageContent(br, p); err != nil {
				return nil, fmt.Errorf("ogg headers: %w", err)
			}
		} else if _, err := br.Discard(int(p.size()) - 27 - len(p.segs)); err != nil {
			return nil, fmt.Errorf("ogg headers: %w", noEOF(err))
		}
		off += p.size()
		if last == nil || packet < 2 || inPacket {
			continue
		}
		// The setup header is whole too: splice.
		page, err := splicePage(first, from, last, to)
		if err != nil {
			return nil, err
		}
		return &splicedReader{r: r, head: first.off, page: page, tail: last.off + last.size(), size: size, rpos: -1}, nil
	}
}

// readPageHead reads the fixed header and the segment table of the page
// at off.
func readPageHead(br *bufio.Reader, off int64) (*oggPage, error) {
	p := &oggPage{off: off}
	if _, err := io.ReadFull(br, p.head[:]); err != nil {
		return nil, noEOF(err)
	}
	if string(p.head[:4]) != "OggS" || p.head[4] != 0 {
		return nil, fmt.Errorf("no Ogg page at byte %d", off)
	}
	p.segs = make([]byte, p.head[26])
	if _, err := io.ReadFull(br, p.segs); err != nil {
		return nil, noEOF(err)
	}
	if len(p.segs) == 0 {
		return nil, fmt.Errorf("an empty Ogg page at byte %d", off)
	}
	return p, nil
}

// readPageContent reads the page's data and checks its checksum.
func readPageContent(br *bufio.Reader, p *oggPage) error {
	p.content = make([]byte, p.size()-27-int64(len(p.segs)))
	if _, err := io.ReadFull(br, p.content); err != nil {
		return noEOF(err)
	}
	head := p.head
	binary.LittleEndian.PutUint32(head[22:], 0)
	crc := oggcrc.Update(oggcrc.Update(oggcrc.Update(0, head[:]), p.segs), p.content)
	if crc != binary.LittleEndian.Uint32(p.head[22:]) {
		return fmt.Errorf("the Ogg page at byte %d fails its checksum", p.off)
	}
	return nil
}

// splicePage makes the one page that stands for first..last: first's
// segments before from, emptyComments, and last's segments after to,
// with their data, under first's header (flags, serial number, sequence)
// and last's granule position.
func splicePage(first *oggPage, from int, last *oggPage, to int) ([]byte, error) {
	before := 0
	for _, s := range first.segs[:from] {
		before += int(s)
	}
	after := 0
	for _, s := range last.segs[:to+1] {
		after += int(s)
	}
	segs := append(append(append([]byte(nil), first.segs[:from]...), byte(len(emptyComments))), last.segs[to+1:]...)
	if len(segs) > 255 {
		return nil, errors.New("ogg headers: too many packets around the comment header")
	}
	page := make([]byte, 0, 27+len(segs)+before+len(emptyComments)+len(last.content)-after)
	page = append(page, first.head[:]...)
	copy(page[6:14], last.head[6:14]) // the granule position
	page[26] = byte(len(segs))
	page = append(page, segs...)
	page = append(page, first.content[:before]...)
	page = append(page, emptyComments...)
	page = append(page, last.content[after:]...)
	binary.LittleEndian.PutUint32(page[22:], 0)
	binary.LittleEndian.PutUint32(page[22:], oggcrc.Update(0, page))
	return page, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// splicedReader reads a file with the bytes [head, tail) replaced by
// page.
type splicedReader struct {
	r          io.ReadSeeker
	head, tail int64 // the file's bytes replaced
	page       []byte
	size       int64 // the file's size
	pos        int64 // in the spliced stream
	rpos       int64 // r's position, -1 when unknown
}

func (s *splicedReader) len() int64 { return s.head + int64(len(s.page)) + s.size - s.tail }

func (s *splicedReader) Read(p []byte) (int, error) {
	var at int64 // in the file
	switch {
	case s.pos >= s.len():
		return 0, io.EOF
	case s.pos >= s.head && s.pos < s.head+int64(len(s.page)):
		n := copy(p, s.page[s.pos-s.head:])
		s.pos += int64(n)
		return n, nil
	case s.pos < s.head:
		at = s.pos
		p = p[:min(int64(len(p)), s.head-s.pos)]
	default:
		at = s.tail + s.pos - s.head - int64(len(s.page))
	}
	if s.rpos != at {
		if _, err := s.r.Seek(at, io.SeekStart); err != nil {
			s.rpos = -1
			return 0, err
		}
	}
	n, err := s.r.Read(p)
	s.rpos, s.pos = at+int64(n), s.pos+int64(n)
	if err == io.EOF && s.pos < s.len() {
		err = io.ErrUnexpectedEOF // the file shrank
	}
	return n, err
}

func (s *splicedReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += s.pos
	case io.SeekEnd:
		offset += s.len()
	}
	if offset < 0 {
		return s.pos, errors.New("seek before the start")
	}
	s.pos = offset
	return offset, nil
}
