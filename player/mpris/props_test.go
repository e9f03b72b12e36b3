package mpris

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/limber-audio/limber/internal/testtools"
)

// exportProps publishes a Player interface of three properties on a
// private bus, as Start does, and returns it with a second connection,
// a client's, to the same bus. Volumes set from the bus arrive on
// volumes.
func exportProps(t *testing.T, volumes chan<- float64) (*props, dbus.BusObject, *dbus.Conn) {
	t.Helper()
	bus := testtools.PrivateBus(t)
	conn, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	p := &props{conn: conn, path: objectPath, m: map[string]map[string]*property{
		playerIface: {
			"Metadata": {value: map[string]dbus.Variant{"xesam:title": dbus.MakeVariant("Neck tilts")}, emit: emitChanged},
			"Volume": {value: 1.0, emit: emitChanged, set: func(v dbus.Variant) (any, *dbus.Error) {
				f := v.Value().(float64)
				volumes <- f
				return min(f, 1.5), nil // as the session holds it
			}},
			"CanSeek": {value: false},
		},
	}}
	if err := conn.Export(p, objectPath, "org.freedesktop.DBus.Properties"); err != nil {
		t.Fatal(err)
	}
	client, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return p, client.Object(conn.Names()[0], objectPath), client
}

// TestProps_MetadataChangesWhileClientsRead replaces Metadata, as poll
// does on every new stretch, while a client reads every property as
// fast as it can. godbus's prop package wrote each new value into the
// map a reply still being encoded held ("concurrent map read and map
// write" killed a session); make test runs this under -race.
func TestProps_MetadataChangesWhileClientsRead(t *testing.T) {
	p, obj, _ := exportProps(t, nil)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var all map[string]dbus.Variant
				if err := obj.Call("org.freedesktop.DBus.Properties.GetAll", 0, playerIface).Store(&all); err != nil {
					t.Errorf("GetAll: %v", err)
					return
				}
				if _, ok := all["Metadata"].Value().(map[string]dbus.Variant); !ok {
					t.Errorf("GetAll: Metadata is %v", all["Metadata"])
					return
				}
			}
		}()
	}
	for i := range 500 {
		meta := map[string]dbus.Variant{
			"mpris:trackid": dbus.MakeVariant(dbus.ObjectPath(fmt.Sprintf("/org/limber/test/stretch%d", i))),
			"xesam:title":   dbus.MakeVariant(fmt.Sprintf("Stretch %d", i)),
		}
		if err := p.replace(playerIface, "Metadata", meta); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	v, err := obj.GetProperty(playerIface + ".Metadata")
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Value().(map[string]dbus.Variant)["xesam:title"].Value(); got != "Stretch 499" {
		t.Errorf("Metadata's title is %v after the last change, want Stretch 499", got)
	}
	if n := len(v.Value().(map[string]dbus.Variant)); n != 2 {
		t.Errorf("Metadata has %d entries, want the last value's 2 (nothing left of the first)", n)
	}
}

// TestProps_SetFromTheBus writes properties as a client would
// (playerctl volume 0.4): a writable one takes the value and says so on
// the bus (the value taken, which may be less than asked), the rest
// refuse with the errors D-Bus names.
func TestProps_SetFromTheBus(t *testing.T) {
	volumes := make(chan float64, 8)
	_, obj, client := exportProps(t, volumes)
	if err := client.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.DBus.Properties"), dbus.WithMatchMember("PropertiesChanged")); err != nil {
		t.Fatal(err)
	}
	signals := make(chan *dbus.Signal, 4)
	client.Signal(signals)

	for _, tc := range []struct {
		name, prop string
		value      any
		wantErr    string // the D-Bus error's name; "" for none
	}{
		{"volume", playerIface + ".Volume", 0.4, ""},
		{"volume as text", playerIface + ".Volume", "loud", "org.freedesktop.DBus.Error.InvalidArgs"},
		{"read-only", playerIface + ".CanSeek", true, "org.freedesktop.DBus.Error.PropertyReadOnly"},
		{"unknown property", playerIface + ".Shuffle", true, "org.freedesktop.DBus.Error.UnknownProperty"},
		{"unknown interface", "org.example.Nothing.Volume", 0.4, "org.freedesktop.DBus.Error.UnknownInterface"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := obj.SetProperty(tc.prop, dbus.MakeVariant(tc.value))
			var name string
			if e, ok := err.(dbus.Error); ok {
				name = e.Name
			} else if err != nil {
				t.Fatal(err)
			}
			if name != tc.wantErr {
				t.Errorf("Set %s = %v: error %q, want %q", tc.prop, tc.value, name, tc.wantErr)
			}
		})
	}
	// (Not closed and ranged over: the race detector does not see that
	// the callback returned before its reply crossed the bus.)
	if v := <-volumes; v != 0.4 {
		t.Errorf("volume set to %v, want 0.4", v)
	}
	select {
	case v := <-volumes:
		t.Errorf("volume also set to %v: a refused value went through", v)
	default:
	}
	select {
	case sig := <-signals:
		changed, _ := sig.Body[1].(map[string]dbus.Variant)
		if sig.Body[0] != playerIface || changed["Volume"].Value() != 0.4 {
			t.Errorf("PropertiesChanged %v, want Volume 0.4 on %s", sig.Body, playerIface)
		}
	case <-time.After(30 * time.Second): // only guards against a hang
		t.Fatal("no PropertiesChanged after Volume was set")
	}
	if v, err := obj.GetProperty(playerIface + ".Volume"); err != nil || v.Value() != 0.4 {
		t.Errorf("Get Volume = %v, %v; want 0.4", v, err)
	}

	// Over the top: what is published and signalled is what was taken.
	if err := obj.SetProperty(playerIface+".Volume", dbus.MakeVariant(1e308)); err != nil {
		t.Fatal(err)
	}
	<-volumes
	select {
	case sig := <-signals:
		if changed, _ := sig.Body[1].(map[string]dbus.Variant); changed["Volume"].Value() != 1.5 {
			t.Errorf("PropertiesChanged %v, want Volume 1.5, as taken", sig.Body)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no PropertiesChanged after Volume was set")
	}
	if v, err := obj.GetProperty(playerIface + ".Volume"); err != nil || v.Value() != 1.5 {
		t.Errorf("Get Volume = %v, %v; want 1.5, as taken", v, err)
	}
}
