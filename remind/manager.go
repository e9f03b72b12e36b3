package remind

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/limber-audio/limber/internal/input"
	"github.com/limber-audio/limber/internal/tail"
)

// System is a service manager that runs reminders.
type System int

// The service managers.
const (
	Systemd System = iota // Linux: user timers
	Launchd               // macOS: user agents
)

// Manager keeps the reminders of one user: their files in Dir, turned
// on and off through the system's service manager.
type Manager struct {
	System System
	// Dir is where the files go: $XDG_CONFIG_HOME/systemd/user, or
	// ~/Library/LaunchAgents.
	Dir string
	// UID is the user's id, for launchctl's gui/UID domain.
	UID int
}

// ErrUnsupported means the system has no service manager limber knows.
var ErrUnsupported = errors.New("reminders need systemd (Linux) or launchd (macOS)")

// ErrNotFound means there is no reminder of that name.
var ErrNotFound = errors.New("no such reminder")

// ForOS returns the manager for goos (runtime.GOOS), with its files
// under configDir (the user's configuration folder, for systemd) or
// home (for launchd).
func ForOS(goos, configDir, home string) (*Manager, error) {
	switch goos {
	case "darwin":
		return &Manager{System: Launchd, Dir: filepath.Join(home, "Library", "LaunchAgents"), UID: os.Getuid()}, nil
	case "windows", "plan9", "js", "wasip1", "ios", "android":
		return nil, ErrUnsupported
	}
	return &Manager{System: Systemd, Dir: filepath.Join(configDir, "systemd", "user")}, nil
}

// Result says what Add or Remove did.
type Result struct {
	// Files are the files written or removed.
	Files []string
	// Pending holds the commands that turn the change on, when no
	// service manager runs for the user now; empty when it is done.
	Pending [][]string
}

// files returns the paths of name's files.
func (m *Manager) files(name string) []string {
	if m.System == Launchd {
		return []string{filepath.Join(m.Dir, Label(name)+".plist")}
	}
	base := filepath.Join(m.Dir, UnitName(name))
	return []string{base + ".timer", base + ".service"}
}

// Add writes r's files, replacing a reminder of the same name, and turns
// it on.
func (m *Manager) Add(ctx context.Context, r Reminder) (Result, error) {
	var contents []string
	if m.System == Launchd {
		p, err := Plist(r)
		if err != nil {
			return Result{}, err
		}
		contents = []string{p}
	} else {
		timer, err := Timer(r)
		if err != nil {
			return Result{}, err
		}
		service, err := Service(r)
		if err != nil {
			return Result{}, err
		}
		contents = []string{timer, service}
	}
	if err := os.MkdirAll(m.Dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("remind: %w", err)
	}
	res := Result{Files: m.files(r.Name)}
	for i, path := range res.Files {
		if err := writeFile(path, contents[i]); err != nil {
			return res, err
		}
	}
	if m.System == Launchd {
		domain := "gui/" + strconv.Itoa(m.UID)
		if !m.running(ctx) {
			res.Pending = [][]string{{"launchctl", "bootstrap", domain, res.Files[0]}}
			return res, nil
		}
		m.run(ctx, "launchctl", "bootout", domain+"/"+Label(r.Name)) // an older one, if loaded
		return res, m.run(ctx, "launchctl", "bootstrap", domain, res.Files[0])
	}
	timer := UnitName(r.Name) + ".timer"
	if !m.running(ctx) {
		res.Pending = [][]string{{"systemctl", "--user", "daemon-reload"}, {"systemctl", "--user", "enable", "--now", timer}}
		return res, nil
	}
	if err := m.run(ctx, "systemctl", "--user", "daemon-reload"); err != nil {
		return res, err
	}
	if err := m.run(ctx, "systemctl", "--user", "enable", "--now", timer); err != nil {
		return res, err
	}
	return res, m.run(ctx, "systemctl", "--user", "restart", timer) // a replaced schedule counts from now
}

// Remove turns the reminder name off and removes its files.
func (m *Manager) Remove(ctx context.Context, name string) (Result, error) {
	if err := CheckName(name); err != nil {
		return Result{}, err
	}
	files := m.files(name)
	if _, err := os.Stat(files[0]); errors.Is(err, fs.ErrNotExist) {
		return Result{}, fmt.Errorf("%w named %s", ErrNotFound, name)
	}
	running := m.running(ctx)
	if running {
		if m.System == Launchd {
			m.run(ctx, "launchctl", "bootout", "gui/"+strconv.Itoa(m.UID)+"/"+Label(name))
		} else {
			m.run(ctx, "systemctl", "--user", "disable", "--now", UnitName(name)+".timer")
		}
	}
	if m.System == Systemd {
		// What enable linked, which disable removes when it can run.
		files = append(files, filepath.Join(m.Dir, "timers.target.wants", UnitName(name)+".timer"))
	}
	res := Result{}
	for _, f := range files {
		err := os.Remove(f)
		if err == nil {
			res.Files = append(res.Files, f)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("remind: %w", err)
		}
	}
	if running && m.System == Systemd {
		return res, m.run(ctx, "systemctl", "--user", "daemon-reload")
	}
	return res, nil
}

// Listed is a reminder found in the manager's folder.
type Listed struct {
	Name     string
	Schedule Schedule
	File     string
	// Err says why the file could not be read back, if it could not.
	Err error
}

// List returns the reminders in the folder, by name.
func (m *Manager) List() ([]Listed, error) {
	prefix, suffix := UnitName(""), ".timer"
	if m.System == Launchd {
		prefix, suffix = Label(""), ".plist"
	}
	entries, err := os.ReadDir(m.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("remind: %w", err)
	}
	var out []Listed
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !strings.HasSuffix(name, suffix) || !e.Type().IsRegular() {
			continue
		}
		l := Listed{Name: strings.TrimSuffix(name, suffix), File: filepath.Join(m.Dir, e.Name())}
		data, err := readSmall(l.File)
		if err == nil {
			if m.System == Launchd {
				l.Schedule, err = ReadPlist(string(data))
			} else {
				l.Schedule, err = ReadTimer(string(data))
			}
		}
		l.Err = err
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b Listed) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// readSmall reads a file of limber's own size; a larger one is none of
// its files.
func readSmall(path string) ([]byte, error) {
	f, err := input.Open(path) // what took the name since it was listed is refused, never waited on
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return input.ReadAll(f, 64<<10)
}

// writeFile puts content at path whole: written beside it, then renamed.
func writeFile(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".limber-*.tmp")
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return fmt.Errorf("remind: write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("remind: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("remind: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	return nil
}

// commandWait bounds each systemctl or launchctl call.
const commandWait = 30 * time.Second

// running reports whether the user's service manager answers.
func (m *Manager) running(ctx context.Context) bool {
	if m.System == Launchd {
		return m.run(ctx, "launchctl", "print", "gui/"+strconv.Itoa(m.UID)) == nil
	}
	return m.run(ctx, "systemctl", "--user", "show", "--property=Version") == nil
}

// run runs a command of the service manager; its error carries the
// command's last line of output.
func (m *Manager) run(ctx context.Context, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, commandWait)
	defer cancel()
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	out := &tail.Buffer{} // its last line is all a message needs
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out.LastLine(200))
	}
	return nil
}
