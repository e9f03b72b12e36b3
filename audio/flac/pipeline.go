package flac

import (
	"context"
	"hash"
	"io"
	"runtime"
	"sync"

	"github.com/limber-audio/limber/audio"
)

// encodeFrames encodes the blocks into FLAC frames on every core and
// writes them in order. A goroutine reads the next batch of blocks while
// the last one is encoded and, when sum is set, added to it.
func encodeFrames(ctx context.Context, w io.Writer, blocks *blockReader, opts audio.Options, sum hash.Hash) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	size := 4 * workers
	raw := new([blockFrames * 4]byte) // the hasher's
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
			b.jobs[i].ch = [2][]int32{make([]int32, blockFrames), make([]int32, blockFrames)}
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

	encs := make([]*encoder, workers)
	for i := range encs {
		encs[i] = newEncoder(opts.Rate, opts.Channels)
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
