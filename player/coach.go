package player

import (
	"fmt"

	"github.com/limber-audio/limber/player/routine"
)

// cueRole says what a spoken cue is for, which decides at which coaching
// levels it is said.
type cueRole int

const (
	roleEssential   cueRole = iota // get ready, stretch names, sides, rep counts, closing
	roleInstruction                // how-to, tips, step cues, "time to rest"
	roleExtra                      // next-up previews, hold callouts, session length
)

// says reports whether a cue of role is spoken at coaching level c.
func says(c routine.Coach, role cueRole) bool {
	switch c {
	case routine.CoachTones:
		return false
	case routine.CoachBrief:
		return role == roleEssential
	}
	return true
}

// Hold lengths, at the routine's pace, from which callouts are made.
const (
	halfwayFrom  = 20.0 // seconds: "halfway there" in the middle
	timeLeftFrom = 45.0 // seconds: "thirty seconds left" and the like
)

// timeLeftCues are the time-left callouts there are clips for, by seconds
// remaining, longest first.
var timeLeftCues = []int{300, 240, 180, 120, 90, 60, 45, 30, 15}

// sessionMinutes are the lengths "You stretched for about ..." can say.
var sessionMinutes = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 25, 30, 35, 40, 45, 50, 55, 60}

// sessionCues returns the cues that say how long a session of sec seconds
// was: about the nearest length there is a clip for, or "more than an
// hour".
func sessionCues(sec float64) []string {
	minutes := sec / 60
	if minutes > 62.5 {
		return []string{"stretched-long"}
	}
	best := sessionMinutes[0]
	for _, m := range sessionMinutes {
		if abs(float64(m)-minutes) < abs(float64(best)-minutes) {
			best = m
		}
	}
	return []string{"stretched-for", fmt.Sprintf("minutes.%d", best)}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
