package remind

import (
	"bufio"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Reminder is one reminder: its name (the routine it offers), when it
// fires and the command it runs then.
type Reminder struct {
	Name     string
	Schedule Schedule
	// Command is the program and its arguments: the limber binary's
	// absolute path, "nudge", the name and its flags.
	Command []string
}

var nameForm = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// CheckName accepts the names a routine or stretch may have: lower-case
// letters, digits and '-', at most 64.
func CheckName(name string) error {
	if !nameForm.MatchString(name) {
		return fmt.Errorf("a reminder's name is a routine or stretch id (a-z, 0-9 and -), got %q", name)
	}
	return nil
}

func (r Reminder) check() error {
	if err := CheckName(r.Name); err != nil {
		return err
	}
	if err := r.Schedule.check(); err != nil {
		return err
	}
	if len(r.Command) == 0 {
		return fmt.Errorf("reminder %s: no command", r.Name)
	}
	for _, a := range r.Command {
		if strings.IndexFunc(a, unicode.IsControl) >= 0 {
			return fmt.Errorf("reminder %s: a control character in the command %q", r.Name, a)
		}
	}
	return nil
}

// UnitName is the systemd units' name without the suffix:
// limber-remind-NAME (.timer and .service).
func UnitName(name string) string { return "limber-remind-" + name }

// scheduleKey carries the schedule in the timer, for List; systemd
// ignores keys that start with X-.
const scheduleKey = "X-Limber-Schedule="

// Timer returns the systemd timer unit of r: OnCalendar lines for its
// times (one per minute past the hour they share), to the minute.
func Timer(r Reminder) (string, error) {
	if err := r.check(); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by limber remind; \"limber remind --off %s\" removes it.\n", r.Name)
	fmt.Fprintf(&b, "[Unit]\nDescription=limber: time to stretch, %s (%s)\n%s%s\n\n[Timer]\n", r.Name, r.Schedule, scheduleKey, r.Schedule)
	hours := map[int][]string{} // minute past the hour -> hours
	for _, c := range r.Schedule.Times() {
		m := int(c % 60)
		hours[m] = append(hours[m], fmt.Sprintf("%02d", c/60))
	}
	var minutes []int
	for m := range hours {
		minutes = append(minutes, m)
	}
	slices.Sort(minutes)
	for _, m := range minutes {
		fmt.Fprintf(&b, "OnCalendar=*-*-* %s:%02d:00\n", strings.Join(hours[m], ","), m)
	}
	b.WriteString("AccuracySec=1min\n\n[Install]\nWantedBy=timers.target\n")
	return b.String(), nil
}

// Service returns the systemd service unit the timer of r starts.
func Service(r Reminder) (string, error) {
	if err := r.check(); err != nil {
		return "", err
	}
	args := make([]string, len(r.Command))
	for i, a := range r.Command {
		args[i] = execQuote(a)
	}
	return fmt.Sprintf("# Written by limber remind; \"limber remind --off %s\" removes it.\n"+
		"[Unit]\nDescription=limber: offer to play %s\n\n[Service]\nType=exec\nExecStart=%s\n",
		r.Name, r.Name, strings.Join(args, " ")), nil
}

// execQuote quotes one argument of ExecStart: in double quotes with C
// escapes, and with systemd's specifiers (%) and variables ($) doubled so
// they stay as written.
func execQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$").Replace(s)
	return `"` + s + `"`
}

// ReadTimer returns the schedule a timer written by Timer carries.
func ReadTimer(text string) (Schedule, error) {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), scheduleKey); ok {
			return ParseSchedule(v)
		}
	}
	return Schedule{}, fmt.Errorf("no %s line: not written by limber remind", strings.TrimSuffix(scheduleKey, "="))
}

// Label is the launchd agent's label for name.
func Label(name string) string { return "io.github.limber-audio.remind." + name }

// plistSchedule carries the schedule in the property list, for List.
const plistSchedule = "<!-- limber-schedule: "

// Plist returns the launchd agent of r: one StartCalendarInterval entry
// for each time it fires.
func Plist(r Reminder) (string, error) {
	if err := r.check(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	// A comment may not hold "--": it names the command that removes it
	// in words.
	b.WriteString("<!-- Written by limber remind; its off flag removes it. -->\n")
	fmt.Fprintf(&b, "%s%s -->\n", plistSchedule, r.Schedule)
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	fmt.Fprintf(&b, "\t<key>Label</key>\n\t<string>%s</string>\n", xmlText(Label(r.Name)))
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, a := range r.Command {
		fmt.Fprintf(&b, "\t\t<string>%s</string>\n", xmlText(a))
	}
	b.WriteString("\t</array>\n\t<key>StartCalendarInterval</key>\n\t<array>\n")
	for _, c := range r.Schedule.Times() {
		fmt.Fprintf(&b, "\t\t<dict><key>Hour</key><integer>%d</integer><key>Minute</key><integer>%d</integer></dict>\n", c/60, c%60)
	}
	b.WriteString("\t</array>\n</dict>\n</plist>\n")
	return b.String(), nil
}

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// ReadPlist returns the schedule a property list written by Plist
// carries.
func ReadPlist(text string) (Schedule, error) {
	_, rest, ok := strings.Cut(text, plistSchedule)
	if !ok {
		return Schedule{}, fmt.Errorf("no limber-schedule comment: not written by limber remind")
	}
	v, _, ok := strings.Cut(rest, " -->")
	if !ok {
		return Schedule{}, fmt.Errorf("limber-schedule comment not closed")
	}
	return ParseSchedule(v)
}
