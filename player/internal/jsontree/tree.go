// Package jsontree parses JSON into a tree of values that remember where in
// the input they start, so that a loader can report line:column positions
// for any field it rejects. Duplicate object keys, which encoding/json
// silently merges, are kept as separate fields so the caller can report them.
//
// The tree is compact: every value is 16 bytes in one slice, and strings
// and numbers are read from the input when asked for, so a file costs
// memory in proportion to its size, whatever it holds (two million
// zeros in a field nobody reads take 32 MB, not 320).
//
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
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Parse accepts.
const MaxDepth = 64

// Kind is the JSON type of a Node.
type Kind uint8

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

// node is one value, in the order the values start in the input: a
// container's first child, if any, is the node after it, and each child
// links to the next.
type node struct {
	kind Kind
	off  int32 // byte offset where the value starts
	// end is where a string or number ends; for an array or object, how
	// many values it holds (an object's keys count, each before its
	// value); for a boolean, 1 for true.
	end  int32
	next int32 // the next child of the same container; 0 for none
}

// Tree is a parsed document.
type Tree struct {
	data  []byte
	nodes []node
}

// Node is one JSON value of a Tree. The zero Node is no value (Exists
// reports false): what Get returns for a missing key. Its methods give
// what a null would, and no items or fields.
type Node struct {
	t *Tree
	i int32
}

// Field is one key/value pair of an object, in input order.
type Field struct {
	Key    string
	KeyOff int // byte offset of the key's opening quote
	Value  Node
}

// Exists reports whether n is a value, not the zero Node.
func (n Node) Exists() bool { return n.t != nil }

// node is n's node; the zero Node's is a null with no children, so that
// every method is safe on it.
func (n Node) node() node {
	if n.t == nil {
		return node{}
	}
	return n.t.nodes[n.i]
}

// Kind is n's JSON type.
func (n Node) Kind() Kind { return n.node().kind }

// Offset is the byte offset where n starts in the input.
func (n Node) Offset() int { return int(n.node().off) }

// Bool is a boolean's value.
func (n Node) Bool() bool { nd := n.node(); return nd.kind == Bool && nd.end == 1 }

// Num is a number as written; "" for other kinds.
func (n Node) Num() json.Number {
	nd := n.node()
	if nd.kind != Number {
		return ""
	}
	return json.Number(n.t.data[nd.off:nd.end])
}

// Str is a string's value, its escapes decoded; "" for other kinds.
func (n Node) Str() string {
	nd := n.node()
	if nd.kind != String {
		return ""
	}
	return n.t.str(nd)
}

func (t *Tree) str(nd node) string {
	raw := t.data[nd.off:nd.end]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	json.Unmarshal(raw, &s) // checked by the parse
	return s
}

// Len is how many items an array holds, or fields an object; 0 for
// other kinds.
func (n Node) Len() int {
	switch nd := n.node(); nd.kind {
	case Array:
		return int(nd.end)
	case Object:
		return int(nd.end) / 2
	}
	return 0
}

// children yields the nodes of a container's children in order.
func (n Node) children() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		nd := n.node()
		if (nd.kind != Array && nd.kind != Object) || nd.end == 0 {
			return
		}
		for c := n.i + 1; ; {
			if !yield(c) {
				return
			}
			if c = n.t.nodes[c].next; c == 0 {
				return
			}
		}
	}
}

// Items yields an array's items with their indexes.
func (n Node) Items() iter.Seq2[int, Node] {
	return func(yield func(int, Node) bool) {
		if n.Kind() != Array {
			return
		}
		i := 0
		for c := range n.children() {
			if !yield(i, Node{n.t, c}) {
				return
			}
			i++
		}
	}
}

// Fields yields an object's fields in input order, duplicates included.
func (n Node) Fields() iter.Seq[Field] {
	return func(yield func(Field) bool) {
		if n.Kind() != Object {
			return
		}
		key := int32(-1)
		for c := range n.children() {
			if key < 0 {
				key = c
				continue
			}
			k := n.t.nodes[key]
			if !yield(Field{Key: n.t.str(k), KeyOff: int(k.off), Value: Node{n.t, c}}) {
				return
			}
			key = -1
		}
	}
}

