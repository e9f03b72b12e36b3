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
// hears denoised.
var Commands = []Command{
	{"limber pause", player.KeyPause, -800, -750},
	{"limber continue", player.KeyResume, -850, -700},
	{"limber resume", player.KeyResume, -650, -950},
	{"limber go on", player.KeyResume, -900, -600},
	{"limber next", player.KeyNext, -800, -1300},
	{"limber back", player.KeyBack, -500, -850},
	{"limber repeat", player.KeyRepeat, -650, -900},
	{"limber louder", player.KeyLouder, -800, -1100},
	{"limber quieter", player.KeySofter, -1000, -850},
	{"limber stop", player.KeyQuit, -1150, -500},
}

// Config returns the decoder configuration that listens for commands.
func Config(commands []Command) kws.Config {
	cfg := kws.Config{PhoneLoop: PhoneLoop, NoiseFloor: NoiseFloor, Denoise: Denoise}
	for _, c := range commands {
		cfg.Phrases = append(cfg.Phrases, kws.Phrase{Text: c.Phrase, Threshold: kws.ThresholdOf(min(c.MinScore, c.LoudMinScore))})
	}
	return cfg
}
