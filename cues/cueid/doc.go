// Package cueid says what a cue id is: the alphabet of the voice pack's
// ids (Valid, LooksLike), and the ids a user's own words get (OfWords,
// Phrase). It knows no clips and no sound, so the routine model can read
// a routine file's cues without the voice.
package cueid
