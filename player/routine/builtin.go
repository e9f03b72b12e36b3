package routine

import _ "embed"

// builtinJSON is the built-in routines.json, embedded in the binary: the
// stretch library and the routines made from it.
//
//go:embed routines.json
var builtinJSON []byte
