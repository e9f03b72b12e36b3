// Package listen turns spoken commands into the controls of a live
// session: it feeds what a microphone hears to a keyword spotter
// (package kws) listening for "limber pause", "limber next" and the
// other phrases of Commands, and sends each command it is sure of as the
// key it stands for, beside the keyboard's and the media keys'.
//
// A phrase is often matched by several detections at once (the spotter
// hears "limber pause" and, a little less surely, "limber back"): the
// detections that overlap are gathered for a moment (Options.Settle) and
// the surest one the speaker paused after wins (Options.Pause: people
// stop after a command, other speech mostly goes on), acted on only when
// it is as sure as its phrase asks (Command.MinScore) and the wake word
// was heard on its own at its start (Wake). limber knows when it makes sound itself (its
// cues, tones and acknowledgements), to the sample of its timeline and
// to the millisecond of the clock (Echo): a phrase heard while that
// sound, with a margin for the room, reached the microphone is
// ignored, so limber's own voice is never a command.
package listen
