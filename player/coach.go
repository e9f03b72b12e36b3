package player

import "fmt"

// Coach is how much the voice says: everything, the bare minimum, or
// nothing but tones.
type Coach int

// The coaching levels. CoachDefault means "the routine's own choice",
// which is CoachFull unless the routine file says otherwise.
const (
	CoachDefault Coach = iota
	CoachFull          // names, instructions, tips, previews, callouts, session length
	CoachBrief         // stretch names, side switches, rep counts, get ready and done
	CoachTones         // no voice: only the tones
)

var coachNames = [...]string{"", "full", "brief", "tones"}

// String returns "full", "brief" or "tones" ("" for CoachDefault).
func (c Coach) String() string { return coachNames[c] }

// ParseCoach reads a coaching level by name.
func ParseCoach(s string) (Coach, error) {
	for i, n := range coachNames {
		if n == s && i > 0 {
			return Coach(i), nil
		}
	}
	return CoachDefault, fmt.Errorf("coach must be full, brief or tones, got %q", s)
}

// cueRole says what a spoken cue is for, which decides at which coaching
// levels it is said.
type cueRole int

const (
	roleEssential   cueRole = iota // get ready, stretch names, sides, rep counts, closing
	roleInstruction                // how-to, tips, step cues, "time to rest"
	roleExtra                      // next-up previews, hold callouts, session length
)

// says reports whether a cue of role is spoken at coaching level c.
func (c Coach) says(role cueRole) bool {
	switch c {
	case CoachTones:
		return false
	case CoachBrief:
		return role == roleEssential
	}
	return true
}

// Callout cadences a routine may ask for, in seconds between time-left
// callouts in holds of 45 s or more (0 turns them off).
var calloutCadences = []int{0, 15, 30, 60}

// DefaultCalloutEvery is the cadence of time-left callouts when a routine
// does not set one.
const DefaultCalloutEvery = 15

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
