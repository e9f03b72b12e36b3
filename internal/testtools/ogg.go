package testtools

import (
	"encoding/binary"
	"errors"

	"github.com/limber-audio/limber/internal/oggcrc"
)

// OggWithComments returns the Ogg Vorbis file ogg with its comment header
// replaced by comments, a whole comment packet ("\x03vorbis", the vendor,
// the count, the comments, the framing bit), as a file built to make a
// decoder choke on its comments would be. The header pages are laid out
// anew (granule positions, sequence numbers and checksums right), the
// audio pages kept.
func OggWithComments(ogg, comments []byte) ([]byte, error) {
	type page struct{ head, segs, data []byte }
	var pages []page
	for len(ogg) > 0 {
		if len(ogg) < 27 || string(ogg[:4]) != "OggS" || len(ogg) < 27+int(ogg[26]) {
			return nil, errors.New("not an Ogg stream")
		}
		p := page{head: ogg[:27], segs: ogg[27 : 27+int(ogg[26])]}
		size := 0
		for _, s := range p.segs {
			size += int(s)
		}
		end := 27 + len(p.segs) + size
		if end > len(ogg) {
			return nil, errors.New("a page runs past the end")
		}
		p.data = ogg[27+len(p.segs) : end]
		pages = append(pages, p)
		ogg = ogg[end:]
	}
	// Page 0 is the identification header; the comment and setup
	// headers follow, ending where a page ends.
	var packets [][]byte
	var cur []byte
	next := 1
	for ; next < len(pages) && len(packets) < 2; next++ {
		at := 0
		for _, s := range pages[next].segs {
			cur = append(cur, pages[next].data[at:at+int(s)]...)
			at += int(s)
			if s < 255 {
				packets, cur = append(packets, cur), nil
			}
		}
	}
	if len(packets) != 2 || cur != nil {
		return nil, errors.New("the comment and setup headers do not end a page")
	}
	packets[0] = comments
	var segs []byte
	for _, p := range packets {
		for n := len(p); ; n -= 255 {
			segs = append(segs, byte(min(n, 255)))
			if n < 255 {
				break
			}
		}
	}
	data := append(append([]byte(nil), packets[0]...), packets[1]...)
	out := append([]byte(nil), pageBytes(pages[0].head, pages[0].segs, pages[0].data, 0, pages[0].head[5], granule(pages[0].head))...)
	seq := uint32(1)
	continued := false
	for len(segs) > 0 {
		n := min(len(segs), 255)
		size := 0
		ends := false
		for _, s := range segs[:n] {
			size += int(s)
			ends = ends || s < 255
		}
		flags := byte(0)
		if continued {
			flags = 1
		}
		g := uint64(0)
		if !ends {
			g = ^uint64(0) // no packet ends on this page
		}
		out = append(out, pageBytes(pages[0].head, segs[:n], data[:size], seq, flags, g)...)
		continued = segs[n-1] == 255
		segs, data, seq = segs[n:], data[size:], seq+1
	}
	for _, p := range pages[next:] {
		out = append(out, pageBytes(p.head, p.segs, p.data, seq, p.head[5], granule(p.head))...)
		seq++
	}
	return out, nil
}

func granule(head []byte) uint64 { return binary.LittleEndian.Uint64(head[6:]) }

// pageBytes lays out one Ogg page under the serial number of head.
func pageBytes(head, segs, data []byte, seq uint32, flags byte, granule uint64) []byte {
	p := make([]byte, 27, 27+len(segs)+len(data))
	copy(p, head[:27])
	p[5] = flags
	binary.LittleEndian.PutUint64(p[6:], granule)
	binary.LittleEndian.PutUint32(p[18:], seq)
	binary.LittleEndian.PutUint32(p[22:], 0)
	p[26] = byte(len(segs))
	p = append(append(p, segs...), data...)
	binary.LittleEndian.PutUint32(p[22:], oggcrc.Update(0, p))
	return p
}

// VorbisComments is a Vorbis comment packet: the vendor, then count (as
// the file states it) and the comments given.
func VorbisComments(vendor string, count uint32, comments ...string) []byte {
	b := []byte("\x03vorbis")
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	b = binary.LittleEndian.AppendUint32(b, count)
	for _, c := range comments {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(c)))
		b = append(b, c...)
	}
	return append(b, 1)
}
