// Package jsontree parses JSON into a tree of values that remember where in
// the input they start, so that a loader can report line:column positions
// for any field it rejects. Duplicate object keys, which encoding/json
// silently merges, are kept as separate fields so the caller can report them.
// A syntax error is said in plain words at the place to fix it, with the
// path to the value it is about ("missing comma after this item of the
// list", just after the item), not as the decoder's complaint about the
// next character.
package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxDepth is the deepest nesting of arrays and objects Parse accepts.
const MaxDepth = 64

// Kind is the JSON type of a Node.
type Kind int

// The JSON types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

// String returns the JSON name of k, e.g. "object".
func (k Kind) String() string { return kindNames[k] }

// Field is one key/value pair of an object, in input order.
type Field struct {
	Key    string
	KeyOff int // byte offset of the key's opening quote
	Value  *Node
}

// Node is one JSON value.
type Node struct {
	Kind   Kind
	Offset int // byte offset where the value starts
	Bool   bool
	Num    json.Number
	Str    string
	Items  []*Node  // Array elements
	Fields []*Field // Object members, in input order
}

// Get returns the value of the first member named key of an object node,
// or nil.
func (n *Node) Get(key string) *Node {
	for _, f := range n.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// SyntaxError is a JSON syntax error, said in plain words ("missing comma
// after this item of the list") at the place to fix it: for a missing
// comma, just after the value it should follow; for a trailing comma,
// the comma.
type SyntaxError struct {
	Offset int
	// Path leads to the value the error is about: the item or field a
	// comma should follow, or the list or object a trailing comma is in.
	Path []Step
	Msg  string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Step is one step of a path into a document: a key of an object, or
// the index of an item of an array.
type Step struct {
	Key     string
	Index   int
	IsIndex bool
}

// Parse parses data, which must hold exactly one JSON value.
func Parse(data []byte) (*Node, error) {
	p := &parser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Offset: p.next(), Msg: "more after the end of the outermost value (each file holds one object)"}
	}
	return n, nil
}

type parser struct {
	data  []byte
	dec   *json.Decoder
	stack []frame // the arrays and objects open, outermost first
}

// frame is an array or object being read.
type frame struct {
	kind   Kind
	open   int    // offset of its [ or {
	items  int    // elements or members read so far
	key    string // the key of the member being read, or of the last one
	keyEnd int    // offset just past that key
	end    int    // offset just past the last element or member value
}

// expect says what the parser asks the decoder for next.
type expect int

const (
	wantValue expect = iota
	wantKey
	wantClose // the ] or } that closes the innermost frame
)

// next returns the offset of the next token: the decoder's offset moved
// past white space and the one separator it consumes silently.
func (p *parser) next() int {
	off := int(p.dec.InputOffset())
	sep := false
	for off < len(p.data) {
		switch c := p.data[off]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case (c == ',' || c == ':') && !sep:
			sep = true
		default:
			return off
		}
		off++
	}
	return off
}

func (p *parser) token(want expect) (json.Token, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			// The error's own offset is not where the token starts when
			// reading token by token; off is.
			return nil, off, p.explain(want, off, se.Error())
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, len(p.data), p.unexpectedEnd()
		default:
			return nil, off, &SyntaxError{Offset: off, Msg: err.Error()}
		}
	}
	return tok, off, nil
}

// path returns the path to the innermost frame, and with item set, on
// to its current element or member.
func (p *parser) path(item bool) []Step {
	var path []Step
	for i, f := range p.stack {
		if i == len(p.stack)-1 && !item {
			break
		}
		switch f.kind {
		case Array:
			path = append(path, Step{Index: f.items, IsIndex: true})
		case Object:
			path = append(path, Step{Key: f.key})
		}
	}
	return path
}

