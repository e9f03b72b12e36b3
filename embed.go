// Package limber holds the files embedded at the root of the module: the
// built-in stretch library and routines. The program lives in cmd/limber;
// the code in player, cues and audio.
package limber

import _ "embed"

// RoutinesJSON is the built-in routines.json: the stretch library and the
// routines made from it.
//
//go:embed routines.json
var RoutinesJSON []byte
