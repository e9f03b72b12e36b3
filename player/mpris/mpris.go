// Package mpris publishes a live session on the D-Bus session bus as an
// MPRIS media player (org.mpris.MediaPlayer2), so that headset buttons,
// keyboard media keys, desktop media widgets, KDE Connect and playerctl
// can pause, skip and go back. Every control goes through the same keys
// the terminal sends, so a button does exactly what its key does.
//
// A machine without a session bus (a server, a text console, a
// container) is normal: Start returns ErrNoBus and the session plays on
// without it, as it does when the bus does not let limber in within a
// second. A bus that goes away mid-session only stops the controls.
package mpris

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
	"github.com/limber-audio/limber/internal/sessionbus"
	"github.com/limber-audio/limber/player"
)

// The names MPRIS defines.
const (
	busName     = "org.mpris.MediaPlayer2.limber"
	objectPath  = dbus.ObjectPath("/org/mpris/MediaPlayer2")
	rootIface   = "org.mpris.MediaPlayer2"
	playerIface = "org.mpris.MediaPlayer2.Player"
	// noTrack is MPRIS's track id for "no track".
	noTrack = dbus.ObjectPath("/org/mpris/MediaPlayer2/TrackList/NoTrack")
)

// ErrNoBus means there is no session bus to register on.
var ErrNoBus = errors.New("no D-Bus session bus")

// pollEvery is how often the published state is brought up to date.
const pollEvery = 200 * time.Millisecond

// Server is a session published on the bus. Close it when the session
// ends.
type Server struct {
	conn  *dbus.Conn
	props *props
	s     *player.Session
	keys  chan<- player.Key
	name  string
	done  chan struct{}
	once  sync.Once
}

// Name returns the bus name the player took: org.mpris.MediaPlayer2.limber,
// or with an instance suffix when another limber has that.
func (srv *Server) Name() string { return srv.name }

// Start registers s on the session bus. Controls arrive on keys, as the
// keyboard's do (send on it must not block for long: RunLive reads it).
// A bus that has not let limber in and given it its name within
// sessionbus.Wait is given up on (ErrNoBus), and so is one still at it
// when ctx is done: the session plays without media controls.
func Start(ctx context.Context, s *player.Session, keys chan<- player.Key) (*Server, error) {
	addr := sessionbus.Address()
	if addr == "" {
		return nil, ErrNoBus
	}
	ctx, cancel := context.WithTimeout(ctx, sessionbus.Wait)
	defer cancel()
	conn, err := sessionbus.Connect(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoBus, err)
	}
	srv := &Server{conn: conn, s: s, keys: keys, done: make(chan struct{})}
	fail := func(err error) (*Server, error) {
		conn.Close()
		return nil, fmt.Errorf("mpris: %w", err)
	}
	if err := conn.Export(root{srv}, objectPath, rootIface); err != nil {
		return fail(err)
	}
	if err := conn.ExportWithMap(playerMethods{srv}, map[string]string{"SeekBy": "Seek"}, objectPath, playerIface); err != nil {
		return fail(err)
	}
	st := s.Status()
	srv.props = &props{conn: conn, path: objectPath, m: map[string]map[string]*property{
		rootIface: {
			"CanQuit":             {value: true},
			"CanRaise":            {value: false},
			"HasTrackList":        {value: false},
			"Identity":            {value: "limber"},
			"SupportedUriSchemes": {value: []string{}},
			"SupportedMimeTypes":  {value: []string{}},
		},
		playerIface: {
			"PlaybackStatus": {value: playbackStatus(st), emit: emitChanged},
			"Rate":           {value: 1.0},
			"MinimumRate":    {value: 1.0},
			"MaximumRate":    {value: 1.0},
			"Metadata":       {value: metadata(s.Timeline(), st), emit: emitChanged},
			"Volume": {value: s.Volume(), emit: emitChanged, set: func(v dbus.Variant) (any, *dbus.Error) {
				f, ok := v.Value().(float64)
				if !ok || math.IsNaN(f) {
					return nil, errInvalidArgs
				}
				s.SetVolume(f)
				return s.Volume(), nil
			}},
			"Position":      {value: micros(st.Pos, st.Rate), emit: emitNone},
			"CanGoNext":     {value: true},
			"CanGoPrevious": {value: true},
			"CanPlay":       {value: true},
			"CanPause":      {value: true},
			"CanSeek":       {value: false},
			"CanControl":    {value: true},
		},
	}}
	if err := conn.Export(srv.props, objectPath, "org.freedesktop.DBus.Properties"); err != nil {
		return fail(err)
	}
	node := &introspect.Node{Name: string(objectPath), Interfaces: []introspect.Interface{
		introspect.IntrospectData,
		prop.IntrospectData,
		{Name: rootIface, Methods: introspect.Methods(root{}), Properties: srv.props.introspection(rootIface)},
		{Name: playerIface, Methods: playerIntrospection(), Properties: srv.props.introspection(playerIface)},
	}}
	if err := conn.Export(introspect.NewIntrospectable(node), objectPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return fail(err)
	}
	// The plain name, or one of its own when another limber has it.
	srv.name = busName
	reply, err := requestName(ctx, conn, busName)
	if err == nil && reply != dbus.RequestNameReplyPrimaryOwner {
		srv.name = fmt.Sprintf("%s.instance%d", busName, os.Getpid())
		reply, err = requestName(ctx, conn, srv.name)
	}
	if err != nil {
		return fail(err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return fail(fmt.Errorf("bus name %s is taken", srv.name))
	}
	go srv.poll()
	return srv, nil
}

