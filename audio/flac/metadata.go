package flac

import (
	"encoding/binary"
	"fmt"

	"github.com/limber-audio/limber/audio"
	"github.com/limber-audio/limber/internal/timefmt"
)

// flacHeader is "fLaC" and the metadata blocks: STREAMINFO, a CUESHEET
// of the markers, then the Vorbis comments (tags and chapters). The
// comments come last because ffmpeg makes chapters of a cue sheet without
// names and names them from the comments that follow.
func metadata(n int, opts audio.Options, digest [16]byte) []byte {
	out := []byte("fLaC")
	// STREAMINFO
	var si bitWriter
	si.put(blockFrames, 16)
	si.put(blockFrames, 16)
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
	vc := binary.LittleEndian.AppendUint32(nil, uint32(len(vendor)))
	vc = append(vc, vendor...)
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
	return timefmt.Millis(int64(audio.Scale(pos, rate, 1000)))
}
