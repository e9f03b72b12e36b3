package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// rangedFloat is a float flag that says what is wrong with a bad value:
// not a number, or out of the range the flag takes (pflag's own float
// flag calls 1e309 "not a number").
type rangedFloat struct {
	p      *float64
	lo, hi float64
}

func (f *rangedFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return fmt.Errorf("out of range: must be between %g and %g", f.lo, f.hi)
	case err != nil:
		return fmt.Errorf("must be a number between %g and %g", f.lo, f.hi)
	}
	*f.p = v
	return nil
}

func (f *rangedFloat) String() string { return strconv.FormatFloat(*f.p, 'g', -1, 64) }
func (f *rangedFloat) Type() string   { return "float" }

// floatVar defines a float flag with a default and the range it takes
// (the range is checked again where the value is used).
func floatVar(fs *pflag.FlagSet, p *float64, name string, value, lo, hi float64, usage string) {
	*p = value
	fs.Var(&rangedFloat{p: p, lo: lo, hi: hi}, name, usage)
}

// percentFlag is a volume flag in per cent, the one scale limber shows
// volume in (the status line says "vol 80%"): 80 or 80%, from 0 to hi.
// It stores the gain, the per cent over 100. A number from 0 to 1.5
// without a % sign is refused with the per cent it would be as a gain
// (the scale --volume once took): --volume 1 meaning 1% would be a
// nasty surprise.
type percentFlag struct {
	p  *float64 // the gain
	hi float64  // per cent
}

func (f *percentFlag) Set(s string) error {
	t := strings.TrimSpace(s)
	sign := strings.HasSuffix(t, "%")
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	v, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil || math.IsNaN(v):
		return fmt.Errorf("must be a per cent from 0 to %g, such as 80 or 80%%", f.hi)
	case v < 0 || v > f.hi:
		return fmt.Errorf("must be between 0 and %g per cent", f.hi)
	case !sign && v > 0 && v <= 1.5 && v*100 <= f.hi:
		return fmt.Errorf("volume is in per cent, from 0 to %g: did you mean %g? (%s%% says you mean it)", f.hi, float64(v*100), t)
	}
	*f.p = v / 100
	return nil
}

func (f *percentFlag) String() string { return strconv.FormatFloat(*f.p*100, 'g', -1, 64) + "%" }
func (f *percentFlag) Type() string   { return "percent" }

// percentVar defines a volume flag in per cent (see percentFlag) whose
// gain is stored in p, from a default in per cent.
func percentVar(fs *pflag.FlagSet, p *float64, name string, value, hi float64, usage string) {
	*p = value / 100
	fs.Var(&percentFlag{p: p, hi: hi}, name, usage)
}
