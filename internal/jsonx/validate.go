package jsonx

import "math"

// maxDocLen bounds the documents Validate accepts so that offsets fit in the
// uint32 fields of keyRef (which keeps the on-stack key buffer small). Session
// tokens are bounded at 16 KiB long before they reach this package.
const maxDocLen = math.MaxInt32

// keyBufLen is the number of member names, across all the objects currently
// open, that Validate tracks in a stack-allocated buffer. A Clerk session
// payload has about 20; only unusual documents fall back to a map.
const keyBufLen = 128

// depthCap bounds maxDepth whatever the caller asks for. The scanner recurses
// once per level, and a goroutine that overflows its stack is killed rather
// than panicking, so an unbounded depth would let a long enough run of '['
// crash the process. encoding/json uses the same cap.
const depthCap = 10000

// lexer reads tokens; String and Int use it alone, so that they do not pay
// for zeroing the scanner's key buffer.
type lexer struct {
	data []byte
	i    int // next byte to read
}

// scanner is the state of one Validate call. It lives on Validate's stack:
// the names are kept in an array rather than a slice because appending to a
// slice field through a pointer makes the compiler move the whole scanner,
// and the caller's document with it, to the heap.
type scanner struct {
	lexer
	maxDepth int               // deepest container nesting allowed
	nkeys    int               // keys in use
	keys     [keyBufLen]keyRef // names of the members of the open objects, innermost last
}

// yieldFunc receives the members of the top-level object (ValidateMembers).
// It is passed down to that object as an argument, never stored: a stored
// func value escapes, and with it whatever the caller's closure captured.
type yieldFunc func(key, value []byte) bool

// Validate reports whether data is exactly one JSON value under strict
// RFC 8259 rules: optional surrounding whitespace but no trailing data, no
// leading zeros, only the escapes RFC 8259 defines, valid UTF-8, no control
// characters in strings, and \u escapes that form valid UTF-16 (a lone
// surrogate is rejected, because decoders disagree on what it means).
//
// It also enforces that containers nest at most maxDepth deep (a top-level
// object or array is depth 1, so maxDepth <= 0 admits only a scalar; values
// above 10000 count as 10000), and that
// no object at any depth has two members whose names are equal after
// unescaping.
//
// The error, if any, wraps ErrSyntax, ErrTooDeep or ErrDuplicateKey. Validate
// allocates nothing when every object has at most 64 members and no more than
// 128 member names are open at once (escaped names included); beyond that it
// falls back to a map rather than to quadratic work.
func Validate(data []byte, maxDepth int) error {
	return validate(data, maxDepth, nil)
}

// ValidateMembers is Validate that also hands yield each member of the
// top-level object, when data holds one, as Members would, in order, as it
// goes: one pass where Validate then Members take two. Once yield returns
// false it is not called again, but the whole document is still validated
// and the result is Validate's. A member yield saw may belong to a
// document that then fails: act on what it saw only when the result is
// nil.
func ValidateMembers(data []byte, maxDepth int, yield func(key, value []byte) bool) error {
	return validate(data, maxDepth, yield)
}

func validate(data []byte, maxDepth int, yield yieldFunc) error {
	if len(data) > maxDocLen {
		return newError(ErrSyntax, 0, "document too large")
	}
	s := scanner{lexer: lexer{data: data}, maxDepth: min(maxDepth, depthCap)}
	s.skipWS()
	if err := s.value(0, yield); err != nil {
		return err
	}
	s.skipWS()
	if s.i != len(s.data) {
		return s.fail(ErrSyntax, "trailing data after the value")
	}
	return nil
}

// value scans the value at s.i; depth is the nesting of its container.
// yield, if not nil, receives the members of the value if it is an object.
func (s *scanner) value(depth int, yield yieldFunc) error {
	if s.i >= len(s.data) {
		return s.fail(ErrSyntax, "unexpected end of input")
	}
	switch c := s.data[s.i]; {
	case c == '{':
		return s.object(depth+1, yield)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || c-'0' <= 9:
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.fail(ErrSyntax, "invalid character at the start of a value")
}

// object scans the object at s.i, rejecting duplicate member names, and
// hands its members to yield, if not nil, until it returns false.
func (s *scanner) object(depth int, yield yieldFunc) error {
	if depth > s.maxDepth {
		return s.fail(ErrTooDeep, "object nested too deep")
	}
	s.i++ // '{'
	s.skipWS()
	if s.i < len(s.data) && s.data[s.i] == '}' {
		s.i++
		return nil
	}
	var names memberNames
	names.init(s)
	for {
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return s.fail(ErrSyntax, "expected a member name")
		}
		start := s.i
		shrink, err := s.str()
		if err != nil {
			return err
		}
		if err := names.add(s, start, shrink); err != nil {
			return err
		}
		name := s.data[start+1 : s.i-1 : s.i-1]
		s.skipWS()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return s.fail(ErrSyntax, "expected ':' after a member name")
		}
		s.i++
		s.skipWS()
		valueStart := s.i
		if err := s.value(depth, nil); err != nil {
			return err
		}
		if yield != nil && !yieldMember(yield, name, shrink != 0, s.data[valueStart:s.i:s.i]) {
			yield = nil
		}
		s.skipWS()
		if s.i >= len(s.data) {
			return s.fail(ErrSyntax, "unterminated object")
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.skipWS()
		case '}':
			s.i++
			names.done(s)
			return nil
		default:
			return s.fail(ErrSyntax, "expected ',' or '}' after an object member")
		}
	}
}

// yieldMember hands a member to yield as Members gives it: its name
// unescaped (a copy when it has escapes) and its value.
func yieldMember(yield yieldFunc, name []byte, escaped bool, value []byte) bool {
	if escaped {
		// The name was just validated, so unescaping it cannot fail.
		name, _ = appendUnescaped(make([]byte, 0, len(name)), name)
	}
	return yield(name, value)
}

// array scans the array at s.i.
func (s *scanner) array(depth int) error {
	if depth > s.maxDepth {
		return s.fail(ErrTooDeep, "array nested too deep")
	}
	s.i++ // '['
	s.skipWS()
	if s.i < len(s.data) && s.data[s.i] == ']' {
		s.i++
		return nil
	}
	for {
		if err := s.value(depth, nil); err != nil {
			return err
		}
		s.skipWS()
		if s.i >= len(s.data) {
			return s.fail(ErrSyntax, "unterminated array")
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.skipWS()
		case ']':
			s.i++
			return nil
		default:
			return s.fail(ErrSyntax, "expected ',' or ']' after an array element")
		}
	}
}

// fail returns an error of the given kind at the current offset.
func (s *lexer) fail(kind error, msg string) error {
	return newError(kind, s.i, msg)
}
