package jsontree

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// value turns a tree back into what encoding/json makes of the same
// input (objects as lists of key/value pairs, to keep duplicates).
func value(n Node) any {
	switch n.Kind() {
	case Null:
		return nil
	case Bool:
		return n.Bool()
	case Number:
		return n.Num()
	case String:
		return n.Str()
	case Array:
		out := []any{}
		for _, it := range n.Items() {
			out = append(out, value(it))
		}
		return out
	}
	out := [][2]any{}
	for f := range n.Fields() {
		out = append(out, [2]any{f.Key, value(f.Value)})
	}
	return out
}

func TestParse_BothWaysAgree(t *testing.T) {
	inputs := []string{
		`{"version": 1, "a": [1, -2.5e3, true, false, null, "x\"y\\u00e9\ud83d\ude00"], "b": {}, "c": [], "a": {"k": [[]]}}`,
		` [ 0 , "" ] `,
		`"just a string"`,
		`{"\u0041": "key escaped"}`,
	}
	for _, in := range inputs {
		fast, err := parseValid([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		slow, err := parseTokens([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !reflect.DeepEqual(fast.t.nodes, slow.t.nodes) {
			t.Errorf("%s: nodes differ:\n%v\n%v", in, fast.t.nodes, slow.t.nodes)
		}
		if got, want := value(fast), value(slow); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: values differ: %v, %v", in, got, want)
		}
	}
}

func TestParse_Offsets(t *testing.T) {
	data := []byte("{\n  \"steps\": [{\"hold\": 5}, \"x\"]\n}")
	root, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	f := root.Get("steps")
	if f.Offset() != strings.Index(string(data), "[") || f.Len() != 2 {
		t.Errorf("steps at %d with %d items", f.Offset(), f.Len())
	}
	for i, it := range f.Items() {
		if want := []int{strings.Index(string(data), "{\"hold"), strings.Index(string(data), "\"x\"")}[i]; it.Offset() != want {
			t.Errorf("item %d at %d, want %d", i, it.Offset(), want)
		}
	}
	if line, col := Position(data, f.Offset()); line != 2 || col != 12 {
		t.Errorf("steps at %d:%d, want 2:12", line, col)
	}
	if root.Get("none").Exists() {
		t.Error("a missing key exists")
	}
}

// TestParse_LoneSurrogates: an escaped half of a surrogate pair is no
// character; encoding/json makes it U+FFFD without a word. It is refused
// where it is, in values and keys.
func TestParse_LoneSurrogates(t *testing.T) {
	tests := []struct {
		in   string
		at   int
		want string
	}{
		{`{"a": "x\ud800"}`, 8, `\ud800 is half of a UTF-16 surrogate pair`},
		{`{"a": "\udc00 low alone"}`, 7, `\udc00 is half`},
		{`{"\ud83d": 1}`, 2, `\ud83d is half`},
		{`["\ud83d\u0041"]`, 2, `\ud83d is half`},
		{`["\\ud800 is no escape", "\ud83d\ude00 is a pair"]`, -1, ""},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		var te *TextError
		if tt.at < 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.in, err)
			}
			continue
		}
		if !errors.As(err, &te) || te.Offset != tt.at || !strings.Contains(te.Msg, tt.want) {
			t.Errorf("%s: %v (%#v), want a TextError at %d with %q", tt.in, err, te, tt.at, tt.want)
		}
	}
}

// TestParse_MemoryInProportion: two million zeros, or a million empty
// objects, cost their nodes and nothing else.
func TestParse_MemoryInProportion(t *testing.T) {
	for name, data := range map[string][]byte{
		"zeros":   []byte(`{"x": [` + strings.Repeat("0,", 2_000_000) + `0]}`),
		"objects": []byte(`[` + strings.Repeat("{},", 1_000_000) + `{}]`),
		"strings": []byte(`["` + strings.Repeat(`a,b:c[`, 1_000_000) + `"]`),
		// Refused at MaxDepth, before json.Valid grows its stack for
		// every level.
		"too deep": []byte(strings.Repeat(`[`, 5000)),
	} {
		if name == "too deep" {
			var se *SyntaxError
			used := testtools.Allocated(func() { _, err := Parse(data); errors.As(err, &se) })
			if se == nil || se.Offset != MaxDepth {
				t.Errorf("%s: %v, want a SyntaxError at %d", name, se, MaxDepth)
			}
			if budget := 8*uint64(len(data)) + 64<<10; used > budget {
				t.Errorf("%s: %d bytes of input took %d bytes, over %d", name, len(data), used, budget)
			}
			continue
		}
		var root Node
		var err error
		used := testtools.Allocated(func() { root, err = Parse(data) })
		if err != nil {
			t.Fatal(err)
		}
		if budget := 8*uint64(len(data)) + 64<<10; used > budget {
			t.Errorf("%s: %d bytes of input took %d bytes, over %d", name, len(data), used, budget)
		}
		_ = root
	}
}

// TestNestedTooDeep counts only the brackets and braces outside strings.
func TestNestedTooDeep(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth)
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{deep + strings.Repeat("]", MaxDepth), false},
		{deep + "[" + strings.Repeat("]", MaxDepth+1), true},
		{`{"a": "` + deep + deep + `"}`, false}, // in a string
		{`["\"` + deep + deep + `"]`, false},    // an escaped quote: still in the string
		{`["\\"` + deep + `]`, true},            // an escaped backslash: the string ends
		{strings.Repeat("[]", 1000), false},
	} {
		if got := nestedTooDeep([]byte(tt.in)); got != tt.want {
			t.Errorf("%.40q...: %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzParse: both ways of parsing agree on every input json.Valid
// accepts, and nothing costs more than a few times its size.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version": 1, "stretches": {"s": {"name": "S\u00e9", "steps": [{"hold": 5}]}}}`))
	f.Add([]byte(`["\ud800"]`))
	f.Add([]byte(`[[[[[[]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, slow Node
		var errFast, errSlow error
		testtools.AllocBudget(t, 16*uint64(len(data))+64<<10, func() { fast, errFast = Parse(data) })
		if !json.Valid(data) {
			return
		}
		slow, errSlow = parseTokens(data)
		if (errFast == nil) != (errSlow == nil) || errFast != nil && errFast.Error() != errSlow.Error() {
			t.Fatalf("errors differ: %v, %v", errFast, errSlow)
		}
		if errFast != nil {
			return
		}
		if !reflect.DeepEqual(fast.t.nodes, slow.t.nodes) {
			t.Fatalf("nodes differ:\n%v\n%v", fast.t.nodes, slow.t.nodes)
		}
		var want any
		json.Unmarshal(data, &want)
		if s, ok := want.(string); ok && s != fast.Str() {
			t.Fatalf("string %q, encoding/json %q", fast.Str(), s)
		}
	})
}