// requestName asks the bus for name, as conn.RequestName does, but gives
// up when ctx is done.
func requestName(ctx context.Context, conn *dbus.Conn, name string) (dbus.RequestNameReply, error) {
	var reply uint32
	err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.RequestName", 0, name, uint32(dbus.NameFlagDoNotQueue)).Store(&reply)
	return dbus.RequestNameReply(reply), err
}

// Close leaves the bus. It does not wait for the bus: godbus's Close
// waits for a message being sent, which a bus that stopped reading holds
// for ever, so the connection is closed on a goroutine of its own (the
// process ending closes it too).
func (srv *Server) Close() {
	srv.once.Do(func() {
		close(srv.done)
		go srv.conn.Close()
	})
}

// poll keeps the published state up to date, emitting PropertiesChanged
// for what changed.
func (srv *Server) poll() {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-srv.done:
			return
		case <-t.C:
		}
		st := srv.s.Status()
		meta := metadata(srv.s.Timeline(), st)
		old, _ := srv.props.value(playerIface, "Metadata").(map[string]dbus.Variant)
		err := srv.update("PlaybackStatus", playbackStatus(st))
		if err == nil && (old["mpris:trackid"] != meta["mpris:trackid"] || old["xesam:title"] != meta["xesam:title"]) {
			err = srv.props.replace(playerIface, "Metadata", meta)
		}
		if err == nil {
			err = srv.update("Volume", st.Volume)
		}
		if err == nil {
			err = srv.props.replace(playerIface, "Position", micros(st.Pos, st.Rate))
		}
		if err != nil {
			// The bus went away: that ends the controls and nothing else.
			srv.Close()
			return
		}
	}
}

// update publishes a Player property that changed, which emits
// PropertiesChanged.
func (srv *Server) update(name string, v any) error {
	if srv.props.value(playerIface, name) == v {
		return nil
	}
	return srv.props.replace(playerIface, name, v)
}

// send delivers a control as its key; one that cannot be taken within a
// second (the session is ending) is dropped.
func (srv *Server) send(k player.Key) {
	select {
	case srv.keys <- k:
	case <-srv.done:
	case <-time.After(time.Second):
	}
}

// root implements org.mpris.MediaPlayer2.
type root struct{ srv *Server }

// Raise does nothing: limber has no window (CanRaise is false).
func (root) Raise() *dbus.Error { return nil }

