package listen

import (
	"github.com/limber-audio/limber/kws"
	"github.com/limber-audio/limber/player"
)

// WakeWord starts every command.
const WakeWord = "limber"

// Command is one phrase and the key it presses.
type Command struct {
	// Phrase is what is said: the wake word and a word or two.
	Phrase string
	// Key is the control it stands for. A heard KeyPause only pauses (it
	// does not resume a paused session); KeyResume only resumes.
	Key player.Key
	// MinScore is how sure of the phrase the decoder must be for the
	// spotter to act on it, as a kws.Detection's Score.
	MinScore int
	// LoudMinScore is MinScore in a loud noise, for a detection the
	// decoder heard through its noise suppressor (kws.Detection.Denoised):
	// scores run otherwise there, for the phrase said and for other
	// speech alike. The decoder reports the phrase at the lower of the
	// two (Config); the spotter keeps what reaches the one that applies.
	LoudMinScore int
}

// PhoneLoop is the phone loop probability the decoder runs with (see
// kws.Config); Commands' thresholds were tuned with it.
const PhoneLoop = 1e-10

// NoiseFloor is the decoder's noise floor in dB below the speech (see
// kws.Config).
const NoiseFloor = 30

// Denoise is how far, in dB, the decoder lowers a loud steady noise
// (see kws.Config): in pink noise 10 dB under the voice the spotter
// acts on 109 commands of the corpus's 180 with it; without it, tuned
// on the corpus before its last three readings in loud noise, 84.
const Denoise = 15

// Commands are the phrases limber listens for, with the scores
// TestTune found on the corpus the tests make: the most commands acted
// on within 1.5 s, with at most one false command an hour of other
// speech and no phrase heard less than 3 times in 4 (if it can be
// helped). They were found with the spotter waiting for the pause after
// a phrase (Options.Pause), which rules out most of what other speech
// resembles: they can be lower than they could without it. The loud
// ones (LoudMinScore) were set by the corpus's commands and 90 minutes
// of other speech in noise 10 dB under the voice, which the decoder
// hears denoised. They were found with the spotter asking for the wake
// word on its own as well, though less than WakeScores does (-1400 to
// -1600 as heard, nothing denoised). TestTune, holding the wake word
// to WakeScores, has found nothing better since: on that corpus it
// lowered the loud thresholds to 90.9 % of the commands, and the
// held-out corpus gave 2.7 false commands an hour; on the corpus with
// 190 minutes of speech in loud noise, it came to 88.8 %, where these
// keep 89.2 % and 0.84 false commands an hour (89.4 % since the spotter
// settles for 550 ms, see Options.Settle; 90.6 % and 0.59 an hour with
// the Accents as they are, on the corpus with 213 minutes).
var Commands = []Command{
	{"limber pause", player.KeyPause, -800, -900},
	{"limber continue", player.KeyResume, -900, -700},
	{"limber resume", player.KeyResume, -650, -950},
	{"limber go on", player.KeyResume, -900, -600},
	{"limber next", player.KeyNext, -800, -1300},
	{"limber back", player.KeyBack, -500, -850},
	{"limber repeat", player.KeyRepeat, -650, -900},
	{"limber louder", player.KeyLouder, -800, -1100},
	{"limber quieter", player.KeySofter, -1000, -850},
	{"limber stop", player.KeyQuit, -1200, -650},
}

// Accent is another way of saying a command, listened for as well: the
// phrase as it is said, in words of AccentWords, and the phrase of
// Commands it stands for, whose key it has. The decoder hears a phrase
// as one pronunciation of each word (the first the dictionary gives),
// in US English; said with a British vowel or without an r, a command
// scores far lower. An accent has thresholds of its own: its spelling
// makes the decoder surer of other speech in that accent too, so that
// where the command's thresholds would keep it, they may not keep out
// other speech heard as it.
type Accent struct {
	// As is the phrase as it is said.
	As string
	// Phrase is the phrase of Commands it stands for.
	Phrase string
	// MinScore and LoudMinScore are as a Command's, for the accent.
	MinScore, LoudMinScore int
}

