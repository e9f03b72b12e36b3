// Package notify asks a person something through a desktop
// notification with buttons, and waits for the answer: on Linux and
// other free desktops through the notification server on the D-Bus
// session bus (org.freedesktop.Notifications, which GNOME, KDE, dunst,
// mako and the others implement), on macOS through a dialog shown by
// osascript.
//
// A machine with no notification server is normal (a server, a text
// console): Connect says so with ErrNoServer and limber nudge ends.
package notify