// Get returns the value of the first member named key of an object
// node, or the zero Node.
func (n Node) Get(key string) Node {
	for f := range n.Fields() {
		if f.Key == key {
			return f.Value
		}
	}
	return Node{}
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

// TextError is a string that is valid JSON but no text: an escaped
// UTF-16 surrogate without its other half (\ud800), which decoders
// quietly turn into U+FFFD.
type TextError struct {
	Offset int // of the escape
	Msg    string
}

func (e *TextError) Error() string { return e.Msg }

// Step is one step of a path into a document: a key of an object, or
// the index of an item of an array.
type Step struct {
	Key     string
	Index   int
	IsIndex bool
}

// Parse parses data, which must hold exactly one JSON value and be at
// most 2 GiB. Valid JSON (json.Valid, which allocates nothing for input
// nested no deeper than MaxDepth) is read by a scanner of its own into
// nodes allocated once, as many as the input's separators allow;
// anything else is read again token by token (json.Decoder), for the
// error and where it is.
func Parse(data []byte) (Node, error) {
	if len(data) > math.MaxInt32 {
		return Node{}, errors.New("jsontree: input larger than 2 GiB")
	}
	if !nestedTooDeep(data) && json.Valid(data) {
		return parseValid(data)
	}
	return parseTokens(data)
}

// nestedTooDeep reports whether data opens more than MaxDepth arrays
// and objects at once, outside strings. Such input is refused anyway,
// and json.Valid would first grow a stack of its own for every level
// (about 30 bytes each, up to 10000 levels: 100 KB for 3 KB of "[").
func nestedTooDeep(data []byte) bool {
	depth := 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			i++ // the escaped byte, whatever it is
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			if depth++; depth > MaxDepth {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}

// parseTokens is Parse through json.Decoder's tokens.
func parseTokens(data []byte) (Node, error) {
	p := &parser{t: &Tree{data: data}, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	if _, err := p.value(0); err != nil {
		return Node{}, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return Node{}, &SyntaxError{Offset: p.next(), Msg: "more after the end of the outermost value (each file holds one object)"}
	}
	p.t.nodes = p.t.nodes[:len(p.t.nodes):len(p.t.nodes)]
	return Node{p.t, 0}, nil
}

type parser struct {
	t     *Tree
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
	for off < len(p.t.data) {
		switch c := p.t.data[off]; {
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

// token returns the next token, where it starts and where it ends; want
// says what the parser expects, for the error if it is not that.
func (p *parser) token(want expect) (json.Token, int, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			// The error's own offset is not where the token starts when
			// reading token by token; off is.
			e := p.explain(want, off, se.Error())
			return nil, e.Offset, e.Offset, e
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, len(p.t.data), len(p.t.data), p.unexpectedEnd()
		default:
			return nil, off, off, &SyntaxError{Offset: off, Msg: err.Error()}
		}
	}
	return tok, off, int(p.dec.InputOffset()), nil
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
	if at < len(p.t.data) {
		c = p.t.data[at]
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
	case strings.Contains(msg, "in string escape code") && (c == '\n' || c == '\r'):
		e.Msg = `a backslash at the end of the line in text: a backslash is written \\`
	case strings.Contains(msg, "in string escape code"):
		e.Msg = fmt.Sprintf(`unknown escape %s in text: a backslash is written \\`, shownEscape(p.t.data[min(at, len(p.t.data)):]))
	case strings.Contains(msg, "in numeric literal"):
		e.Msg = "malformed number"
	case top != nil && top.items > 0 && (c == ']' || c == '}') && closer[top.kind] == string(c) && p.commaBefore(at) >= 0:
		e.Offset, e.Path = p.commaBefore(at), p.path(false)
		e.Msg = fmt.Sprintf("trailing comma before %c: JSON allows none after the last item", c)
	case top != nil && (c == ']' || c == '}') && closer[top.kind] != string(c):
		what := map[Kind]string{Array: "list", Object: "object"}[top.kind]
		line, _ := Position(p.t.data, top.open)
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

// shownEscape shows a backslash and the character after it, rest, as
// a message can hold it on one line: as it is where it is printable,
// quoted where not (a tab, a control character).
func shownEscape(rest []byte) string {
	r, _ := utf8.DecodeRune(rest)
	if unicode.IsPrint(r) {
		return `\` + string(r)
	}
	return fmt.Sprintf(`\ before %q`, r)
}

// unexpectedEnd says which list or object the file ends inside.
func (p *parser) unexpectedEnd() *SyntaxError {
	if len(p.stack) == 0 {
		if len(bytes.TrimSpace(p.t.data)) == 0 {
			return &SyntaxError{Offset: len(p.t.data), Msg: "the file is empty"}
		}
		return &SyntaxError{Offset: len(p.t.data), Msg: "unexpected end of the file"}
	}
	top := p.stack[len(p.stack)-1]
	line, _ := Position(p.t.data, top.open)
	what, closer := "list", ']'
	if top.kind == Object {
		what, closer = "object", '}'
	}
	return &SyntaxError{Offset: len(p.t.data), Path: p.path(false),
		Msg: fmt.Sprintf("the file ends inside the %s opened on line %d: a %c is missing", what, line, closer)}
}

// badInString returns the offset of what the decoder refused in the
// string starting at offset at: a control character, or the character
// after a backslash that starts no escape.
func (p *parser) badInString(at int) int {
	for i := at + 1; i < len(p.t.data); i++ {
		switch c := p.t.data[i]; {
		case c < 0x20:
			return i
		case c == '\\' && i+1 < len(p.t.data):
			if strings.IndexByte(`"\/bfnrtu`, p.t.data[i+1]) < 0 {
				return i + 1
			}
			i++
		case c == '"':
			return i
		}
	}
	return len(p.t.data) - 1
}

// commaBefore returns the offset of the comma before at, with only white
// space between, or -1.
func (p *parser) commaBefore(at int) int {
	for i := min(at, len(p.t.data)) - 1; i >= 0; i-- {
		switch p.t.data[i] {
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
	for end < len(p.t.data) && end-at < 20 && isWordByte(p.t.data[end]) {
		end++
	}
	return string(p.t.data[at:end])
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// add appends a node and returns its index.
func (p *parser) add(n node) int32 {
	p.t.nodes = append(p.t.nodes, n)
	return int32(len(p.t.nodes) - 1)
}

// value parses one value and its children into nodes, and returns its
// index.
func (p *parser) value(depth int) (int32, error) {
	tok, off, end, err := p.token(wantValue)
	if err != nil {
		return 0, err
	}
	n := node{off: int32(off), end: int32(end)}
	switch t := tok.(type) {
	case nil:
		n.kind, n.end = Null, 0
	case bool:
		n.kind, n.end = Bool, 0
		if t {
			n.end = 1
		}
	case json.Number:
		n.kind = Number
	case string:
		n.kind = String
		if err := checkText(p.t.data, off, end); err != nil {
			return 0, err
		}
	case json.Delim:
		if depth >= MaxDepth {
			return 0, &SyntaxError{Offset: off, Msg: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
		}
		n.end = 0
		if t == '[' {
			n.kind = Array
		} else {
			n.kind = Object
		}
	}
	at := p.add(n)
	if n.kind != Array && n.kind != Object {
		return at, nil
	}
	p.stack = append(p.stack, frame{kind: n.kind, open: off})
	top := len(p.stack) - 1
	prev, count := int32(0), int32(0)
	link := func(c int32) {
		if prev != 0 {
			p.t.nodes[prev].next = c
		}
		prev = c
		count++
	}
	for p.dec.More() {
		if n.kind == Object {
			ktok, koff, kend, err := p.token(wantKey)
			if err != nil {
				return 0, err
			}
			p.stack[top].key, p.stack[top].keyEnd = ktok.(string), kend // the decoder only gives strings as object keys
			if err := checkText(p.t.data, koff, kend); err != nil {
				return 0, err
			}
			link(p.add(node{kind: String, off: int32(koff), end: int32(kend)}))
		}
		c, err := p.value(depth + 1)
		if err != nil {
			return 0, err
		}
		link(c)
		p.stack[top].items++
		p.stack[top].end = int(p.dec.InputOffset())
	}
	if _, _, _, err := p.token(wantClose); err != nil { // closing ] or }
		return 0, err
	}
	p.stack = p.stack[:top]
	p.t.nodes[at].end = count
	return at, nil
}

// checkText refuses a string token, data[off:end], that escapes half of
// a UTF-16 surrogate pair without the other half.
func checkText(data []byte, off, end int) error {
	raw := data[off:end]
	if bytes.IndexByte(raw, '\\') < 0 {
		return nil
	}
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // \\, \" and the like
			continue
		}
		r, ok := hex4(raw[i+2:])
		switch {
		case !ok:
		case utf16.IsSurrogate(r) && r < 0xdc00:
			if lo, ok := hex4(raw[min(i+8, len(raw)):]); ok && i+7 < len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' && lo >= 0xdc00 && lo <= 0xdfff {
				i += 11
				continue
			}
			fallthrough
		case utf16.IsSurrogate(r):
			return &TextError{Offset: off + i, Msg: fmt.Sprintf(`%s is half of a UTF-16 surrogate pair, not a character`, raw[i:i+6])}
		}
		i += 5
	}
	return nil
}

// hex4 reads four hex digits.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 16)
	return rune(v), err == nil
}

// Position converts a byte offset in data to a 1-based line and column
// (the column counts bytes, as Go's tools do).
func Position(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	line = 1 + bytes.Count(data[:offset], []byte{'\n'})
	col = offset - (bytes.LastIndexByte(data[:offset], '\n') + 1) + 1
	return line, col
}

// parseValid is Parse for data that json.Valid accepts.
func parseValid(data []byte) (Node, error) {
	p := &scanner{t: &Tree{data: data, nodes: make([]node, 0, countNodes(data))}}
	if _, _, err := p.value(skipSpace(data, 0), 0); err != nil {
		return Node{}, err
	}
	return Node{p.t, 0}, nil
}

// countNodes counts the nodes valid JSON makes: every value and key but
// the first comes after a ',' or ':', or a '[' or '{' that is not empty,
// outside strings. At most 8 bytes of nodes for each byte of input ("0,"
// is 2 bytes and a 16-byte node).
func countNodes(data []byte) int {
	n, in := 1, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case in:
		case c == ',' || c == ':':
			n++
		case c == '[' || c == '{':
			if j := skipSpace(data, i+1); j < len(data) && data[j] != ']' && data[j] != '}' {
				n++
			}
		}
	}
	return n
}

// scanner reads valid JSON into nodes.
type scanner struct{ t *Tree }

func (p *scanner) add(n node) int32 {
	p.t.nodes = append(p.t.nodes, n)
	return int32(len(p.t.nodes) - 1)
}

// value reads the value at data[i] and returns its node and where it
// ends.
func (p *scanner) value(i, depth int) (at int32, end int, err error) {
	data := p.t.data
	switch c := data[i]; c {
	case '"':
		end = stringEnd(data, i)
		if err := checkText(data, i, end); err != nil {
			return 0, 0, err
		}
		return p.add(node{kind: String, off: int32(i), end: int32(end)}), end, nil
	case 't':
		return p.add(node{kind: Bool, off: int32(i), end: 1}), i + 4, nil
	case 'f':
		return p.add(node{kind: Bool, off: int32(i)}), i + 5, nil
	case 'n':
		return p.add(node{kind: Null, off: int32(i)}), i + 4, nil
	case '[', '{':
	default:
		end = i + 1
		for end < len(data) && numberByte(data[end]) {
			end++
		}
		return p.add(node{kind: Number, off: int32(i), end: int32(end)}), end, nil
	}
	if depth >= MaxDepth {
		return 0, 0, &SyntaxError{Offset: i, Msg: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
	}
	kind, closing := Array, byte(']')
	if data[i] == '{' {
		kind, closing = Object, '}'
	}
	at = p.add(node{kind: kind, off: int32(i)})
	prev, count := int32(0), int32(0)
	link := func(c int32) {
		if prev != 0 {
			p.t.nodes[prev].next = c
		}
		prev = c
		count++
	}
	i = skipSpace(data, i+1)
	for data[i] != closing {
		if kind == Object {
			kend := stringEnd(data, i)
			if err := checkText(data, i, kend); err != nil {
				return 0, 0, err
			}
			link(p.add(node{kind: String, off: int32(i), end: int32(kend)}))
			i = skipSpace(data, skipSpace(data, kend)+1) // past the ':'
		}
		c, vend, err := p.value(i, depth+1)
		if err != nil {
			return 0, 0, err
		}
		link(c)
		if i = skipSpace(data, vend); data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	p.t.nodes[at].end = count
	return at, i + 1, nil
}

func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// stringEnd returns where the string starting at data[i] ends, past its
// closing quote.
func stringEnd(data []byte, i int) int {
	for i++; data[i] != '"'; i++ {
		if data[i] == '\\' {
			i++
		}
	}
	return i + 1
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}
