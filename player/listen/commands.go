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
	// Threshold is the phrase's detection threshold (see kws.Phrase).
	Threshold float64
}

// PhoneLoop is the phone loop probability the decoder runs with (see
// kws.Config); Commands' thresholds were tuned with it.
const PhoneLoop = 1e-10

// NoiseFloor is the decoder's noise floor in dB below the speech (see
// kws.Config).
const NoiseFloor = 30

// Commands are the phrases limber listens for, with thresholds tuned on
// the corpus its tests make (see the package's benchmark and the
// README): several voices and speeds, noise, and long stretches of other
// speech.
var Commands = []Command{
	{"limber pause", player.KeyPause, 1e-30},
	{"limber continue", player.KeyResume, 1e-30},
	{"limber resume", player.KeyResume, 1e-30},
	{"limber go on", player.KeyResume, 1e-30},
	{"limber next", player.KeyNext, 1e-30},
	{"limber back", player.KeyBack, 1e-30},
	{"limber repeat", player.KeyRepeat, 1e-30},
	{"limber louder", player.KeyLouder, 1e-30},
	{"limber quieter", player.KeySofter, 1e-30},
	{"limber stop", player.KeyQuit, 1e-30},
}

// Config returns the decoder configuration that listens for commands.
func Config(commands []Command) kws.Config {
	cfg := kws.Config{PhoneLoop: PhoneLoop, NoiseFloor: NoiseFloor}
	for _, c := range commands {
		cfg.Phrases = append(cfg.Phrases, kws.Phrase{Text: c.Phrase, Threshold: c.Threshold})
	}
	return cfg
}