// Quit ends the session, as q does.
func (r root) Quit() *dbus.Error { r.srv.send(player.KeyQuit); return nil }

// playerMethods implements org.mpris.MediaPlayer2.Player.
type playerMethods struct{ srv *Server }

// Next skips to the next stretch, as n does.
func (p playerMethods) Next() *dbus.Error { p.srv.send(player.KeyNext); return nil }

// Previous goes back to the start of this stretch (twice quickly: the one
// before), as p does.
func (p playerMethods) Previous() *dbus.Error { p.srv.send(player.KeyBack); return nil }

// PlayPause pauses or resumes, as space does.
func (p playerMethods) PlayPause() *dbus.Error { p.srv.send(player.KeyPause); return nil }

// Pause pauses a playing session.
func (p playerMethods) Pause() *dbus.Error {
	if st := p.srv.s.Status(); !st.Paused && !st.Done {
		p.srv.send(player.KeyPause)
	}
	return nil
}

// Play resumes a paused session.
func (p playerMethods) Play() *dbus.Error {
	if p.srv.s.Status().Paused {
		p.srv.send(player.KeyPause)
	}
	return nil
}

// Stop ends the session, as q does.
func (p playerMethods) Stop() *dbus.Error { p.srv.send(player.KeyQuit); return nil }

// SeekBy is MPRIS's Seek (a Go method named Seek would promise
// io.Seeker's signature). It does nothing: a routine moves by stretches
// (CanSeek is false).
func (playerMethods) SeekBy(offset int64) *dbus.Error { return nil }

// playerIntrospection describes the Player methods by their D-Bus names.
func playerIntrospection() []introspect.Method {
	ms := introspect.Methods(playerMethods{})
	for i := range ms {
		if ms[i].Name == "SeekBy" {
			ms[i].Name = "Seek"
		}
	}
	return ms
}

// SetPosition does nothing, as Seek.
func (playerMethods) SetPosition(track dbus.ObjectPath, pos int64) *dbus.Error { return nil }

// OpenUri is not supported: limber plays routines, not URIs.
func (playerMethods) OpenUri(uri string) *dbus.Error {
	return dbus.MakeFailedError(errors.New("limber plays routines, not URIs"))
}

func playbackStatus(st player.Status) string {
	switch {
	case st.Done:
		return "Stopped"
	case st.Paused:
		return "Paused"
	}
	return "Playing"
}

// metadata describes the current "track": the stretch (and side) being
// played, or what happens between stretches; each stretch of the routine
// has a track id of its own.
func metadata(tl *player.Timeline, st player.Status) map[string]dbus.Variant {
	j := tl.SectionAt(st.Pos)
	start, end := 0, tl.Len
	if j >= 0 {
		start = tl.Sections[j].Start
	}
	if j+1 < len(tl.Sections) {
		end = tl.Sections[j+1].Start
	}
	title := st.Name
	switch between := st.Between(); {
	case st.Name != "" && st.Side != player.SideNone:
		title += ", " + st.Side.String() + " side"
	case st.Name == "" && between != "":
		title = strings.ToUpper(between[:1]) + between[1:]
	case st.Name == "":
		title = tl.Name
	}
	id := noTrack
	if j >= 0 {
		id = dbus.ObjectPath(fmt.Sprintf("/org/limber/%s/stretch%d", pathPart(tl.Routine), j+1))
	}
	return map[string]dbus.Variant{
		"mpris:trackid": dbus.MakeVariant(id),
		"mpris:length":  dbus.MakeVariant(micros(end-start, tl.Rate)),
		"xesam:title":   dbus.MakeVariant(title),
		"xesam:album":   dbus.MakeVariant(tl.Name),
		"xesam:artist":  dbus.MakeVariant([]string{"limber"}),
	}
}

// pathPart makes a routine id fit an object path element.
func pathPart(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, id)
}

func micros(n, rate int) int64 { return int64(n) * 1_000_000 / int64(rate) }
