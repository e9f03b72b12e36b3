// Package player turns routines into sound.
//
// A routine.Library of stretches and routines (package routine loads and
// validates it) is what Compile reads: it turns one routine, or one stretch
// played alone, into a Timeline: events at exact sample offsets (voice cues,
// tones, holds and rests) with labels saying which stretch, side and
// repetition is running. Everything else reads that timeline: the plan
// printer, the renderer that makes it a beep.StreamSeeker, the live session
// and the export to a WAV or FLAC file.
package player
