// Package jsontree parses JSON into a tree of values that remember where in
// the input they start, so that a loader can report line:column positions
// for any field it rejects. Duplicate object keys, which encoding/json
// silently merges, are kept as separate fields so the caller can report them.
//
// The tree is compact: every value is 16 bytes in one slice, and strings
// and numbers are read from the input when asked for, so a file costs
// memory in proportion to its size, whatever it holds (two million
// zeros in a field nobody reads take 32 MB, not 320).
package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"regexp"
	"strconv"
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

// SyntaxError is a JSON syntax error at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
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

// Parse parses data, which must hold exactly one JSON value and be at
// most 2 GiB. Valid JSON (json.Valid, which allocates nothing) is read by
// a scanner of its own into nodes allocated once, as many as the input's
// separators allow; anything else is read again token by token
// (json.Decoder), for the error and where it is.
func Parse(data []byte) (Node, error) {
	if len(data) > math.MaxInt32 {
		return Node{}, errors.New("jsontree: input larger than 2 GiB")
	}
	if json.Valid(data) {
		return parseValid(data)
	}
	return parseTokens(data)
}

// parseTokens is Parse through json.Decoder's tokens.
func parseTokens(data []byte) (Node, error) {
	p := &parser{t: &Tree{data: data}, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	if _, err := p.value(0); err != nil {
		return Node{}, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return Node{}, &SyntaxError{Offset: p.next(), Msg: "unexpected data after the top-level value"}
	}
	p.t.nodes = p.t.nodes[:len(p.t.nodes):len(p.t.nodes)]
	return Node{p.t, 0}, nil
}

type parser struct {
	t   *Tree
	dec *json.Decoder
}

// next returns the offset of the next token: the decoder's offset moved
// past white space and the separators it consumes silently.
func (p *parser) next() int {
	data := p.t.data
	off := int(p.dec.InputOffset())
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\n', '\r', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// token returns the next token, where it starts and where it ends.
func (p *parser) token() (json.Token, int, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			at := p.badChar(int(se.Offset), se.Error())
			return nil, at, at, &SyntaxError{Offset: at, Msg: se.Error()}
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			n := len(p.t.data)
			return nil, n, n, &SyntaxError{Offset: n, Msg: "unexpected end of JSON input"}
		default:
			return nil, off, off, &SyntaxError{Offset: off, Msg: err.Error()}
		}
	}
	return tok, off, int(p.dec.InputOffset()), nil
}

// badChar finds the offending character of a json.SyntaxError. Its offset
// counts the bytes read, which sometimes includes the bad character and
// sometimes not; when the message names the character, look for it there.
func (p *parser) badChar(offset int, msg string) int {
	data := p.t.data
	if m := badCharMsg.FindStringSubmatch(msg); m != nil {
		for _, at := range []int{offset, offset - 1} {
			if at >= 0 && at < len(data) && string(data[at]) == m[1] {
				return at
			}
		}
	}
	return min(max(offset-1, 0), len(data))
}

var badCharMsg = regexp.MustCompile(`^invalid character '(.)'`)

// add appends a node and returns its index.
func (p *parser) add(n node) int32 {
	p.t.nodes = append(p.t.nodes, n)
	return int32(len(p.t.nodes) - 1)
}

// value parses one value and its children into nodes, and returns its
// index.
func (p *parser) value(depth int) (int32, error) {
	tok, off, end, err := p.token()
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
			_, koff, kend, err := p.token() // the decoder only gives strings as object keys
			if err != nil {
				return 0, err
			}
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
	}
	if _, _, _, err := p.token(); err != nil { // closing ] or }
		return 0, err
	}
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