// explain turns the decoder's complaint msg about the token starting at
// offset at, read while the parser expected want, into a SyntaxError in
// plain words at the place to fix.
func (p *parser) explain(want expect, at int, msg string) *SyntaxError {
	if strings.Contains(msg, "in string") {
		at = p.badInString(at)
	}
	var c byte
	if at < len(p.data) {
		c = p.data[at]
	}
	e := &SyntaxError{Offset: at, Path: p.path(want == wantValue)}
	var top *frame
	if len(p.stack) > 0 {
		top = &p.stack[len(p.stack)-1]
	}
	// after an element or member, the place to fix is just past it
	after := func(what string) *SyntaxError {
		e.Offset = top.end
		e.Path = p.path(false)
		if top.kind == Array {
			e.Path = append(e.Path, Step{Index: top.items - 1, IsIndex: true})
		} else {
			e.Path = append(e.Path, Step{Key: top.key})
		}
		e.Msg = what
		return e
	}
	closer := map[Kind]string{Array: "]", Object: "}"}
	switch {
	case strings.Contains(msg, "in string literal") && c == '\n':
		e.Msg = `text not closed: a " is missing before the end of the line`
	case strings.Contains(msg, "in string literal"):
		e.Msg = `text holds a control character (a tab?): write it as \t or leave it out`
	case strings.Contains(msg, "in string escape code"):
		e.Msg = fmt.Sprintf(`unknown escape \%c in text: a backslash is written \\`, c)
	case strings.Contains(msg, "in numeric literal"):
		e.Msg = "malformed number"
	case top != nil && top.items > 0 && (c == ']' || c == '}') && closer[top.kind] == string(c) && p.commaBefore(at) >= 0:
		e.Offset, e.Path = p.commaBefore(at), p.path(false)
		e.Msg = fmt.Sprintf("trailing comma before %c: JSON allows none after the last item", c)
	case top != nil && (c == ']' || c == '}') && closer[top.kind] != string(c):
		what := map[Kind]string{Array: "list", Object: "object"}[top.kind]
		line, _ := Position(p.data, top.open)
		e.Path = p.path(false)
		e.Msg = fmt.Sprintf("%c where %s was expected: the %s opened on line %d is not closed", c, closer[top.kind], what, line)
	case strings.Contains(msg, "after array element"):
		return after("missing comma after this item of the list")
	case strings.Contains(msg, "after object key:value pair"):
		return after("missing comma after this field")
	case strings.Contains(msg, "after object key"):
		e.Offset, e.Path = top.keyEnd, append(p.path(false), Step{Key: top.key})
		e.Msg = "missing colon after the key"
	case c == ',':
		e.Msg = "one comma too many: remove it"
	case c == '\'' && want == wantKey:
		e.Msg = "keys take double quotes, not single ones"
	case c == '\'':
		e.Msg = "text takes double quotes, not single ones"
	case c == '/':
		e.Msg = "JSON has no comments"
	case isWordByte(c) && want == wantKey:
		e.Path = p.path(false)
		e.Msg = fmt.Sprintf("key %s needs double quotes: %q", p.word(at), p.word(at))
	case isWordByte(c):
		e.Msg = fmt.Sprintf("unquoted word %s: text takes double quotes, and JSON's only words are true, false and null", p.word(at))
	case want == wantKey:
		e.Path = p.path(false)
		e.Msg = "expected a key in double quotes"
	default:
		e.Msg = "expected a value: text in double quotes, a number, true, false, null, a list [...] or an object {...}"
	}
	return e
}

// unexpectedEnd says which list or object the file ends inside.
func (p *parser) unexpectedEnd() *SyntaxError {
	if len(p.stack) == 0 {
		if len(bytes.TrimSpace(p.data)) == 0 {
			return &SyntaxError{Offset: len(p.data), Msg: "the file is empty"}
		}
		return &SyntaxError{Offset: len(p.data), Msg: "unexpected end of the file"}
	}
	top := p.stack[len(p.stack)-1]
	line, _ := Position(p.data, top.open)
	what, closer := "list", ']'
	if top.kind == Object {
		what, closer = "object", '}'
	}
	return &SyntaxError{Offset: len(p.data), Path: p.path(false),
		Msg: fmt.Sprintf("the file ends inside the %s opened on line %d: a %c is missing", what, line, closer)}
}

// badInString returns the offset of what the decoder refused in the
// string starting at offset at: a control character, or the character
// after a backslash that starts no escape.
func (p *parser) badInString(at int) int {
	for i := at + 1; i < len(p.data); i++ {
		switch c := p.data[i]; {
		case c < 0x20:
			return i
		case c == '\\' && i+1 < len(p.data):
			if strings.IndexByte(`"\/bfnrtu`, p.data[i+1]) < 0 {
				return i + 1
			}
			i++
		case c == '"':
			return i
		}
	}
	return len(p.data) - 1
}

// commaBefore returns the offset of the comma before at, with only white
// space between, or -1.
func (p *parser) commaBefore(at int) int {
	for i := min(at, len(p.data)) - 1; i >= 0; i-- {
		switch p.data[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case ',':
			return i
		}
		return -1
	}
	return -1
}

// word returns the unquoted word at offset at, shortened.
func (p *parser) word(at int) string {
	end := at
	for end < len(p.data) && end-at < 20 && isWordByte(p.data[end]) {
		end++
	}
	return string(p.data[at:end])
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (p *parser) value(depth int) (*Node, error) {
	tok, off, err := p.token(wantValue)
	if err != nil {
		return nil, err
	}
	n := &Node{Offset: off}
	switch t := tok.(type) {
	case nil:
		n.Kind = Null
	case bool:
		n.Kind, n.Bool = Bool, t
	case json.Number:
		n.Kind, n.Num = Number, t
	case string:
		n.Kind, n.Str = String, t
	case json.Delim:
		if depth >= MaxDepth {
			return nil, &SyntaxError{Offset: off, Msg: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
		}
		n.Kind = Array
		if t == '{' {
			n.Kind = Object
		}
		p.stack = append(p.stack, frame{kind: n.Kind, open: off})
		top := len(p.stack) - 1
		for p.dec.More() {
			if n.Kind == Object {
				ktok, koff, err := p.token(wantKey)
				if err != nil {
					return nil, err
				}
				key := ktok.(string) // the decoder only gives strings as object keys
				p.stack[top].key, p.stack[top].keyEnd = key, int(p.dec.InputOffset())
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Fields = append(n.Fields, &Field{Key: key, KeyOff: koff, Value: v})
			} else {
				item, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, item)
			}
			p.stack[top].items++
			p.stack[top].end = int(p.dec.InputOffset())
		}
		if _, _, err := p.token(wantClose); err != nil { // closing ] or }
			return nil, err
		}
		p.stack = p.stack[:top]
	}
	return n, nil
}

// Position converts a byte offset in data to a 1-based line and column
// (the column counts bytes, as Go's tools do).
func Position(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	line = 1 + bytes.Count(data[:offset], []byte{'\n'})
	col = offset - (bytes.LastIndexByte(data[:offset], '\n') + 1) + 1
	return line, col
}
