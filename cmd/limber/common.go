package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/limber-audio/limber/audio/music"
	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/shorten"
	"github.com/limber-audio/limber/player"
	"github.com/limber-audio/limber/player/routine"
	"github.com/spf13/pflag"
)

// source holds the flags that choose what to play and how: the routine
// file, the voice and the pace.
type source struct {
	routines []string
	voice    string
	pace     float64
	coach    string
	tts      ttsFlags
	made     madeFlags // routines made or fitted to a length (plan, play, export)
	lib      *routine.Library
}

func (src *source) addFlags(fs *pflag.FlagSet, voice, pace bool) {
	fs.StringArrayVar(&src.routines, "routines", nil, "add the routines and stretches of `FILE` to the built-in ones (repeatable; later files win)")
	if voice {
		fs.StringVar(&src.voice, "voice", "", "use your own recordings from `DIR` (files named by cue id, see limber cues)")
		src.tts.addFlags(fs)
	}
	if pace {
		floatVar(fs, &src.pace, "pace", 1, player.MinPace, player.MaxPace, "scale every hold and rest by `FACTOR` (0.5 to 2)")
		fs.StringVar(&src.coach, "coach", "", "voice coaching `LEVEL`: full, brief (names, sides, counts) or tones (no voice); default: the routine's own, else full")
	}
}

// library loads the built-in library with the user's files layered on
// top: the config folder's routines.json when there is one, then every
// --routines FILE in order.
func (src *source) library() (*routine.Library, error) {
	if src.lib == nil {
		lib, err := loadLibrary(src.routines...)
		if err != nil {
			return nil, err
		}
		src.lib = lib
	}
	return src.lib, nil
}

// userRoutines is the routine file read on every run when it exists:
// routines.json in limber's configuration folder.
func userRoutines() string {
	dir, err := configDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "routines.json")
}

// loadLibrary loads the built-in library, the user's routines.json and
// files, each layered over the ones before.
func loadLibrary(files ...string) (*routine.Library, error) {
	lib, err := routine.LoadBuiltin(cues.Builtin())
	if err != nil {
		return nil, err
	}
	if user := userRoutines(); user != "" && !namedIn(user, files) {
		there, err := userFileThere(user)
		if err != nil {
			return nil, err
		}
		if there {
			files = append([]string{user}, files...)
		}
	}
	for _, f := range files {
		if lib, err = loadFile(f, lib); err != nil {
			return nil, err
		}
	}
	return lib, nil
}

// loadFile loads a routine file over lib. A file that is missing or
// cannot be read is the user's to fix, as an invalid one is: exit 2.
func loadFile(path string, lib *routine.Library) (*routine.Library, error) {
	lib, err := routine.LoadFile(path, lib, cues.Builtin())
	if err != nil {
		var ve *routine.ValidationErrors
		if errors.As(err, &ve) {
			return nil, err
		}
		return nil, &usageError{err}
	}
	return lib, nil
}

// userFileThere reports whether the user's routines.json (or another
// file read when it exists) is there. Only a file that does not exist is
// absent: one that cannot be looked at (a loop of links, a folder that
// cannot be read) is an error naming it, never taken for none.
func userFileThere(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, usagef("your routines file: %w", err)
}

// namedIn reports whether path is one of files, however written.
func namedIn(path string, files []string) bool {
	for _, f := range files {
		if sameFile(path, f) {
			return true
		}
	}
	return false
}

// pack returns the voice at rate knowing the library's phrases, with the
// user's recordings when --voice was given; missing recordings are
// reported once on warn. Phrases are voiced later, by need.
func (src *source) pack(rate int, s *stdio, phrases []cueid.Phrase) (*cues.Pack, error) {
	p := cues.NewPack(rate)
	p.AddPhrases(phrases)
	if dir, err := cacheDir("clips"); err == nil {
		p.UseClipCache(&cues.ClipCache{Dir: dir})
	}
	if src.voice == "" {
		return p, nil
	}
	v, err := p.LoadVoiceDir(src.voice)
	if err != nil {
		return nil, &usageError{err}
	}
	if len(v.Missing) > 0 {
		fmt.Fprintf(s.errOut, "limber: warning: %s has no recording for %d cues, using the built-in voice for: %s\n",
			src.voice, len(v.Missing), summarize(v.Missing, 10))
	}
	if len(v.Ignored) > 0 {
		// A misspelt name ("switch_sides.wav") would otherwise fail silently.
		fmt.Fprintf(s.errOut, "limber: warning: %s: ignored (folders, and files not named by a cue id with .wav, .flac, .mp3 or .ogg): %s\n",
			src.voice, summarize(quoteAll(v.Ignored), 10))
	}
	return p, nil
}

// inputs names every file and folder the flags read, and music if set,
// so that no output can overwrite one.
func (src *source) inputs(music string) []named {
	in := []named{{flag: "--music", path: music}, {flag: "--voice", path: src.voice, dir: true}}
	if user := userRoutines(); user != "" {
		in = append(in, named{flag: "your routines file", path: user})
	}
	for _, r := range src.routines {
		in = append(in, named{flag: "--routines", path: r})
	}
	return in
}

