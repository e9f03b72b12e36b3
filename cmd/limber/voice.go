package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/limber-audio/limber/internal/input"
	"github.com/limber-audio/limber/internal/timefmt"

	"github.com/limber-audio/limber/cues"
	"github.com/spf13/pflag"
)

// ttsFlags choose how a user's words are voiced.
type ttsFlags struct {
	command string
	all     bool // the built-in cues too
	timeout time.Duration
}

func (t *ttsFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&t.command, "tts", "", "voice your own words with `COMMAND` ({out}: the WAV file to write; {text}: the words, else on stdin); default: festival, then espeak-ng")
	fs.BoolVar(&t.all, "tts-all", false, "voice the built-in cues with the --tts engine too, so one voice says everything (voiced once, then cached; --voice recordings still win)")
	fs.DurationVar(&t.timeout, "tts-timeout", cues.DefaultTimeout, "give up on a phrase the engine has not voiced within `DURATION`")
}

// cacheDir is one of limber's caches, name, under the user's cache
// directory ($XDG_CACHE_HOME/limber/NAME, by default ~/.cache/limber/NAME):
// "phrases" (voiced words), "clips" (decoded built-in clips) and "music"
// (decoded music beds).
func cacheDir(name string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "limber", name), nil
}

// configDir is limber's folder under the user's configuration directory
// ($XDG_CONFIG_HOME/limber, by default ~/.config/limber).
func configDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "limber"), nil
}

// config is the optional config.json beside the user's routines.json.
type config struct {
	// TTS is the default of --tts.
	TTS string `json:"tts"`
	// TTSAll, when true, voices the built-in cues with that engine too,
	// as --tts-all does.
	TTSAll bool `json:"tts_all"`
	// Avoid lists stretch ids and areas that routines made with
	// --minutes leave out, as --avoid does.
	Avoid []string `json:"avoid"`
	// Log, when false, keeps live sessions out of the practice log
	// (as --no-log does); unset means true.
	Log *bool `json:"log"`
	// GoalDaysPerWeek is the weekly goal limber log measures against,
	// 1 to 7; 0 means the default.
	GoalDaysPerWeek int `json:"goal_days_per_week"`
	// Listen turns on --listen for every session.
	Listen bool `json:"listen"`
}

// maxConfigSize bounds config.json.
const maxConfigSize = 64 << 10

// loadConfig reads config.json from the configuration folder; a missing
// file is the empty config.
func loadConfig() (config, error) {
	var c config
	dir, err := configDir()
	if err != nil {
		return c, nil
	}
	path := filepath.Join(dir, "config.json")
	data, err := readSmallFile(path, maxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, &usageError{err}
	}
	if err := parseConfig(data, &c); err != nil {
		return c, &usageError{fmt.Errorf("%s: %w", path, err)}
	}
	return c, nil
}

// parseConfig reads config.json strictly: unknown fields are errors, so a
// misspelt setting does not go unnoticed.
func parseConfig(data []byte, c *config) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	if g := c.GoalDaysPerWeek; g < 0 || g > 7 {
		return fmt.Errorf("goal_days_per_week must be between 1 and 7, got %d", g)
	}
	return nil
}

