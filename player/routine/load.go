package routine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/input"

	"github.com/limber-audio/limber/internal/shorten"
	"github.com/limber-audio/limber/internal/suggest"
	"github.com/limber-audio/limber/internal/timefmt"
	"github.com/limber-audio/limber/player/internal/jsontree"
)

// FormatVersion is the routine file format version this package reads.
const FormatVersion = 1

// CueSet is the set of voice cues a routine file may refer to.
// *cues.Manifest implements it.
type CueSet interface {
	Has(id string) bool
	IDs() []string
}

// BuiltinName names the built-in library in messages.
const BuiltinName = "routines.json"

// LoadBuiltin loads the routines.json embedded in the binary.
func LoadBuiltin(cues CueSet) (*Library, error) {
	return Load(builtinJSON, BuiltinName, nil, cues)
}

// tooLarge is the problem of a file over MaxFileSize.
var tooLarge = fmt.Sprintf("file is larger than the %d MiB limit", MaxFileSize>>20)

// LoadFile reads and validates a routine file layered over base (see
// Load). Files larger than MaxFileSize and files that are not regular
// files are refused without being read.
func LoadFile(path string, base *Library, cues CueSet) (*Library, error) {
	f, err := input.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("load routines: %w", err)
		}
		return nil, &ValidationErrors{Errs: []*ValidationError{{File: path, Msg: err.Error()}}}
	}
	defer f.Close()
	data, err := input.ReadAll(f, MaxFileSize)
	var tl *input.TooLargeError
	if errors.As(err, &tl) { // said as Load says it
		return nil, &ValidationErrors{Errs: []*ValidationError{{File: path, Msg: tooLarge}}}
	}
	if err != nil {
		return nil, fmt.Errorf("load routines %s: %w", path, err)
	}
	return Load(data, path, base, cues)
}

