package routine

import (
	"fmt"
	"strings"
)

// ValidationError is one problem found in a routine file, at a position.
type ValidationError struct {
	File  string
	Line  int    // 1-based; 0 when the problem has no position
	Col   int    // 1-based, in bytes
	Field string // path of the field, e.g. "stretches.neck-tilts.steps[1].hold"; may be empty
	Msg   string
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MaxProblems is how many problems a load reports before it stops listing
// them.
const MaxProblems = 20

// ValidationErrors is every problem found in one routine file, in the order
// they appear in it. Error gives one line per problem.
type ValidationErrors struct {
	Errs []*ValidationError
	// Omitted counts problems found beyond MaxProblems.
	Omitted int
}

func (e *ValidationErrors) Error() string {
	lines := make([]string, 0, len(e.Errs)+1)
	for _, v := range e.Errs {
		lines = append(lines, v.Error())
	}
	if e.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("%s: and %d more problems", e.Errs[0].File, e.Omitted))
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual problems, for errors.As.
func (e *ValidationErrors) Unwrap() []error {
	out := make([]error, len(e.Errs))
	for i, v := range e.Errs {
		out[i] = v
	}
	return out
}
