package main

import (
	"errors"
	"fmt"
	"strconv"

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