// Accents are the ways of saying commands limber listens for besides
// Commands' own: the British vowels of "go on" (the "o" of "lot",
// cmudict's second "on"), "back" and "stop", and "quieter" and "louder"
// without their r. In espeak-ng's British voice (en-gb+klatt2) said
// clean, "limber go on" scored -1342 to -1513 as spelt and -669 to -898
// so, "limber quieter" -1163 to -1384 and -777 to -1047, against
// thresholds of -900 and -1000. Their thresholds are TestTune's
// (-tune-accents, the phrases' held), on the corpus with a British
// reading in loud noise among its other speech. 1000, the strictest it
// tries, is where an accent won nothing: "limber back'gb" heard
// denoised (other British speech in loud noise came to -422 so, at its
// command's threshold of -850), "limber stop'gb" as heard.
// A British "limber resume" (R IH Z Y UW M) won nothing either way.
var Accents = []Accent{
	{"limber go on'gb", "limber go on", -900, -800},
	{"limber quieter'gb", "limber quieter", -750, -750},
	{"limber back'gb", "limber back", -850, 1000},
	{"limber louder'gb", "limber louder", -850, -1000},
	{"limber stop'gb", "limber stop", 1000, -800},
}

// AccentWords are the pronunciations of the words Accents make up.
var AccentWords = map[string]string{
	"on'gb":      "AO N",
	"quieter'gb": "K W AY AH T AH",
	"back'gb":    "B AA K",
	"louder'gb":  "L AW D AH",
	"stop'gb":    "S T AO P",
}

// accentsOf returns the accents of phrase among accents.
func accentsOf(accents []Accent, phrase string) []Accent {
	var out []Accent
	for _, a := range accents {
		if a.Phrase == phrase {
			out = append(out, a)
		}
	}
	return out
}

// Wake is how sure of the wake word on its own the decoder must be, at
// the start of a command, for the spotter to act on the command. A
// phrase's score is one figure for the whole of it: other speech that
// scores high often has a command word in it ("will continue") after
// words only a little like "limber". The decoder listens for the wake
// word alone as well; a command is acted on only where it heard it, as
// sure as this, starting at most 200 ms before the command does or in
// its first 40 %, and ending inside it.
type Wake struct {
	// MinScore is the wake word's least score, as a kws.Detection's
	// Score.
	MinScore int
	// LoudMinScore is MinScore for a command heard denoised, in a loud
	// noise (kws.Detection.Denoised).
	LoudMinScore int
}

// WakeScores are the wake word's scores. They are not TestTune's: on
// the tuned corpus the phrases' own thresholds already rule out the
// other speech in loud noise that the wake word tells apart, and the
// search, which asks for the most commands, finds nothing to gain. They
// are the highest (in steps of 100) that keep at least 98.5 % of the
// wake words of the tuned corpus's commands heard at Commands' scores:
// 552 of 553 as heard, 238 of 241 heard denoised. On the held-out
// corpus they took out one of its two false commands (in brown noise at
// 10 dB) and one command of 240.
var WakeScores = Wake{MinScore: -1300, LoudMinScore: -1300}

// Config returns the decoder configuration that listens for commands,
// their Accents, and the wake word alone.
func Config(commands []Command, wake Wake) kws.Config {
	cfg := kws.Config{PhoneLoop: PhoneLoop, NoiseFloor: NoiseFloor, Denoise: Denoise}
	for _, c := range commands {
		cfg.Phrases = append(cfg.Phrases, phraseAt(c.Phrase, c.MinScore, c.LoudMinScore))
	}
	for _, c := range commands {
		for _, a := range accentsOf(Accents, c.Phrase) {
			cfg.Phrases = append(cfg.Phrases, phraseAt(a.As, a.MinScore, a.LoudMinScore))
		}
	}
	if len(cfg.Phrases) > len(commands) {
		cfg.Words = AccentWords // the words the accents make up
	}
	cfg.Phrases = append(cfg.Phrases, phraseAt(WakeWord, wake.MinScore, wake.LoudMinScore))
	return cfg
}

// phraseAt is text for the decoder to report at the lower of its two
// least scores, as heard and denoised: the spotter holds each detection
// to the one that applies.
func phraseAt(text string, minScore, loudMinScore int) kws.Phrase {
	return kws.Phrase{Text: text, Threshold: kws.ThresholdOf(min(minScore, loudMinScore))}
}
