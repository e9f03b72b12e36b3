package wav

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
)

// bufferFrames is how many frames Write pulls from the stream at a time.
const bufferFrames = 8192

// maxLabel bounds one label's length in bytes.
const maxLabel = 255

// ErrTooLarge is returned when the audio would not fit a WAV file's 4 GiB.
var ErrTooLarge = errors.New("audio longer than a WAV file can hold (4 GiB); lower the rate or use one channel")

// Write streams n frames of s to w as a 16-bit PCM WAV file. The file
// carries a RIFF "cue " chunk with a cue point per marker, followed by a
// "LIST" "adtl" chunk holding only "labl" entries, the layout libsndfile,
// sox, ffmpeg and audio editors read. All sizes are known up front, so w
// need not seek (a pipe works). opts.Tags are not written: WAV has no
// place for them that players read. Write stops with ctx's error when
// ctx is cancelled. Errors from w are returned as they are. It is an
// audio.WriteFunc.
func Write(ctx context.Context, w io.Writer, s beep.Streamer, n int, opts audio.Options) error {
	if opts.Channels != 1 && opts.Channels != 2 {
		return fmt.Errorf("write wav: %d channels, want 1 or 2", opts.Channels)
	}
	if opts.Rate <= 0 {
		return fmt.Errorf("write wav: rate %d", opts.Rate)
	}
	frame := 2 * opts.Channels
	dataBytes := int64(n) * int64(frame)
	cueChunk, listChunk := markerChunks(opts.Markers)
	extra := int64(len(cueChunk) + len(listChunk))
	if 36+dataBytes+extra > math.MaxUint32 { // the RIFF chunk's size
		return ErrTooLarge
	}
	if _, err := w.Write(Header(opts.Rate, opts.Channels, dataBytes, extra)); err != nil {
		return err
	}

	src := audio.NewReader(s, opts.Channels, bufferFrames)
	out := make([]byte, bufferFrames*frame)
	for done := 0; done < n; {
		if err := ctx.Err(); err != nil {
			return err
		}
		got, silent, err := src.Read(min(bufferFrames, n-done))
		if errors.Is(err, audio.ErrStreamEnded) {
			return fmt.Errorf("write wav: stream ended after %d of %d frames", done, n)
		} else if err != nil {
			return fmt.Errorf("write wav: %w", err)
		}
		b := out[:0]
		switch {
		case silent:
			// Most of a routine is silence: no conversion needed.
			b = out[:got*frame]
			clear(b)
		case src.Mono != nil:
			for _, v := range src.Mono[:got] {
				b = binary.LittleEndian.AppendUint16(b, uint16(audio.ToInt16(v)))
			}
		case opts.Channels == 1:
			for _, v := range src.Stereo[:got] {
				b = binary.LittleEndian.AppendUint16(b, uint16(audio.ToInt16((v[0]+v[1])/2)))
			}
		default:
			for _, v := range src.Stereo[:got] {
				b = binary.LittleEndian.AppendUint16(b, uint16(audio.ToInt16(v[0])))
				b = binary.LittleEndian.AppendUint16(b, uint16(audio.ToInt16(v[1])))
			}
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		done += got
		if opts.Progress != nil {
			opts.Progress(done)
		}
	}
	if _, err := w.Write(cueChunk); err != nil {
		return err
	}
	_, err := w.Write(listChunk)
	return err
}

// Header is the 44-byte header of a 16-bit PCM WAV file at rate with
// channels channels: the RIFF chunk's head, the "fmt " chunk and the
// head of a "data" chunk of dataBytes, with extra bytes of chunks to
// follow the samples. The caller keeps the sizes under 4 GiB.
func Header(rate, channels int, dataBytes, extra int64) []byte {
	frame := 2 * channels
	h := make([]byte, 0, 44)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(36+dataBytes+extra)) // what follows this field
	h = append(h, "WAVE"...)
	h = append(h, "fmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16)                 // fmt chunk size
	h = binary.LittleEndian.AppendUint16(h, 1)                  // PCM
	h = binary.LittleEndian.AppendUint16(h, uint16(channels))   // channels
	h = binary.LittleEndian.AppendUint32(h, uint32(rate))       // frames per second
	h = binary.LittleEndian.AppendUint32(h, uint32(rate*frame)) // bytes per second
	h = binary.LittleEndian.AppendUint16(h, uint16(frame))      // block align
	h = binary.LittleEndian.AppendUint16(h, 16)                 // bits per sample
	h = append(h, "data"...)
	return binary.LittleEndian.AppendUint32(h, uint32(dataBytes))
}

// markerChunks builds the "cue " chunk and the "LIST"/"adtl" chunk of
// "labl" entries for markers (cue point ids count from 1). Both are empty
// when there are no markers.
func markerChunks(markers []audio.Marker) (cue, list []byte) {
	if len(markers) == 0 {
		return nil, nil
	}
	le := binary.LittleEndian
	cue = append(cue, "cue "...)
	cue = le.AppendUint32(cue, uint32(4+24*len(markers)))
	cue = le.AppendUint32(cue, uint32(len(markers)))
	list = append(list, "LIST"...)
	list = le.AppendUint32(list, 0) // size, patched below
	list = append(list, "adtl"...)
	for i, m := range markers {
		id := uint32(i + 1)
		cue = le.AppendUint32(cue, id)            // cue point id
		cue = le.AppendUint32(cue, uint32(m.Pos)) // play order position
		cue = append(cue, "data"...)              // chunk the cue is in
		cue = le.AppendUint32(cue, 0)             // chunk start
		cue = le.AppendUint32(cue, 0)             // block start
		cue = le.AppendUint32(cue, uint32(m.Pos)) // sample offset
		label := m.Label
		if len(label) > maxLabel {
			label = label[:maxLabel]
		}
		size := 4 + len(label) + 1 // cue id, text, NUL
		list = append(list, "labl"...)
		list = le.AppendUint32(list, uint32(size))
		list = le.AppendUint32(list, id)
		list = append(list, label...)
		list = append(list, 0)
		if size%2 == 1 {
			list = append(list, 0) // chunks are word-aligned
		}
	}
	le.PutUint32(list[4:], uint32(len(list)-8))
	return cue, list
}
