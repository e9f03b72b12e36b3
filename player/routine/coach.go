package routine

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

// Callout cadences a routine may ask for, in seconds between time-left
// callouts in holds of 45 s or more (0 turns them off).
var calloutCadences = []int{0, 15, 30, 60}

// DefaultCalloutEvery is the cadence of time-left callouts when a routine
// does not set one.
const DefaultCalloutEvery = 15
