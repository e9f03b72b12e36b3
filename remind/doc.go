// Package remind writes the reminders of limber remind: a schedule
// (daily at a time, or every so often between two times of day) turned
// into the service manager's own files, which run "limber nudge NAME"
// when one is due. On Linux they are systemd user units (a .timer and
// its .service under $XDG_CONFIG_HOME/systemd/user), on macOS a launchd
// agent (a property list under ~/Library/LaunchAgents).
//
// The files are made by pure functions (Unit, Plist) and carry their
// schedule, so List reads the reminders back from them alone. A Manager
// writes and removes them and turns them on and off with systemctl or
// launchctl; where no service manager runs for the user (a container, a
// server without a login session) it writes the files and hands back
// the commands to run later instead.
package remind
