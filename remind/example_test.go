package remind_test

import (
	"fmt"
	"time"

	"github.com/limber-audio/limber/remind"
)

// A reminder every 90 minutes of the working day, as a systemd timer:
// one OnCalendar line for each minute past the hour it fires at.
func ExampleTimer() {
	from, _ := remind.ParseClock("09:00")
	to, _ := remind.ParseClock("17:00")
	sched, err := remind.Repeating(90*time.Minute, from, to)
	if err != nil {
		panic(err)
	}
	timer, err := remind.Timer(remind.Reminder{
		Name:     "desk-break",
		Schedule: sched,
		Command:  []string{"/usr/local/bin/limber", "nudge", "desk-break"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(sched.Times())
	fmt.Print(timer)
	// Output:
	// [09:00 10:30 12:00 13:30 15:00 16:30]
	// # Written by limber remind; "limber remind --off desk-break" removes it.
	// [Unit]
	// Description=limber: time to stretch, desk-break (every 1h30m between 09:00-17:00)
	// X-Limber-Schedule=every 1h30m between 09:00-17:00
	//
	// [Timer]
	// OnCalendar=*-*-* 09,12,15:00:00
	// OnCalendar=*-*-* 10,13,16:30:00
	// AccuracySec=1min
	//
	// [Install]
	// WantedBy=timers.target
}