// readSmallFile reads a regular file of at most limit bytes.
func readSmallFile(path string, limit int64) ([]byte, error) {
	f, err := input.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // names the file already
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	data, err := input.ReadAll(f, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// engines returns the engines that voice a user's words: the one of
// --tts (or of config.json), else festival then espeak-ng; and whether
// the built-in cues are voiced with it too (--tts-all, or "tts_all" in
// config.json), which needs an engine of the user's: the built-in cues
// are festival's already.
func (t *ttsFlags) engines() (engines []cues.Engine, all bool, err error) {
	cfg, err := loadConfig()
	if err != nil {
		return nil, false, err
	}
	command := t.command
	if command == "" {
		command = cfg.TTS
	}
	all = t.all || cfg.TTSAll
	if command == "" {
		if all {
			return nil, false, usagef(`--tts-all voices the built-in cues with your engine: name it with --tts COMMAND (or "tts" in config.json)`)
		}
		return cues.DefaultEngines(), false, nil
	}
	c, err := cues.ParseCommand(command)
	if err != nil {
		return nil, false, &usageError{err}
	}
	return []cues.Engine{c}, all, nil
}

// allCues reports whether the built-in cues are voiced by the user's
// engine too: --tts-all, or "tts_all" in config.json.
func (t *ttsFlags) allCues() (bool, error) {
	if t.all {
		return true, nil
	}
	cfg, err := loadConfig()
	return cfg.TTSAll, err
}

// cache is the voice cache under the user's cache folder; nil where there
// is none (no HOME), and then words are voiced every time.
func cache() *cues.Cache {
	dir, err := cacheDir("phrases")
	if err != nil {
		return nil
	}
	return &cues.Cache{Dir: dir}
}

// voicer voices words: the Synth, and what shows its progress.
type voicer struct {
	*cues.Synth
	progress *voicingProgress
}

// synth returns what voices a user's words: the engines, the cache, and
// what shows the progress (see voicingProgress).
func (t *ttsFlags) synth(s *stdio) (*voicer, error) {
	if t.timeout <= 0 {
		return nil, usagef("--tts-timeout must be positive, got %s", t.timeout)
	}
	engines, all, err := t.engines()
	if err != nil {
		return nil, err
	}
	v := &voicer{
		Synth:    &cues.Synth{Engines: engines, Cache: cache(), Timeout: t.timeout, BuiltinCues: all},
		progress: &voicingProgress{w: s.errOut, redraw: canRedraw(s.errOut)},
	}
	v.Warn = func(msg string) { fmt.Fprintf(s.errOut, "limber: warning: %s\n", msg) }
	v.Progress = v.progress.update
	return v, nil
}

// voicingProgress shows the voicing of new phrases, which can take
// minutes: on a terminal, a line redrawn as each phrase is done;
// elsewhere (a pipe, a log, TERM=dumb) one line when it starts. Both end
// with one line saying how long it took.
type voicingProgress struct {
	w       io.Writer
	redraw  bool
	started time.Time
	drawn   bool // a progress line is on the screen
}

// update is a cues.Synth's Progress.
func (v *voicingProgress) update(done, total int, engine string, workers int) {
	what := fmt.Sprintf("%d new %s with %s", total, plural(total, "phrase", "phrases"), engine)
	if workers > 1 {
		what += fmt.Sprintf(", %d at a time", workers)
	}
	switch {
	case done == 0:
		v.started = time.Now()
		if !v.redraw {
			fmt.Fprintf(v.w, "limber: voicing %s\n", what)
		}
	case done == total:
		v.end()
		fmt.Fprintf(v.w, "limber: voiced %d %s in %s\n", total, plural(total, "phrase", "phrases"), timefmt.Minutes(time.Since(v.started).Seconds()))
		return
	}
	if v.redraw {
		fmt.Fprintf(v.w, "\r\033[Kvoicing %s (%d/%d)", what, done, total)
		v.drawn = true
	}
}

// end clears the progress line, so that what follows (an error, Ctrl-C's
// message) starts on a line of its own.
func (v *voicingProgress) end() {
	if v.drawn {
		fmt.Fprint(v.w, "\r\033[K")
		v.drawn = false
	}
}

// voice gives every phrase among ids a clip: a recording, a cached clip
// or a newly synthesized one; with --tts-all, every built-in cue among
// them too. Failures are run-time errors (exit 1).
func (t *ttsFlags) voice(ctx context.Context, s *stdio, p *cues.Pack, ids []string) error {
	all, err := t.allCues()
	if err != nil {
		return err
	}
	if !all && len(p.Unvoiced(ids)) == 0 {
		return nil // nothing to voice: no engine, no config needed
	}
	v, err := t.synth(s)
	if err != nil {
		return err
	}
	if len(v.Unvoiced(p, ids)) == 0 {
		return nil
	}
	return v.voice(ctx, p, ids)
}

// voice voices the phrases among ids. However it ends, the progress line
// is gone before it returns.
func (v *voicer) voice(ctx context.Context, p *cues.Pack, ids []string) error {
	err := v.Voice(ctx, p, ids)
	v.progress.end()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("interrupted while voicing your words; nothing was cached half-done")
		}
		return err
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
