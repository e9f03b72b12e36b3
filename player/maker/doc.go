// Package maker makes routines to measure. From the stretch library, a
// length in minutes, the body areas to work, the positions a person can
// take and what to avoid, Make chooses stretches and their holds so that
// the session lasts the time asked; Fit brings a routine of the library
// to a length by changing holds and repeats.
//
// Both are pure functions of their inputs: a seed stands for chance, so
// the same ask gives the same routine, and what was done recently (from
// the practice log) only changes the order of preference. The routine
// made is an ordinary *routine.Routine, compiled like any other; its
// length is measured by compiling it with the real voice, not guessed.
//
// The recipe, which the tests hold for every ask:
//   - the session lasts the asked minutes within 5% or 15 s, whichever is
//     larger;
//   - at least two thirds of the hold time goes to stretches that work a
//     focus area, and every focus area gets a stretch;
//   - static holds follow ACSM's guidance: 15 to 30 s (30 to 60 s when
//     gentle), up to about a minute per stretch and side; moves held for
//     less keep their own rhythm and change only their repeats;
//   - positions come in blocks (standing, chair, floor, or the reverse);
//   - no stretch twice, unless the time cannot be filled otherwise; then a
//     second round, never back to back.
package maker