// Load parses and validates a routine file's contents; file names it in
// messages. The file is layered over base (nil for none): it may use
// base's stretches and routines by id, and an id it defines again
// replaces base's (Library.Overrides lists them). Every problem found is
// reported (up to MaxProblems) in a *ValidationErrors.
func Load(data []byte, file string, base *Library, cues CueSet) (*Library, error) {
	if base == nil {
		base = &Library{}
	}
	d := &decoder{data: data, file: file, cues: cues, base: base}
	if len(data) > MaxFileSize {
		d.problem(-1, "", "%s", tooLarge)
		return nil, d.err()
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte order mark some editors add
	d.data = data
	if !utf8.Valid(data) {
		bad := 0
		for bad < len(data) {
			r, size := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		d.problem(bad, "", "file is not valid UTF-8 text")
		return nil, d.err()
	}
	root, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			d.problem(se.Offset, fieldPath(se.Path), "%s", se.Msg)
			return nil, d.err()
		}
		var te *jsontree.TextError
		if errors.As(err, &te) {
			d.problem(te.Offset, "", "invalid text: %s", te.Msg)
			return nil, d.err()
		}
		return nil, fmt.Errorf("load %s: %w", file, err)
	}
	lib := d.library(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	merged := base.overlay(lib)
	d.checkLengths(merged, lib, root)
	if err := d.err(); err != nil {
		return nil, err
	}
	return merged, nil
}

type decoder struct {
	declared map[string]jsontree.Node // every stretch id in the file, valid or not, and its first definition
	known    []string                 // knownStretches, once made
	base     *Library                 // what the file is layered over
	lib      *Library                 // what the file defines
	phrases  map[string]string
	data     []byte
	file     string
	cues     CueSet
	problems []*ValidationError
	omitted  int
}

func (d *decoder) problem(offset int, field, format string, args ...any) {
	if len(d.problems) == MaxProblems {
		d.omitted++
		return
	}
	e := &ValidationError{File: d.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if offset >= 0 {
		e.Line, e.Col = jsontree.Position(d.data, offset)
	}
	d.problems = append(d.problems, e)
}

func (d *decoder) err() error {
	if len(d.problems) == 0 {
		return nil
	}
	sort.SliceStable(d.problems, func(i, j int) bool {
		a, b := d.problems[i], d.problems[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return &ValidationErrors{Errs: d.problems, Omitted: d.omitted}
}

// object checks that n is an object whose keys are all in allowed and
// appear once, and returns its members by key.
func (d *decoder) object(n jsontree.Node, path string, allowed ...string) (*members, bool) {
	if n.Kind() != jsontree.Object {
		d.problem(n.Offset(), path, "must be an object, got %s", n.Kind())
		return &members{}, false
	}
	size := n.Len()
	if allowed != nil {
		size = min(size, len(allowed))
	}
	out := &members{list: make([]member, 0, size)}
	if size > manyMembers {
		out.index = make(map[string]int, size)
	}
	for f := range n.Fields() {
		if allowed != nil && !slices.Contains(allowed, f.Key) {
			hint := ""
			if len(f.Key) <= maxFieldName && len(d.problems) < MaxProblems { // past the cap nobody reads it
				hint = suggest.Hint(f.Key, allowed)
			}
			d.problem(f.KeyOff, join(path, f.Key), "unknown field%s", hint)
			continue
		}
		if !out.add(f.Key, f.Value) {
			d.problem(f.KeyOff, join(path, f.Key), "duplicate key")
		}
	}
	return out, true
}

// members are an object's members by key. The few of a stretch or a step
// are looked up in order; the many of "stretches" or "routines" through
// an index.
type members struct {
	list  []member
	index map[string]int
}

type member struct {
	key   string
	value jsontree.Node
}

// manyMembers is where members start to need an index.
const manyMembers = 16

// get returns the member key, or the zero Node.
func (m *members) get(key string) jsontree.Node {
	if m.index != nil {
		if i, ok := m.index[key]; ok {
			return m.list[i].value
		}
		return jsontree.Node{}
	}
	for _, x := range m.list {
		if x.key == key {
			return x.value
		}
	}
	return jsontree.Node{}
}

// add adds a member, unless one has its key: then it reports false.
func (m *members) add(key string, v jsontree.Node) bool {
	if m.get(key).Exists() {
		return false
	}
	if m.index != nil {
		m.index[key] = len(m.list)
	}
	m.list = append(m.list, member{key, v})
	return true
}

func (d *decoder) number(n jsontree.Node, path string) (float64, bool) {
	if n.Kind() != jsontree.Number {
		d.problem(n.Offset(), path, "must be a number, got %s", n.Kind())
		return 0, false
	}
	v, err := n.Num().Float64()
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		d.problem(n.Offset(), path, "number %s is out of range", shortNum(n.Num()))
		return 0, false
	}
	return v, true
}

// seconds reads a duration in seconds that must lie in (lo, hi], or [lo, hi]
// when lo is 0 and zero is allowed.
func (d *decoder) seconds(n jsontree.Node, path string, lo, hi float64, zeroOK bool) (float64, bool) {
	v, ok := d.number(n, path)
	if !ok {
		return 0, false
	}
	if v < lo || v > hi || (v == lo && !zeroOK) {
		if lo == 0 && !zeroOK {
			d.problem(n.Offset(), path, "must be more than 0 and at most %g seconds, got %s", hi, shortNum(n.Num()))
		} else {
			d.problem(n.Offset(), path, "must be between %g and %g seconds, got %s", lo, hi, shortNum(n.Num()))
		}
		return 0, false
	}
	return v, true
}

func (d *decoder) integer(n jsontree.Node, path string, lo, hi int) (int, bool) {
	v, ok := d.number(n, path)
	if !ok {
		return 0, false
	}
	if v != math.Trunc(v) {
		d.problem(n.Offset(), path, "must be a whole number, got %s", shortNum(n.Num()))
		return 0, false
	}
	if v < float64(lo) || v > float64(hi) {
		d.problem(n.Offset(), path, "must be between %d and %d, got %s", lo, hi, shortNum(n.Num()))
		return 0, false
	}
	return int(v), true
}

func (d *decoder) text(n jsontree.Node, path string) (string, bool) {
	if n.Kind() != jsontree.String {
		d.problem(n.Offset(), path, "must be a string, got %s", n.Kind())
		return "", false
	}
	if err := cueid.CheckText(n.Str()); err != nil {
		d.problem(n.Offset(), path, "%v", err)
		return "", false
	}
	return n.Str(), true
}

// cue reads what is to be said: a cue id of the voice pack, or words.
// A string that uses only the id alphabet but is no known cue is taken
// for a misspelt id, never for words; anything else is words, which get
// a phrase id (cueid.OfWords).
func (d *decoder) cue(n jsontree.Node, path string) (string, bool) {
	s, ok := d.text(n, path)
	if !ok {
		return "", false
	}
	if d.cues.Has(s) {
		return s, true
	}
	if cueid.LooksLike(s) {
		if _, ok := d.phraseText(s); ok { // a phrase id written out
			return s, true
		}
		hint := ""
		if len(d.problems) < MaxProblems {
			hint = suggest.Hint(s, d.cues.IDs())
		}
		d.problem(n.Offset(), path, "unknown cue %q%s; for words, write %q", s, hint, asSentence(s))
		return "", false
	}
	return d.phrase(n, path, s)
}

// phrase records words to be spoken and returns their phrase id.
func (d *decoder) phrase(n jsontree.Node, path, words string) (string, bool) {
	text := cueid.Normalize(words)
	if !cueid.HasWords(text) {
		d.problem(n.Offset(), path, "has no words to speak")
		return "", false
	}
	id := cueid.OfWords(text)
	if prev, ok := d.phraseText(id); ok && prev != text {
		d.problem(n.Offset(), path, "%q and %q share the phrase id %s; reword one of them", shortQuote(text), shortQuote(prev), id)
		return "", false
	}
	d.phrases[id] = text
	return id, true
}

// phraseText returns the words of phrase id, from this file or below it.
func (d *decoder) phraseText(id string) (string, bool) {
	if t, ok := d.phrases[id]; ok {
		return t, true
	}
	t, ok := d.base.phrases[id]
	return t, ok
}

// cueList reads "how" or "tips": one cue or sentence, or a list of them.
func (d *decoder) cueList(n jsontree.Node, path string) []string {
	if !n.Exists() {
		return nil
	}
	if n.Kind() == jsontree.String {
		if id, ok := d.cue(n, path); ok {
			return []string{id}
		}
		return nil
	}
	if n.Kind() != jsontree.Array {
		d.problem(n.Offset(), path, "must be a cue id, a sentence, or a list of them, got %s", n.Kind())
		return nil
	}
	var out []string
	for i, item := range n.Items() {
		if id, ok := d.cue(item, fmt.Sprintf("%s[%d]", path, i)); ok {
			out = append(out, id)
		}
	}
	return out
}

// shortNum shows a number as written, shortened when it is very long (a
// file may hold a number of thousands of digits).
func shortNum(n json.Number) string {
	if len(n) > 24 {
		return string(n[:20]) + "..."
	}
	return string(n)
}

// asSentence turns an id-like string into words limber would speak:
// "relax" becomes "Relax.".
func asSentence(s string) string {
	s = shortQuote(strings.NewReplacer("-", " ", ".", " ").Replace(s))
	s = strings.TrimSpace(s)
	if s == "" {
		return "Relax."
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// shortQuote shortens a sentence for a message.
func shortQuote(s string) string { return shorten.To(s, 40) }

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

func (d *decoder) library(root jsontree.Node) *Library {
	top, ok := d.object(root, "", "version", "stretches", "routines")
	if !ok {
		return nil
	}
	lib := &Library{phrases: map[string]string{}}
	d.lib = lib
	d.phrases = lib.phrases
	d.declared = map[string]jsontree.Node{}
	for f := range top.get("stretches").Fields() {
		if !d.declared[f.Key].Exists() {
			d.declared[f.Key] = f.Value
		}
	}
	switch v := top.get("version"); {
	case !v.Exists():
		d.problem(root.Offset(), "version", "missing; this limber reads version %d", FormatVersion)
	default:
		if n, ok := d.integer(v, "version", 0, math.MaxInt32); ok && n != FormatVersion {
			d.problem(v.Offset(), "version", "unsupported version %d; this limber reads version %d", n, FormatVersion)
		}
	}
	if n := top.get("stretches"); n.Exists() {
		if n.Kind() != jsontree.Object {
			d.problem(n.Offset(), "stretches", "must be an object, got %s", n.Kind())
		}
		for f := range n.Fields() {
			path := join("stretches", f.Key)
			if d.declared[f.Key] != f.Value {
				d.problem(f.KeyOff, path, "duplicate key")
				continue
			}
			if !idPattern.MatchString(f.Key) {
				d.problem(f.KeyOff, path, "invalid id: use lower-case letters, digits and '-'")
				continue
			}
			if r := d.base.Routine(f.Key); r != nil {
				d.problem(f.KeyOff, path, "%s has a routine with the same id; routine and stretch ids must differ", r.Origin)
				continue
			}
			if s := d.stretch(f.Key, f.Value, path); s != nil {
				lib.Stretches = append(lib.Stretches, s)
			}
		}
	}
	lib.indexIDs() // the routines look their stretches up
	if n := top.get("routines"); n.Exists() {
		if m, ok := d.object(n, "routines"); ok {
			for f := range n.Fields() {
				if m.get(f.Key) != f.Value {
					continue
				}
				path := join("routines", f.Key)
				if !idPattern.MatchString(f.Key) {
					d.problem(f.KeyOff, path, "invalid id: use lower-case letters, digits and '-'")
					continue
				}
				if d.declared[f.Key].Exists() {
					d.problem(f.KeyOff, path, "a stretch has the same id; routine and stretch ids must differ")
					continue
				}
				if s := d.base.Stretch(f.Key); s != nil {
					d.problem(f.KeyOff, path, "%s has a stretch with the same id; routine and stretch ids must differ", s.Origin)
					continue
				}
				if r := d.routine(lib, f.Key, f.Value, path); r != nil {
					lib.Routines = append(lib.Routines, r)
				}
			}
		}
	}
	if len(lib.Stretches) == 0 && len(lib.Routines) == 0 && len(d.problems) == 0 {
		d.problem(root.Offset(), "", "must define at least one stretch or routine")
	}
	for _, s := range lib.Stretches {
		s.Origin = d.file
	}
	for _, r := range lib.Routines {
		r.Origin = d.file
	}
	lib.indexIDs()
	return lib
}

func (d *decoder) stretch(id string, n jsontree.Node, path string) *Stretch {
	m, ok := d.object(n, path, "name", "name_cue", "how", "tips", "caution", "areas", "position", "sources", "sides", "repeats", "steps")
	if !ok {
		return nil
	}
	s := &Stretch{ID: id, Sides: 1, Repeats: 1, offset: n.Offset()}
	good := true
	if v := m.get("name"); !v.Exists() {
		d.problem(n.Offset(), path+".name", "missing")
		good = false
	} else if s.Name, ok = d.text(v, path+".name"); !ok {
		good = false
	}
	switch v := m.get("name_cue"); {
	case v.Exists():
		if s.NameCue, ok = d.cue(v, path+".name_cue"); !ok {
			good = false
		}
	case d.cues.Has(id):
		s.NameCue = id
	case s.Name != "":
		if s.NameCue, ok = d.phrase(m.get("name"), path+".name", s.Name); !ok {
			good = false
		}
	}
	s.How = d.cueList(m.get("how"), path+".how")
	s.Tips = d.cueList(m.get("tips"), path+".tips")
	if v := m.get("caution"); v.Exists() {
		if s.Caution, ok = d.cue(v, path+".caution"); !ok {
			good = false
		}
	}
	if v := m.get("areas"); v.Exists() {
		if s.Areas, ok = d.areas(v, path+".areas"); !ok {
			good = false
		}
	}
	if v := m.get("position"); v.Exists() {
		if s.Position, ok = d.word(v, path+".position", Positions); !ok {
			good = false
		}
	}
	if v := m.get("sources"); v.Exists() {
		if s.Sources, ok = d.sources(v, path+".sources"); !ok {
			good = false
		}
	}
	if v := m.get("sides"); v.Exists() {
		if s.Sides, ok = d.integer(v, path+".sides", 1, 2); !ok {
			good = false
		}
	}
	if v := m.get("repeats"); v.Exists() {
		if s.Repeats, ok = d.integer(v, path+".repeats", 1, MaxRepeats); !ok {
			good = false
		}
	}
	steps := m.get("steps")
	switch {
	case !steps.Exists():
		d.problem(n.Offset(), path+".steps", "missing")
		good = false
	case steps.Kind() != jsontree.Array:
		d.problem(steps.Offset(), path+".steps", "must be an array of steps, got %s", steps.Kind())
		good = false
	case steps.Len() == 0:
		d.problem(steps.Offset(), path+".steps", "must have at least one step")
		good = false
	}
	if steps.Exists() {
		for i, item := range steps.Items() {
			st, ok := d.step(item, fmt.Sprintf("%s.steps[%d]", path, i))
			good = good && ok
			s.Steps = append(s.Steps, st)
		}
	}
	if !good {
		return nil
	}
	if secs := s.declaredSeconds(Item{}); secs > MaxDuration {
		d.problem(n.Offset(), path, "lasts at least %s, longer than the %s limit",
			timefmt.HMS(secs), timefmt.HMS(MaxDuration))
		return nil
	}
	return s
}

func (d *decoder) step(n jsontree.Node, path string) (Step, bool) {
	m, ok := d.object(n, path, "say", "hold", "rest")
	if !ok {
		return Step{}, false
	}
	if len(m.list) != 1 {
		d.problem(n.Offset(), path, `must have exactly one of "say", "hold" or "rest"`)
		return Step{}, false
	}
	switch {
	case m.get("say").Exists():
		id, ok := d.cue(m.get("say"), path+".say")
		return Step{Kind: StepSay, Cue: id}, ok
	case m.get("hold").Exists():
		v, ok := d.seconds(m.get("hold"), path+".hold", MinHold, MaxHold, true)
		return Step{Kind: StepHold, Seconds: v}, ok
	default:
		v, ok := d.seconds(m.get("rest"), path+".rest", 0, MaxRest, false)
		return Step{Kind: StepRest, Seconds: v}, ok
	}
}

func (d *decoder) routine(lib *Library, id string, n jsontree.Node, path string) *Routine {
	var err error
	m, ok := d.object(n, path, "name", "description", "lead_in", "rest", "closing", "coach", "callout_every", "stretches")
	if !ok {
		return nil
	}
	r := &Routine{ID: id, LeadIn: DefaultLeadIn, Rest: DefaultRest, Closing: DefaultClosing, CalloutEvery: DefaultCalloutEvery}
	good := true
	if v := m.get("name"); !v.Exists() {
		d.problem(n.Offset(), path+".name", "missing")
		good = false
	} else if r.Name, ok = d.text(v, path+".name"); !ok {
		good = false
	}
	if v := m.get("description"); v.Exists() {
		r.Description, ok = d.text(v, path+".description")
		good = good && ok
	}
	if v := m.get("lead_in"); v.Exists() {
		r.LeadIn, ok = d.seconds(v, path+".lead_in", 0, MaxRest, true)
		good = good && ok
	}
	if v := m.get("rest"); v.Exists() {
		r.Rest, ok = d.seconds(v, path+".rest", 0, MaxRest, true)
		good = good && ok
	}
	if v := m.get("closing"); v.Exists() {
		r.Closing, ok = d.cue(v, path+".closing")
		good = good && ok
	}
	if v := m.get("coach"); v.Exists() {
		if name, ok := d.text(v, path+".coach"); !ok {
			good = false
		} else if r.Coach, err = ParseCoach(name); err != nil {
			d.problem(v.Offset(), path+".coach", "must be \"full\", \"brief\" or \"tones\", got %q", name)
			good = false
		}
	}
	if v := m.get("callout_every"); v.Exists() {
		every, ok := d.integer(v, path+".callout_every", 0, MaxHold)
		if ok && !slices.Contains(calloutCadences, every) {
			d.problem(v.Offset(), path+".callout_every", "must be 15, 30 or 60 seconds, or 0 for no time-left callouts, got %d", every)
			ok = false
		}
		r.CalloutEvery = every
		good = good && ok
	}
	items := m.get("stretches")
	switch {
	case !items.Exists():
		d.problem(n.Offset(), path+".stretches", "missing")
		return nil
	case items.Kind() != jsontree.Array:
		d.problem(items.Offset(), path+".stretches", "must be an array, got %s", items.Kind())
		return nil
	case items.Len() == 0:
		d.problem(items.Offset(), path+".stretches", "must list at least one stretch")
		return nil
	}
	for i, item := range items.Items() {
		it, ok := d.item(lib, item, fmt.Sprintf("%s.stretches[%d]", path, i))
		good = good && ok
		r.Items = append(r.Items, it)
	}
	if !good {
		return nil
	}
	r.offset = n.Offset()
	return r
}

// item reads one entry of a routine's stretch list: a stretch id, or an
// object with "stretch" and optional "hold" and "repeats".
func (d *decoder) item(lib *Library, n jsontree.Node, path string) (Item, bool) {
	var it Item
	idNode := n
	if n.Kind() == jsontree.Object {
		m, _ := d.object(n, path, "stretch", "hold", "repeats")
		good := true
		if v := m.get("hold"); v.Exists() {
			var ok bool
			it.Hold, ok = d.seconds(v, path+".hold", MinHold, MaxHold, true)
			good = good && ok
		}
		if v := m.get("repeats"); v.Exists() {
			var ok bool
			it.Repeats, ok = d.integer(v, path+".repeats", 1, MaxRepeats)
			good = good && ok
		}
		path += ".stretch"
		if idNode = m.get("stretch"); !idNode.Exists() {
			d.problem(n.Offset(), path, "missing")
			return it, false
		}
		if !good {
			return it, false
		}
	} else if n.Kind() != jsontree.String {
		d.problem(n.Offset(), path, "must be a stretch id or an object, got %s", n.Kind())
		return it, false
	}
	id, ok := d.text(idNode, path)
	if !ok {
		return it, false
	}
	if d.declared[id].Exists() {
		it.Stretch = id
		return it, lib.Stretch(id) != nil // an invalid stretch is reported where it is defined
	}
	if d.base.Stretch(id) != nil {
		it.Stretch = id
		return it, true
	}
	hint := ""
	if len(d.problems) < MaxProblems { // past the cap nobody reads it
		hint = suggest.Hint(id, d.knownStretches())
	}
	d.problem(idNode.Offset(), path, "unknown stretch %q%s", id, hint)
	return it, false
}

// knownStretches is every stretch id the file may use, sorted: made once,
// for the hints of every unknown one.
func (d *decoder) knownStretches() []string {
	if d.known == nil {
		d.known = d.base.stretchIDs()
		for s := range d.declared {
			d.known = append(d.known, s)
		}
		sort.Strings(d.known)
	}
	return d.known
}

// checkLengths checks that every routine of merged that this file defines
// or changes (through a stretch it defines) stays within MaxDuration.
func (d *decoder) checkLengths(merged, file *Library, root jsontree.Node) {
	for _, r := range merged.Routines {
		offset, mine := -1, r.Origin == d.file
		if mine {
			offset = r.offset
		}
		for _, it := range r.Items {
			if s := file.Stretch(it.Stretch); s != nil && !mine {
				offset, mine = s.offset, true
			}
		}
		if !mine {
			continue
		}
		if secs := merged.declaredSeconds(r); secs > MaxDuration {
			d.problem(offset, join("routines", r.ID), "lasts at least %s, longer than the %s limit",
				timefmt.HMS(secs), timefmt.HMS(MaxDuration))
		}
	}
}

// join appends an object key to a field path. Keys that would not print
// cleanly on one line (control characters, quotes) are quoted, and very
// long ones shortened, so every problem stays one readable line.
// fieldPath names the field a path into the file leads to, as problems
// name fields: stretches.tilt.steps[1].hold.
func fieldPath(steps []jsontree.Step) string {
	path := ""
	for _, st := range steps {
		if st.IsIndex {
			path = fmt.Sprintf("%s[%d]", path, st.Index)
		} else {
			path = join(path, st.Key)
		}
	}
	return path
}

func join(path, key string) string {
	key = fieldName(key)
	if path == "" {
		return key
	}
	return path + "." + key
}

// maxFieldName is how much of an object key a message shows.
const maxFieldName = 64

func fieldName(key string) string {
	short := shorten.To(key, maxFieldName)
	if strings.IndexFunc(key, func(r rune) bool { return !unicode.IsPrint(r) || r == '"' }) >= 0 || key == "" {
		return strconv.Quote(short)
	}
	return short
}

// word reads a string that must be one of vocab.
func (d *decoder) word(n jsontree.Node, path string, vocab []string) (string, bool) {
	s, ok := d.text(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(vocab, s) {
		hint := ""
		if len(d.problems) < MaxProblems { // past the cap nobody reads it
			hint = suggest.Hint(s, vocab)
		}
		d.problem(n.Offset(), path, "unknown %q%s; use one of %s", shortQuote(s), hint, strings.Join(vocab, ", "))
		return "", false
	}
	return s, true
}

// areas reads a stretch's body areas: a non-empty list from Areas, each
// once.
func (d *decoder) areas(n jsontree.Node, path string) ([]string, bool) {
	if n.Kind() != jsontree.Array {
		d.problem(n.Offset(), path, "must be a list of areas, got %s", n.Kind())
		return nil, false
	}
	if n.Len() == 0 {
		d.problem(n.Offset(), path, "must name at least one area: %s", strings.Join(Areas, ", "))
		return nil, false
	}
	var out []string
	good := true
	for i, item := range n.Items() {
		p := fmt.Sprintf("%s[%d]", path, i)
		a, ok := d.word(item, p, Areas)
		switch {
		case !ok:
			good = false
		case slices.Contains(out, a):
			d.problem(item.Offset(), p, "%q is listed twice", a)
			good = false
		default:
			out = append(out, a)
		}
	}
	return out, good
}

// maxSourceLen bounds one source address, in bytes.
const maxSourceLen = 2048

// sources reads a stretch's sources: a non-empty list of https addresses,
// each once.
func (d *decoder) sources(n jsontree.Node, path string) ([]string, bool) {
	if n.Kind() != jsontree.Array {
		d.problem(n.Offset(), path, "must be a list of https:// addresses, got %s", n.Kind())
		return nil, false
	}
	if n.Len() == 0 {
		d.problem(n.Offset(), path, "must list at least one https:// address")
		return nil, false
	}
	var out []string
	seen := map[string]bool{}
	good := true
	for i, item := range n.Items() {
		p := fmt.Sprintf("%s[%d]", path, i)
		if item.Kind() != jsontree.String {
			d.problem(item.Offset(), p, "must be a string, got %s", item.Kind())
			good = false
			continue
		}
		src := item.Str()
		if msg := checkSource(src); msg != "" {
			d.problem(item.Offset(), p, "%s", msg)
			good = false
			continue
		}
		if seen[src] {
			d.problem(item.Offset(), p, "%q is listed twice", shortQuote(src))
			good = false
			continue
		}
		seen[src] = true
		out = append(out, src)
	}
	return out, good
}

// checkSource says what is wrong with a source address, or "" when it is
// an https address with a host.
func checkSource(s string) string {
	switch {
	case len(s) > maxSourceLen:
		return fmt.Sprintf("is longer than %d bytes", maxSourceLen)
	case strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || !unicode.IsPrint(r) }) >= 0:
		return "must be an address without spaces or control characters"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "" || u.Opaque != "" || u.User != nil:
		return fmt.Sprintf("must be an https:// address, got %q", shortQuote(s))
	case u.Hostname() == "" || !strings.Contains(u.Hostname(), "."):
		return fmt.Sprintf("must name a host such as www.nhs.uk, got %q", shortQuote(s))
	}
	return ""
}
