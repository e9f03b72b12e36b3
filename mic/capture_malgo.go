//go:build cgo

package mic

// #include <stdlib.h>
import "C"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gen2brain/malgo"
)

// backends are the sound systems tried, in order. miniaudio's own list
// ends with a null backend that pretends to capture silence; it is left
// out, so a machine without a microphone says so.
func backends() []malgo.Backend {
	switch runtime.GOOS {
	case "linux":
		return []malgo.Backend{malgo.BackendPulseaudio, malgo.BackendAlsa, malgo.BackendJack}
	case "darwin", "ios":
		return []malgo.Backend{malgo.BackendCoreaudio}
	case "windows":
		return []malgo.Backend{malgo.BackendWasapi, malgo.BackendDsound, malgo.BackendWinmm}
	case "android":
		return []malgo.Backend{malgo.BackendAaudio, malgo.BackendOpensl}
	}
	return []malgo.Backend{malgo.BackendSndio, malgo.BackendAudio4, malgo.BackendOss, malgo.BackendPulseaudio, malgo.BackendAlsa}
}

// openContext opens a miniaudio context on the first sound system that
// answers.
func openContext() (*malgo.AllocatedContext, error) {
	quietALSA()
	ctx, err := malgo.InitContext(backends(), malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: no sound system answers (%v)", ErrNoMicrophone, err)
	}
	return ctx, nil
}

func closeContext(ctx *malgo.AllocatedContext) {
	ctx.Uninit()
	ctx.Free()
}

// Devices lists the capture devices.
func Devices() ([]Device, error) {
	ctx, err := openContext()
	if err != nil {
		return nil, err
	}
	defer closeContext(ctx)
	return devices(ctx)
}

func devices(ctx *malgo.AllocatedContext) ([]Device, error) {
	infos, err := ctx.Devices(malgo.Capture)
	if err != nil {
		return nil, fmt.Errorf("list microphones: %w", err)
	}
	out := make([]Device, 0, len(infos))
	for _, in := range infos {
		id := in.ID
		d := Device{Name: in.Name(), ID: idString(id[:]), Default: in.IsDefault != 0, id: id[:]}
		if notMicrophones[d.ID] {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// Stream is a running capture. Its methods are safe for concurrent use.
type Stream struct {
	ctx      *malgo.AllocatedContext
	dev      *malgo.Device
	rate     int
	chunks   chan Chunk
	dropped  atomic.Int64
	mu       sync.Mutex // guards closed against the capture callback
	closed   bool
	once     sync.Once
	closeErr error
}

// chunkQueue is how many chunks wait for a slow reader before new ones
// are dropped: about two seconds at miniaudio's usual 10 ms periods.
const chunkQueue = 200

// Open starts capturing. The caller reads Chunks and must Close the
// stream.
func Open(opts Options) (*Stream, error) {
	rate := opts.Rate
	if rate == 0 {
		rate = 16000
	}
	if rate < 8000 || rate > 192000 {
		return nil, fmt.Errorf("capture rate %d: want 8000 to 192000", rate)
	}
	ctx, err := openContext()
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			closeContext(ctx)
		}
	}()
	list, err := devices(ctx)
	if err != nil {
		return nil, err
	}
	cfg := malgo.DefaultDeviceConfig(malgo.Capture)
	cfg.Capture.Format = malgo.FormatS16
	cfg.Capture.Channels = 1
	cfg.SampleRate = uint32(rate)
	cfg.Pulse.StreamNameCapture = "limber listening"
	if opts.Device != "" {
		d, err := Find(list, opts.Device)
		if err != nil {
			return nil, err
		}
		id := C.CBytes(d.id)
		defer C.free(id)
		cfg.Capture.DeviceID = id
	} else if len(list) == 0 {
		return nil, ErrNoMicrophone
	}
	s := &Stream{ctx: ctx, rate: rate, chunks: make(chan Chunk, chunkQueue)}
	dev, err := malgo.InitDevice(ctx.Context, cfg, malgo.DeviceCallbacks{Data: s.data})
	if err != nil {
		// The default device that will not open is, to a person, no
		// microphone: ALSA lists a "default" on a card that only plays.
		if opts.Device == "" || errors.Is(err, malgo.ErrNoDevice) || errors.Is(err, malgo.ErrDoesNotExist) {
			return nil, fmt.Errorf("%w (%v)", ErrNoMicrophone, err)
		}
		return nil, fmt.Errorf("open microphone %s: %w", opts.Device, err)
	}
	if err := dev.Start(); err != nil {
		dev.Uninit()
		return nil, fmt.Errorf("start microphone: %w", err)
	}
	s.dev = dev
	ok = true
	return s, nil
}

// data is miniaudio's capture callback: it runs on the sound system's
// thread and must not block.
func (s *Stream) data(_, in []byte, frames uint32) {
	at := time.Now()
	n := min(int(frames), len(in)/2)
	samples := make([]int16, n)
	for i := range samples {
		samples[i] = int16(binary.LittleEndian.Uint16(in[2*i:]))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.chunks <- Chunk{Samples: samples, At: at}:
	default:
		s.dropped.Add(int64(n))
	}
}

// Chunks delivers the captured sound, in order, until Close.
func (s *Stream) Chunks() <-chan Chunk { return s.chunks }

// Rate returns the sample rate of the chunks.
func (s *Stream) Rate() int { return s.rate }

// Dropped returns how many samples were dropped because the reader of
// Chunks fell behind.
func (s *Stream) Dropped() int { return int(s.dropped.Load()) }

// closeWait bounds how long Close waits for the sound system to let go
// of the device: miniaudio waits forever on a PulseAudio source that is
// suspended.
const closeWait = 2 * time.Second

// ErrStuck is returned by Close when the sound system did not let go of
// the device in time: the device is left to the process's end.
var ErrStuck = errors.New("the sound system did not let go of the microphone")

// Close stops capturing and closes Chunks. It is safe to call twice.
func (s *Stream) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true // the callback drops what comes from now on
		close(s.chunks)
		s.mu.Unlock()
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.dev.Uninit()
			closeContext(s.ctx)
		}()
		select {
		case <-done:
		case <-time.After(closeWait):
			s.closeErr = ErrStuck
		}
	})
	return s.closeErr
}
