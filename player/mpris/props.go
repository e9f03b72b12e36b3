package mpris

import (
	"sort"
	"sync"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
)

// The errors the D-Bus specification names for Properties (godbus's
// prop package answers with names of its own, which clients such as
// gdbus do not know).
var (
	errUnknownInterface = propError("org.freedesktop.DBus.Error.UnknownInterface", "no such interface")
	errUnknownProperty  = propError("org.freedesktop.DBus.Error.UnknownProperty", "no such property")
	errReadOnly         = propError("org.freedesktop.DBus.Error.PropertyReadOnly", "property is read-only")
	errInvalidArgs      = propError("org.freedesktop.DBus.Error.InvalidArgs", "invalid value for the property")
)

func propError(name, msg string) *dbus.Error { return dbus.NewError(name, []any{msg}) }

// emit says what a property's change sends, as MPRIS asks of it.
type emit int

const (
	emitConst   emit = iota // never changes
	emitChanged             // PropertiesChanged with the new value
	emitNone                // changes without a signal (Position)
)

// property is one published value. Its value is never written into once
// published, only replaced: a Get or GetAll reply is encoded after the
// lock is let go, so a map or slice handed out must stay as it was.
// (godbus's prop package stores a new value into the old one, map entry
// by map entry, which races with a reply of Metadata being encoded.)
type property struct {
	value any
	emit  emit
	// set, when not nil, makes the property writable from the bus: it
	// takes the value a client asked for, or refuses it, and returns
	// the value taken (the session may hold it to a range).
	set func(dbus.Variant) (any, *dbus.Error)
}

// props implements org.freedesktop.DBus.Properties for the interfaces
// of one object.
type props struct {
	conn *dbus.Conn
	path dbus.ObjectPath
	mu   sync.Mutex
	m    map[string]map[string]*property // interface, name
}

// Get implements org.freedesktop.DBus.Properties.Get.
func (p *props) Get(iface, name string) (dbus.Variant, *dbus.Error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pr, err := p.lookup(iface, name)
	if err != nil {
		return dbus.Variant{}, err
	}
	return dbus.MakeVariant(pr.value), nil
}

// GetAll implements org.freedesktop.DBus.Properties.GetAll.
func (p *props) GetAll(iface string) (map[string]dbus.Variant, *dbus.Error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m, ok := p.m[iface]
	if !ok {
		return nil, errUnknownInterface
	}
	all := make(map[string]dbus.Variant, len(m))
	for name, pr := range m {
		all[name] = dbus.MakeVariant(pr.value)
	}
	return all, nil
}

// Set implements org.freedesktop.DBus.Properties.Set: a writable
// property takes the value if its set does, and publishes and signals
// the value set took.
func (p *props) Set(iface, name string, v dbus.Variant) *dbus.Error {
	p.mu.Lock()
	pr, err := p.lookup(iface, name)
	if err == nil && pr.set == nil {
		err = errReadOnly
	}
	if err == nil && v.Signature() != dbus.SignatureOf(pr.value) {
		err = errInvalidArgs
	}
	p.mu.Unlock()
	if err != nil {
		return err
	}
	took, err := pr.set(v)
	if err != nil {
		return err
	}
	if e := p.replace(iface, name, took); e != nil {
		return dbus.MakeFailedError(e)
	}
	return nil
}

func (p *props) lookup(iface, name string) (*property, *dbus.Error) {
	m, ok := p.m[iface]
	if !ok {
		return nil, errUnknownInterface
	}
	pr, ok := m[name]
	if !ok {
		return nil, errUnknownProperty
	}
	return pr, nil
}

// value returns a property's value as published; the caller must not
// write into it.
func (p *props) value(iface, name string) any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[iface][name].value
}

// replace publishes v as the property's value and signals the change
// as the property asks. v must not be written into afterwards. The error
// is the signal's: the bus has gone.
func (p *props) replace(iface, name string, v any) error {
	p.mu.Lock()
	pr := p.m[iface][name]
	pr.value = v
	e := pr.emit
	p.mu.Unlock()
	if e != emitChanged {
		return nil
	}
	return p.conn.Emit(p.path, "org.freedesktop.DBus.Properties.PropertiesChanged",
		iface, map[string]dbus.Variant{name: dbus.MakeVariant(v)}, []string{})
}

// introspection describes an interface's properties, by name.
func (p *props) introspection(iface string) []introspect.Property {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ps []introspect.Property
	for name, pr := range p.m[iface] {
		access := "read"
		if pr.set != nil {
			access = "readwrite"
		}
		ip := introspect.Property{Name: name, Type: dbus.SignatureOf(pr.value).String(), Access: access}
		switch pr.emit {
		case emitConst:
			ip.Annotations = []introspect.Annotation{{Name: "org.freedesktop.DBus.Property.EmitsChangedSignal", Value: "const"}}
		case emitNone:
			ip.Annotations = []introspect.Annotation{{Name: "org.freedesktop.DBus.Property.EmitsChangedSignal", Value: "false"}}
		}
		ps = append(ps, ip)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}