// quoteAll quotes names that would not print cleanly on one line and
// shortens long ones.
func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = shortQuote(n)
	}
	return out
}

// shortQuote shortens s to a readable length and quotes it when it holds
// anything but plain printable text.
func shortQuote(s string) string {
	short := shorten.To(s, 60)
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) || r == '"' }) >= 0 {
		return strconv.Quote(short)
	}
	return short
}

func (src *source) checkPace() error {
	if !(src.pace >= player.MinPace && src.pace <= player.MaxPace) {
		return usagef("--pace must be between %g and %g, got %g", player.MinPace, player.MaxPace, src.pace)
	}
	return nil
}

// compile loads everything the flags name and compiles name at limber's
// internal rate.
func (src *source) compile(ctx context.Context, name string, s *stdio) (*player.Timeline, *cues.Pack, error) {
	return src.compileAt(ctx, name, player.DefaultRate, s)
}

// compileAt compiles name and moves the timeline to rate, with a voice
// resampled to that rate: the timing is the plan's at every rate. The
// user's words the timeline speaks are voiced first, where they have no
// clip yet; nothing else is.
func (src *source) compileAt(ctx context.Context, name string, rate int, s *stdio) (*player.Timeline, *cues.Pack, error) {
	if err := src.checkPace(); err != nil {
		return nil, nil, err
	}
	var coach routine.Coach
	if src.coach != "" {
		var err error
		if coach, err = routine.ParseCoach(src.coach); err != nil {
			return nil, nil, &usageError{fmt.Errorf("--%w", err)}
		}
	}
	lib, err := src.library()
	if err != nil {
		return nil, nil, err
	}
	opts := player.Options{Pace: src.pace, Coach: coach}
	if src.made.active() {
		if name == "" {
			cfg, err := loadConfig()
			if err != nil {
				return nil, nil, err
			}
			src.made.configAvoid = cfg.Avoid
			src.made.recent = recentStretches(src.made.now())
		}
		// Measured with the clips there are, and a guess for words not
		// voiced yet.
		if lib, name, err = src.made.apply(lib, name, newEstimate(lib, &src.tts), opts); err != nil {
			return nil, nil, err
		}
	}
	spoken, err := player.SpokenCues(lib, name, opts)
	if err != nil {
		return nil, nil, err
	}
	p, err := src.pack(rate, s, lib.Phrases())
	if err != nil {
		return nil, nil, err
	}
	if err := src.tts.voice(ctx, s, p, spoken); err != nil {
		return nil, nil, err
	}
	tl, err := player.Compile(lib, name, p, opts)
	if err != nil {
		return nil, nil, err
	}
	return tl.AtRate(rate), p, nil
}

// parseName parses the flags of a command that takes one routine or
// stretch NAME, and returns the name.
func parseName(fs *pflag.FlagSet, args []string) (string, error) {
	if err := parse(fs, args); err != nil {
		return "", err
	}
	return oneName(fs, "routine or stretch NAME")
}

// parseNameOrMade parses the flags of a command that plays a routine:
// NAME, or a routine made to measure with --minutes (then the name is
// ""), or NAME fitted with --minutes or --hold.
func (src *source) parseNameOrMade(fs *pflag.FlagSet, args []string) (string, error) {
	if err := parse(fs, args); err != nil {
		return "", err
	}
	return src.made.name(fs, src)
}

// oneName checks that args hold exactly one NAME.
func oneName(fs *pflag.FlagSet, what string) (string, error) {
	switch fs.NArg() {
	case 0:
		return "", usagef("%s: missing %s (see limber list)", fs.Name(), what)
	case 1:
		return fs.Arg(0), nil
	}
	return "", usagef("%s: want one %s, got %d arguments: %s", fs.Name(), what, fs.NArg(), strings.Join(fs.Args(), " "))
}

// musicFlags are the flags of commands that can play a music bed.
type musicFlags struct {
	path   string
	volume float64
}

func (m *musicFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&m.path, "music", "", "play `FILE` (WAV, FLAC, MP3, Ogg Vorbis) under the routine, looped, ducked while the voice speaks")
	percentVar(fs, &m.volume, "music-volume", player.DefaultMusicVolume*100, 100, "music level in `PERCENT`, 0 to 100 (30 or 30%)")
}

// open checks the flags and opens the music at rate, through the music
// cache, which it fills if record is set; nil without --music. A file that
// cannot be read is reported now, before anything plays.
func (m *musicFlags) open(rate int, record bool) (*music.Loop, error) {
	if m.path == "" {
		return nil, nil
	}
	var cache *music.Cache
	if dir, err := cacheDir("music"); err == nil {
		cache = &music.Cache{Dir: dir, ReadOnly: !record}
	}
	bed, err := music.Open(m.path, rate, cache)
	if err != nil {
		return nil, &usageError{err}
	}
	return bed, nil
}
