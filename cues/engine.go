package cues

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/limber-audio/limber/internal/tail"
)

// Engine is a text-to-speech program that voices a user's words. Limber
// runs one only before anything plays, and keeps what it made in a Cache.
type Engine interface {
	// Name names the engine and voice for people: "festival (slt)".
	Name() string
	// Key identifies the engine, voice and settings in the cache: a
	// different key means different sound.
	Key() string
	// Available returns nil when the engine can run on this machine, or
	// what is missing.
	Available() error
	// Synthesize speaks text into a new WAV file at out. It stops when ctx
	// is done.
	Synthesize(ctx context.Context, text, out string) error
}

// FestivalVoice is the festival voice of the built-in pack; new words
// spoken with it sit beside the built-in clips without a change of voice.
const FestivalVoice = "cmu_us_slt_arctic_hts"

// festivalVoiceDirs are where Debian and festival's own install put
// voices.
var festivalVoiceDirs = []string{"/usr/share/festival/voices", "/usr/lib/festival/voices", "/usr/local/share/festival/voices"}

// Festival is festival's text2wave with the HTS voice FestivalVoice and
// limber's lexicon (Lexicon), so that words such as "buttock" and
// "piriformis" are said as they should be.
type Festival struct{}

// Name implements Engine.
func (Festival) Name() string { return "festival (slt)" }

// Key implements Engine: the voice and the lexicon, so that a word
// added to the lexicon is voiced anew.
func (Festival) Key() string {
	_, hash := festivalLexicon()
	return "festival/" + FestivalVoice + "/lexicon-" + hash
}

// Available implements Engine: text2wave on the PATH and the voice
// installed.
func (Festival) Available() error {
	if _, err := exec.LookPath("text2wave"); err != nil {
		return errors.New("festival is not installed")
	}
	for _, d := range festivalVoiceDirs {
		if m, _ := filepath.Glob(filepath.Join(d, "*", FestivalVoice)); len(m) > 0 {
			return nil
		}
	}
	return fmt.Errorf("festival has no voice %s (festvox-us-slt-hts)", FestivalVoice)
}

// Synthesize implements Engine.
func (Festival) Synthesize(ctx context.Context, text, out string) error {
	in := out + ".txt"
	if err := os.WriteFile(in, []byte(text+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(in)
	lex := out + ".scm"
	scheme, _ := festivalLexicon()
	if err := os.WriteFile(lex, []byte(scheme), 0o600); err != nil {
		return err
	}
	defer os.Remove(lex)
	// The voice first: its lexicon is the one the entries go into.
	return runEngine(ctx, nil, "text2wave", "-eval", "(voice_"+FestivalVoice+")", "-eval", lex, "-o", out, in)
}

// Espeak is espeak-ng with its American English voice: robotic next to
// festival's, but small and nearly everywhere.
type Espeak struct{}

// Name implements Engine.
func (Espeak) Name() string { return "espeak-ng (en-us)" }

// Key implements Engine.
func (Espeak) Key() string { return "espeak-ng/en-us" }

// Available implements Engine.
func (Espeak) Available() error {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		return errors.New("espeak-ng is not installed")
	}
	return nil
}

// Synthesize implements Engine. The text goes on standard input, so words
// that start with '-' are never taken for options.
func (Espeak) Synthesize(ctx context.Context, text, out string) error {
	return runEngine(ctx, strings.NewReader(text), "espeak-ng", "-v", "en-us", "-w", out)
}

// Command is an engine the user names with --tts: a command line with
// {out} standing for the WAV file to write and, optionally, {text} for the
// words; without {text} the words go to its standard input. The line is
// split into words like a shell does (with ” and "" quotes) but no shell
// runs it, so the words are never interpreted.
type Command struct {
	Template string
	args     []string
}

// ParseCommand checks a --tts template.
func ParseCommand(template string) (*Command, error) {
	args, err := splitCommand(template)
	if err != nil {
		return nil, fmt.Errorf("--tts: %w", err)
	}
	if len(args) == 0 {
		return nil, errors.New("--tts: empty command")
	}
	if !strings.Contains(template, "{out}") {
		return nil, errors.New("--tts: the command must say where to write the WAV file with {out}")
	}
	if strings.Contains(args[0], "{") {
		return nil, errors.New("--tts: the command must start with a program name")
	}
	return &Command{Template: template, args: args}, nil
}

// Name implements Engine.
func (c *Command) Name() string { return filepath.Base(c.args[0]) }

// Key implements Engine: the template itself.
func (c *Command) Key() string { return "command/" + c.Template }

// Available implements Engine.
func (c *Command) Available() error {
	if _, err := exec.LookPath(c.args[0]); err != nil {
		return fmt.Errorf("--tts: %s not found", c.args[0])
	}
	return nil
}

// Synthesize implements Engine.
func (c *Command) Synthesize(ctx context.Context, text, out string) error {
	args := make([]string, len(c.args))
	stdin := strings.NewReader(text)
	for i, a := range c.args {
		if strings.Contains(a, "{text}") {
			stdin = nil
		}
		args[i] = strings.NewReplacer("{text}", text, "{out}", out).Replace(a)
	}
	if stdin == nil {
		return runEngine(ctx, nil, args[0], args[1:]...)
	}
	return runEngine(ctx, stdin, args[0], args[1:]...)
}

// runEngine runs an engine's program and turns a failure into an error
// that ends with the last line it printed. Of what it prints, only the
// end is kept (an engine printing gigabytes costs a few kilobytes). It
// runs in a process group of its own, which is ended when it exits or
// ctx is done: nothing it started outlives it, not even a child that
// holds its output open.
func runEngine(ctx context.Context, stdin *strings.Reader, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	// The engine writes into a pipe of limber's own, not one exec
	// copies from: Wait then returns when the engine exits, whoever
	// else holds the pipe, and the group is ended at once.
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = w, w
	ownGroup(cmd)
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return err
	}
	out := &tail.Buffer{}
	copied := make(chan struct{})
	go func() {
		io.Copy(out, r)
		close(copied)
	}()
	err = cmd.Wait()
	endGroup(cmd)
	select {
	case <-copied:
	case <-time.After(waitDelay): // a child that left the group still holds the pipe
	}
	r.Close()
	<-copied
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name = filepath.Base(name)
		if last := out.LastLine(160); last != "" {
			return fmt.Errorf("%s: %w: %s", name, err, last)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// splitCommand splits a command line into words: white space separates
// them, and '...' or "..." keep it (no escapes inside single quotes; \"
// and \\ inside double quotes).
func splitCommand(s string) ([]string, error) {
	var (
		args  []string
		cur   strings.Builder
		inArg bool
		quote rune
	)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch {
			case r == '"':
				quote = 0
			case r == '\\' && i+1 < len(rs) && (rs[i+1] == '"' || rs[i+1] == '\\'):
				i++
				cur.WriteRune(rs[i])
			default:
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case unicode.IsSpace(r):
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}
