package main

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/limber-audio/limber/cues"
	"github.com/limber-audio/limber/mic"
	"github.com/limber-audio/limber/player/routine"
	"github.com/spf13/pflag"
)

// The completion scripts ask limber itself what may come next: they run
// the hidden command "limber __complete WORDS..." with the words typed
// after limber, the last one being completed (maybe empty), and offer
// what it prints. So commands, flags, the names in the user's own
// routine files and the areas are never out of date in a script.
//
// Each line it prints is a candidate, with a tab and a description after
// it where there is one. Two lines stand for the shell's own completion
// instead: ":files" (file names) and ":dirs" (folders).

// completeCommand is the hidden command the scripts run.
const completeCommand = "__complete"

func runCompletion(ctx context.Context, s *stdio, args []string) error {
	fs := newFlags("completion", s, "completion bash|zsh|fish\n\n"+
		"Prints a script that completes limber's commands, flags, routine and\n"+
		"stretch names (your own too), body areas, positions and coaching levels\n"+
		"in your shell. Install it once:\n"+
		"  bash  limber completion bash > ~/.local/share/bash-completion/completions/limber\n"+
		"  zsh   limber completion zsh > ~/.zfunc/_limber  (with fpath+=~/.zfunc before compinit)\n"+
		"  fish  limber completion fish > ~/.config/fish/completions/limber.fish")
	if err := parse(fs, args); err != nil {
		return err
	}
	shell, err := oneName(fs, "shell: bash, zsh or fish")
	if err != nil {
		return usagef("completion: missing shell: bash, zsh or fish")
	}
	script, ok := completionScripts[shell]
	if !ok {
		return usagef("completion: no script for %s; limber has them for bash, zsh and fish", shortQuote(shell))
	}
	_, err = io.WriteString(s.out, script)
	return err
}

// runComplete prints what may complete the last of args.
func runComplete(ctx context.Context, s *stdio, args []string) error {
	var b strings.Builder
	for _, c := range complete(ctx, args) {
		b.WriteString(c.value)
		if c.desc != "" {
			b.WriteString("\t" + c.desc)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(s.out, b.String())
	return err
}

// candidate is one completion, with what it is.
type candidate struct{ value, desc string }

// The two candidates that hand over to the shell's own completion.
var (
	files = []candidate{{value: ":files"}}
	dirs  = []candidate{{value: ":dirs"}}
)

// complete returns what may complete the last of args, the words typed
// after limber.
func complete(ctx context.Context, args []string) []candidate {
	if len(args) == 0 {
		args = []string{""}
	}
	cur := args[len(args)-1]
	if len(args) == 1 {
		var out []candidate
		for _, c := range commands {
			out = append(out, candidate{c.name, c.summary})
		}
		out = append(out, candidate{"--help", "how to use limber"}, candidate{"--version", "the version"})
		return withPrefix(out, cur)
	}
	var cmd *command
	for _, c := range commands {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		return nil
	}
	words := args[1 : len(args)-1]
	var sub []string // log add has flags of its own
	if cmd.name == "log" && len(words) > 0 && words[0] == "add" {
		sub, words = []string{"add"}, words[1:]
	}
	fs := flagsOf(ctx, cmd, sub)
	c := &completer{ctx: ctx, cmd: cmd.name, sub: sub, fs: fs}
	positional := c.read(words)

	// bash splits --flag=value at the "=": the word is "=" or the value.
	if n := len(words); n >= 1 && words[n-1] == "=" && n >= 2 {
		if f := c.flag(words[n-2]); f != nil {
			return c.values(f, cur)
		}
	}
	if cur == "=" && len(words) >= 1 {
		if f := c.flag(words[len(words)-1]); f != nil {
			return prefixed(c.values(f, ""), "=")
		}
	}
	if len(words) > 0 && !strings.Contains(words[len(words)-1], "=") {
		if f := c.flag(words[len(words)-1]); f != nil && takesValue(f) {
			return c.values(f, cur)
		}
	}
	if name, value, ok := strings.Cut(cur, "="); ok && strings.HasPrefix(cur, "--") {
		if f := c.flag(name); f != nil && takesValue(f) {
			return prefixed(c.values(f, value), name+"=")
		}
		return nil
	}
	if strings.HasPrefix(cur, "-") {
		var out []candidate
		fs.VisitAll(func(f *pflag.Flag) {
			out = append(out, candidate{"--" + f.Name, shortUsage(f)})
		})
		return withPrefix(append(out, candidate{"--help", "this command's flags"}), cur)
	}
	return c.positional(positional, cur)
}

// completer completes the words of one command.
type completer struct {
	ctx      context.Context
	cmd      string
	sub      []string
	fs       *pflag.FlagSet
	routines []string // --routines files typed so far
	name     string   // the NAME typed so far, for --from
	lib      *routine.Library
}

// read goes through the words typed before the one being completed,
// noting the --routines files and the NAME, and returns how many
// positional words there are.
func (c *completer) read(words []string) int {
	n := 0
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "--":
			n += len(words) - i - 1
			return n
		case strings.HasPrefix(w, "-") && len(w) > 1:
			name, value, inline := strings.Cut(w, "=")
			f := c.flag(name)
			if f == nil || !takesValue(f) {
				continue
			}
			if !inline {
				if i+1 < len(words) && words[i+1] == "=" { // bash's split at "="
					i++
				}
				if i+1 >= len(words) {
					continue
				}
				i++
				value = words[i]
			}
			if f.Name == "routines" {
				c.routines = append(c.routines, value)
			}
		default:
			if n == 0 {
				c.name = w
			}
			n++
		}
	}
	return n
}

