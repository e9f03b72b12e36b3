// Package routine is limber's routine format: the model (a Library of
// stretches and the routines built from them), the JSON loader with
// positioned validation errors, and the layering of a user's files over the
// built-in library.
//
// Every problem in a file is reported as FILE:LINE:COL: FIELD: what is
// wrong, up to MaxProblems of them. The model holds no audio and no beep
// types: package player compiles it to a timeline.
package routine
