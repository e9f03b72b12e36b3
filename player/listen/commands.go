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
	// MinScore is how sure of the phrase the decoder must be to report
	// it, as a kws.Detection's Score: the phrase's threshold is
	// kws.ThresholdOf(MinScore).
	MinScore int
}

// PhoneLoop is the phone loop probability the decoder runs with (see
// kws.Config); Commands' thresholds were tuned with it.
const PhoneLoop = 1e-10

// NoiseFloor is the decoder's noise floor in dB below the speech (see
// kws.Config).
const NoiseFloor = 30

// Denoise is how far, in dB, the decoder lowers a loud steady noise
// (see kws.Config): in pink noise 10 dB under the voice the spotter
// acts on 106 commands of the corpus's 180 with it, 84 without.
const Denoise = 15

// Commands are the phrases limber listens for, with the scores
// TestTune found on the corpus the tests make: the most commands acted
// on within 1.5 s, with at most one false command an hour of other
// speech and no phrase heard less than 3 times in 4 (if it can be
// helped). They were found with the spotter waiting for the pause after
// a phrase (Options.Pause), which rules out most of what other speech
// resembles: they can be lower than they could without it. "limber
// next" was raised from -1200 by hand, above one heard in TestCorpus's
// voice pack (every eighth clip: clips meet there that never meet in
// the tuned corpus).
var Commands = []Command{
	{"limber pause", player.KeyPause, -900},
	{"limber continue", player.KeyResume, -900},
	{"limber resume", player.KeyResume, -1100},
	{"limber go on", player.KeyResume, -700},
	{"limber next", player.KeyNext, -1050},
	{"limber back", player.KeyBack, -550},
	{"limber repeat", player.KeyRepeat, -650},
	{"limber louder", player.KeyLouder, -900},
	{"limber quieter", player.KeySofter, -850},
	{"limber stop", player.KeyQuit, -950},
}

// Config returns the decoder configuration that listens for commands.
func Config(commands []Command) kws.Config {
	cfg := kws.Config{PhoneLoop: PhoneLoop, NoiseFloor: NoiseFloor, Denoise: Denoise}
	for _, c := range commands {
		cfg.Phrases = append(cfg.Phrases, kws.Phrase{Text: c.Phrase, Threshold: kws.ThresholdOf(c.MinScore)})
	}
	return cfg
}