// flag returns the flag a word names (--name or -x), or nil.
func (c *completer) flag(word string) *pflag.Flag {
	if c.fs == nil {
		return nil
	}
	switch {
	case strings.HasPrefix(word, "--"):
		return c.fs.Lookup(word[2:])
	case strings.HasPrefix(word, "-") && len(word) == 2:
		return c.fs.ShorthandLookup(word[1:])
	}
	return nil
}

func takesValue(f *pflag.Flag) bool { return f.NoOptDefVal == "" }

// library loads what the command would: the built-in library, the user's
// routines.json and the --routines files typed so far; nil if it does
// not load (completion never complains).
func (c *completer) library() *routine.Library {
	if c.lib == nil {
		lib, err := loadLibrary(c.routines...)
		if err != nil {
			lib, err = loadLibrary() // a file typed half-way: leave it out
			if err != nil {
				return nil
			}
		}
		c.lib = lib
	}
	return c.lib
}

// names are the routines and stretches a NAME may be.
func (c *completer) names() []candidate {
	lib := c.library()
	if lib == nil {
		return nil
	}
	var out []candidate
	for _, r := range lib.Routines {
		out = append(out, candidate{r.ID, r.Name})
	}
	out = append(out, c.stretches(nil)...)
	return out
}

// stretches are the stretches of the library, or those of routine r in
// its order.
func (c *completer) stretches(r *routine.Routine) []candidate {
	lib := c.library()
	if lib == nil {
		return nil
	}
	all := lib.Stretches
	if r != nil {
		all = nil
		for _, it := range r.Items {
			if s := lib.Stretch(it.Stretch); s != nil && !slices.Contains(all, s) {
				all = append(all, s)
			}
		}
	}
	var out []candidate
	for _, s := range all {
		desc := s.Name
		if s.Position != "" {
			desc += ", " + s.Position
		}
		out = append(out, candidate{s.ID, desc})
	}
	return out
}

// values completes the value of flag f.
func (c *completer) values(f *pflag.Flag, cur string) []candidate {
	switch f.Name {
	case "routines", "music", "output", "captions", "labels", "save":
		return files
	case "voice", "missing":
		return dirs
	case "coach":
		return withPrefix([]candidate{
			{"full", "everything: names, how to, tips, previews, callouts"},
			{"brief", "names, sides, counts"},
			{"tones", "no voice, only the tones"},
		}, cur)
	case "focus", "area":
		return list(words(routine.Areas), cur)
	case "position":
		return list(words(routine.Positions), cur)
	case "avoid":
		return list(append(c.stretches(nil), words(routine.Areas)...), cur)
	case "from":
		var r *routine.Routine
		if lib := c.library(); lib != nil {
			r = lib.Routine(c.name)
		}
		return withPrefix(c.stretches(r), cur)
	case "format":
		return withPrefix([]candidate{{"wav", ""}, {"flac", ""}}, cur)
	case "channels":
		return withPrefix([]candidate{{"1", "mono"}, {"2", "stereo, each side's cues toward that ear"}}, cur)
	case "mic":
		return withPrefix(mics(), cur)
	}
	return nil
}

// mics are the microphones --mic takes, by ID, with their names; none
// where this build cannot listen or the sound system will not say.
func mics() []candidate {
	devs, err := mic.Devices()
	if err != nil {
		return nil
	}
	var out []candidate
	for _, d := range devs {
		out = append(out, candidate{d.ID, d.Name})
	}
	return out
}

// positional completes a word that is no flag, after n others.
func (c *completer) positional(n int, cur string) []candidate {
	switch c.cmd {
	case "play", "export", "plan", "nudge", "remind":
		if n == 0 {
			return withPrefix(c.names(), cur)
		}
	case "log":
		switch {
		case len(c.sub) > 0 && n == 0:
			return withPrefix(c.names(), cur)
		case len(c.sub) == 0 && n == 0:
			return withPrefix([]candidate{{"add", "record a session done elsewhere"}}, cur)
		}
	case "say":
		var out []candidate
		for _, cue := range cues.Builtin().Cues() {
			out = append(out, candidate{cue.ID, cue.Text})
		}
		return withPrefix(out, cur)
	case "check", "init":
		if n == 0 {
			return files
		}
	case "completion":
		if n == 0 {
			return withPrefix([]candidate{{"bash", ""}, {"zsh", ""}, {"fish", ""}}, cur)
		}
	}
	return nil
}

