// Package tone makes the short tones that mark a hold: its start, the
// countdown ticks, its end, a side switch and the routine's finish, each
// with its own pitches and length so they can be told apart with eyes
// closed, and shaped so none of them clicks. It also makes the live
// session's own soft sounds for pausing and resuming, which no routine
// holds.
package tone
