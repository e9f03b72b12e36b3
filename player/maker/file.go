package maker

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/limber-audio/limber/player/routine"
)

// File returns the routine as an ordinary routine file, which limber
// check accepts and which plays exactly the same plan when layered over
// the library it was made from (the stretches are named by id).
func (m *Made) File() []byte {
	r := m.Routine
	var b strings.Builder
	q := func(s string) string {
		j, _ := json.Marshal(s)
		return string(j)
	}
	fmt.Fprintf(&b, "{\n  \"version\": %d,\n  \"routines\": {\n    %s: {\n", routine.FormatVersion, q(r.ID))
	fmt.Fprintf(&b, "      \"name\": %s,\n", q(r.Name))
	if r.Description != "" {
		fmt.Fprintf(&b, "      \"description\": %s,\n", q(r.Description))
	}
	fmt.Fprintf(&b, "      \"lead_in\": %s,\n      \"rest\": %s,\n", num(r.LeadIn), num(r.Rest))
	if r.Closing != routine.DefaultClosing {
		fmt.Fprintf(&b, "      \"closing\": %s,\n", q(r.Closing))
	}
	if r.Coach != routine.CoachDefault {
		fmt.Fprintf(&b, "      \"coach\": %s,\n", q(r.Coach.String()))
	}
	if r.CalloutEvery != routine.DefaultCalloutEvery {
		fmt.Fprintf(&b, "      \"callout_every\": %d,\n", r.CalloutEvery)
	}
	b.WriteString("      \"stretches\": [\n")
	for i, it := range r.Items {
		fmt.Fprintf(&b, "        {\"stretch\": %s", q(it.Stretch))
		if it.Hold > 0 {
			fmt.Fprintf(&b, ", \"hold\": %s", num(it.Hold))
		}
		if it.Repeats > 0 {
			fmt.Fprintf(&b, ", \"repeats\": %d", it.Repeats)
		}
		b.WriteString("}")
		if i < len(r.Items)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("      ]\n    }\n  }\n}\n")
	return []byte(b.String())
}

// num writes a number of seconds as JSON that reads back to the same
// float64.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
