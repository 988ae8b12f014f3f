package jsonx

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// plain[c] is true for the bytes a string may contain literally and that need
// no further look: printable ASCII other than '"' and '\\'. A lookup table
// keeps the hot loop to one load and one branch per byte.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipPlain returns the offset of the first byte at or after i that is not
// plain (see plain), or len(d). It tests eight bytes per step with SWAR
// arithmetic, because strings are most of a token's bytes.
func skipPlain(d []byte, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for ; i+8 <= len(d); i += 8 {
		x := binary.LittleEndian.Uint64(d[i:])
		q := x ^ ('"' * ones)  // a zero byte where x has '"'
		b := x ^ ('\\' * ones) // a zero byte where x has a backslash
		// A byte's high bit is set in m if that byte is a control character,
		// '"', a backslash or non-ASCII. Borrows can also flag bytes above
		// a flagged one, never below, so the lowest flag is exact.
		m := ((x-0x20*ones)&^x | (q-ones)&^q | (b-ones)&^b | x) & highs
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(d) && plain[d[i]] {
		i++
	}
	return i
}

// isWS reports the four whitespace bytes RFC 8259 allows between tokens.
// Anything else (form feed, NBSP, a BOM) is a syntax error, as in the RFC.
func isWS(c byte) bool {
	// The first test settles the common case, a byte above ' ', at once.
	return c <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t')
}

func (s *lexer) skipWS() {
	for s.i < len(s.data) && isWS(s.data[s.i]) {
		s.i++
	}
}

// str scans the string token at s.i (which is '"') and moves past its closing
// quote. It returns how many bytes shorter the unescaped string is than its
// raw content; zero means the string has no escapes, so its raw bytes are its
// value.
func (s *lexer) str() (shrink int, err error) {
	d := s.data
	i := s.i + 1
	for {
		i = skipPlain(d, i)
		if i >= len(d) {
			s.i = i
			return 0, s.fail(ErrSyntax, "unterminated string")
		}
		switch c := d[i]; {
		case c == '"':
			s.i = i + 1
			return shrink, nil
		case c == '\\':
			r, n := decodeEscape(d, i)
			if n == 0 {
				s.i = i
				return 0, s.fail(ErrSyntax, "invalid escape in string")
			}
			shrink += n - utf8.RuneLen(r)
			i += n
		case c < 0x20:
			s.i = i
			return 0, s.fail(ErrSyntax, "control character in string")
		default: // c >= 0x80: must start a valid UTF-8 sequence
			_, n := utf8.DecodeRune(d[i:])
			if n <= 1 {
				s.i = i
				return 0, s.fail(ErrSyntax, "invalid UTF-8 in string")
			}
			i += n
		}
	}
}

// number scans the number token at s.i, following the RFC 8259 grammar
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? exactly.
func (s *lexer) number() error {
	d := s.data
	i := s.i
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
		if i < len(d) && isDigit(d[i]) {
			s.i = i
			return s.fail(ErrSyntax, "leading zero in number")
		}
	case i < len(d) && isDigit(d[i]):
		i = skipDigits(d, i)
	default:
		s.i = i
		return s.fail(ErrSyntax, "expected a digit")
	}
	if i < len(d) && d[i] == '.' {
		j := skipDigits(d, i+1)
		if j == i+1 {
			s.i = j
			return s.fail(ErrSyntax, "expected a digit after '.'")
		}
		i = j
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := skipDigits(d, i)
		if j == i {
			s.i = j
			return s.fail(ErrSyntax, "expected a digit in the exponent")
		}
		i = j
	}
	s.i = i
	return nil
}

// literal scans one of true, false and null. The caller has seen its first
// byte; what follows the literal is checked by the caller, so "truex" fails
// as trailing data or a missing separator.
func (s *lexer) literal(lit string) error {
	if len(s.data)-s.i < len(lit) || string(s.data[s.i:s.i+len(lit)]) != lit {
		return s.fail(ErrSyntax, "invalid literal")
	}
	s.i += len(lit)
	return nil
}

func isDigit(c byte) bool { return c-'0' <= 9 }

func skipDigits(d []byte, i int) int {
	for i < len(d) && isDigit(d[i]) {
		i++
	}
	return i
}