// flagsOf returns the flags of command c (of its subcommand sub): it
// runs the command with --help, as typed, and catches the flag set it
// builds; nothing is printed and nothing else done, since every command
// parses its flags first.
func flagsOf(ctx context.Context, c *command, sub []string) *pflag.FlagSet {
	var got *pflag.FlagSet
	s := &stdio{in: strings.NewReader(""), out: io.Discard, errOut: io.Discard, onFlags: func(fs *pflag.FlagSet) { got = fs }}
	c.run(ctx, s, append(slices.Clone(sub), "--help"))
	return got
}

// shortUsage is a flag's usage cut to its first clause, for a menu.
func shortUsage(f *pflag.Flag) string {
	_, usage := pflag.UnquoteUsage(f)
	if i := strings.IndexAny(usage, "(;"); i > 0 {
		usage = usage[:i]
	}
	usage = strings.TrimSpace(usage)
	if r := []rune(usage); len(r) > 60 {
		usage = string(r[:59]) + "…"
	}
	return usage
}

func words(ws []string) []candidate {
	out := make([]candidate, len(ws))
	for i, w := range ws {
		out[i] = candidate{value: w}
	}
	return out
}

// withPrefix keeps the candidates that begin with prefix.
func withPrefix(cs []candidate, prefix string) []candidate {
	var out []candidate
	for _, c := range cs {
		if strings.HasPrefix(c.value, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// list completes the last item of a comma-separated list: "hips,lo"
// gives "hips,lower-back"; items already in the list are not offered
// again.
func list(cs []candidate, cur string) []candidate {
	head, last := "", cur
	if i := strings.LastIndexByte(cur, ','); i >= 0 {
		head, last = cur[:i+1], cur[i+1:]
	}
	done := strings.Split(head, ",")
	var out []candidate
	for _, c := range withPrefix(cs, last) {
		if !slices.Contains(done, c.value) {
			out = append(out, candidate{head + c.value, c.desc})
		}
	}
	return out
}

// prefixed puts p before every candidate's value, but for the shell's
// own completions.
func prefixed(cs []candidate, p string) []candidate {
	if len(cs) == 1 && strings.HasPrefix(cs[0].value, ":") {
		return cs
	}
	out := make([]candidate, len(cs))
	for i, c := range cs {
		out[i] = candidate{p + c.value, c.desc}
	}
	return out
}

// completionScripts are the scripts limber completion prints. Each asks
// limber __complete and offers what it prints.
var completionScripts = map[string]string{
	"bash": `# bash completion for limber (limber completion bash).
# Install: limber completion bash > ~/.local/share/bash-completion/completions/limber
# or source it from ~/.bashrc.
_limber() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	local IFS=$'\n'
	local out
	out=$("${COMP_WORDS[0]}" ` + completeCommand + ` "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
	case $out in
	:files)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	:dirs)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	*)
		COMPREPLY=($(printf '%s\n' "$out" | cut -f1))
		[[ $cur == "=" ]] && COMPREPLY=("${COMPREPLY[@]#=}")
		;;
	esac
	return 0
}
complete -F _limber limber
`,
	"zsh": `#compdef limber
# zsh completion for limber (limber completion zsh).
# Install: limber completion zsh > ~/.zfunc/_limber, with fpath+=~/.zfunc
# before compinit in ~/.zshrc; or source it after compinit.
_limber() {
	local -a out values
	local line
	out=(${(f)"$(${words[1]} ` + completeCommand + ` "${(@)words[2,CURRENT]}" 2>/dev/null)"})
	case $out[1] in
	:files) _files ;;
	:dirs) _files -/ ;;
	*)
		for line in $out; do
			if [[ $line == *$'\t'* ]]; then
				values+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
			else
				values+=("${line//:/\\:}")
			fi
		done
		_describe -t values limber values
		;;
	esac
}
if [[ $funcstack[1] == _limber ]]; then
	_limber "$@"
else
	compdef _limber limber
fi
`,
	"fish": `# fish completion for limber (limber completion fish).
# Install: limber completion fish > ~/.config/fish/completions/limber.fish
function __limber_complete
	set -l words (commandline -opc) (commandline -ct)
	set -l out ($words[1] ` + completeCommand + ` $words[2..-1] 2>/dev/null)
	switch "$out[1]"
		case :files
			__fish_complete_path (commandline -ct)
		case :dirs
			__fish_complete_directories (commandline -ct)
		case '*'
			printf '%s\n' $out
	end
end
complete -c limber -f -a '(__limber_complete)'
`,
}
