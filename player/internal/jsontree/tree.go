// Package jsontree parses JSON into a tree of values that remember where in
// the input they start, so that a loader can report line:column positions
// for any field it rejects. Duplicate object keys, which encoding/json
// silently merges, are kept as separate fields so the caller can report them.
package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
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

// SyntaxError is a JSON syntax error at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses data, which must hold exactly one JSON value.
func Parse(data []byte) (*Node, error) {
	p := &parser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Offset: p.next(), Msg: "unexpected data after the top-level value"}
	}
	return n, nil
}

type parser struct {
	data []byte
	dec  *json.Decoder
}

// next returns the offset of the next token: the decoder's offset moved
// past white space and the separators it consumes silently.
func (p *parser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\n', '\r', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (p *parser) token() (json.Token, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			at := p.badChar(int(se.Offset), se.Error())
			return nil, at, &SyntaxError{Offset: at, Msg: se.Error()}
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, len(p.data), &SyntaxError{Offset: len(p.data), Msg: "unexpected end of JSON input"}
		default:
			return nil, off, &SyntaxError{Offset: off, Msg: err.Error()}
		}
	}
	return tok, off, nil
}

// badChar finds the offending character of a json.SyntaxError. Its offset
// counts the bytes read, which sometimes includes the bad character and
// sometimes not; when the message names the character, look for it there.
func (p *parser) badChar(offset int, msg string) int {
	if m := badCharMsg.FindStringSubmatch(msg); m != nil {
		for _, at := range []int{offset, offset - 1} {
			if at >= 0 && at < len(p.data) && string(p.data[at]) == m[1] {
				return at
			}
		}
	}
	return min(max(offset-1, 0), len(p.data))
}

var badCharMsg = regexp.MustCompile(`^invalid character '(.)'`)

func (p *parser) value(depth int) (*Node, error) {
	tok, off, err := p.token()
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
		switch t {
		case '[':
			n.Kind = Array
			for p.dec.More() {
				item, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, item)
			}
		case '{':
			n.Kind = Object
			for p.dec.More() {
				ktok, koff, err := p.token()
				if err != nil {
					return nil, err
				}
				key := ktok.(string) // the decoder only gives strings as object keys
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Fields = append(n.Fields, &Field{Key: key, KeyOff: koff, Value: v})
			}
		}
		if _, _, err := p.token(); err != nil { // closing ] or }
			return nil, err
		}
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
