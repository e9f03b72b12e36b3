package flac

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"

	"github.com/gopxl/beep/v2"

	"github.com/limber-audio/limber/audio"
)

// blockFrames is the number of frames in each FLAC frame but the last.
const blockFrames = 4096

// vendor names the encoder in the file.
const vendor = "limber"

// Write streams n frames of s to w as a 16-bit FLAC file: the same
// samples a WAV export holds (rounded alike), losslessly compressed, with
// opts.Markers as chapters (Vorbis comments in the form players and
// ffmpeg read, CHAPTER001=00:00:05.867 and CHAPTER001NAME=..., and a
// CUESHEET with a track at each) and opts.Tags as further Vorbis
// comments. Where w can seek (a file), s is read once and the MD5
// signature FLAC carries in its header written in afterwards; where it
// cannot (a pipe), s is read twice, the first time for the signature, and
// must then be a beep.StreamSeeker (rendering is cheap next to
// encoding). Silence, most of a routine, costs a few bytes a block. The
// same stream and options always give the same bytes. Write stops with
// ctx's error when ctx is cancelled. It is an audio.WriteFunc.
func Write(ctx context.Context, w io.Writer, s beep.Streamer, n int, opts audio.Options) error {
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
			if _, err := w.Write(metadata(n, opts, [16]byte{})); err != nil {
				return err
			}
			if err := encodeFrames(ctx, w, newBlockReader(s, n, opts.Channels), opts, sum); err != nil {
				return err
			}
			var digest [16]byte
			sum.Sum(digest[:0])
			if _, err := ws.Seek(start+md5At, io.SeekStart); err != nil {
				return err
			}
			if _, err := w.Write(digest[:]); err != nil {
				return err
			}
			_, err := ws.Seek(0, io.SeekEnd)
			return err
		}
	}
	seeker, ok := s.(beep.StreamSeeker)
	if !ok {
		return errors.New("write flac: to a file that cannot seek, the stream must (it is read twice)")
	}
	blocks := newBlockReader(s, n, opts.Channels)
	sum := md5.New()
	raw := new([blockFrames * 4]byte)
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
	if err := seeker.Seek(0); err != nil {
		return fmt.Errorf("write flac: %w", err)
	}
	var digest [16]byte
	sum.Sum(digest[:0])
	if _, err := w.Write(metadata(n, opts, digest)); err != nil {
		return err
	}
	return encodeFrames(ctx, w, newBlockReader(s, n, opts.Channels), opts, nil)
}

// md5At is where the MD5 signature sits in the file: after "fLaC",
// the STREAMINFO block's header and its first 18 bytes.
const md5At = 4 + 4 + 18

// hashBlock adds a block's samples to the MD5 signature, as FLAC takes
// it: interleaved, 16-bit little-endian, made in raw.
func hashBlock(sum hash.Hash, raw *[blockFrames * 4]byte, ch [2][]int32, got, channels int) {
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

// blockReader pulls blocks of blockFrames frames from a stream and rounds
// them to 16-bit samples per channel, as the WAV writer does.
type blockReader struct {
	src      *audio.Reader
	left     int
	channels int
	ch       [2][]int32
}

func newBlockReader(s beep.Streamer, n, channels int) *blockReader {
	return &blockReader{src: audio.NewReader(s, channels, blockFrames), left: n, channels: channels,
		ch: [2][]int32{make([]int32, blockFrames), make([]int32, blockFrames)}}
}

func (b *blockReader) next(ctx context.Context) ([2][]int32, int, error) {
	if err := ctx.Err(); err != nil {
		return b.ch, 0, err
	}
	want := min(blockFrames, b.left)
	for got := 0; got < want; {
		k, silent, err := b.src.Read(want - got)
		if errors.Is(err, audio.ErrStreamEnded) {
			return b.ch, 0, errors.New("write flac: stream ended early")
		} else if err != nil {
			return b.ch, 0, fmt.Errorf("write flac: %w", err)
		}
		l, r := b.ch[0][got:got+k], b.ch[1][got:got+k]
		switch {
		case silent:
			clear(l)
			clear(r)
		case b.src.Mono != nil:
			for i, v := range b.src.Mono[:k] {
				l[i] = int32(audio.ToInt16(v))
			}
		case b.channels == 1:
			for i, v := range b.src.Stereo[:k] {
				l[i] = int32(audio.ToInt16((v[0] + v[1]) / 2))
			}
		default:
			for i, v := range b.src.Stereo[:k] {
				l[i], r[i] = int32(audio.ToInt16(v[0])), int32(audio.ToInt16(v[1]))
			}
		}
		got += k
	}
	b.left -= want
	return b.ch, want, nil
}
