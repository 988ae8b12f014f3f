package jsonx

import (
	"unicode/utf16"
	"unicode/utf8"
)

// decodeEscape decodes the escape sequence starting at d[i] (a backslash). It
// returns the rune and the number of raw bytes consumed, or n == 0 when the
// escape is invalid. A \u escape for a high surrogate must be followed by one
// for a low surrogate and the pair yields one rune; a lone surrogate of either
// kind is invalid, because decoders disagree about it (encoding/json turns it
// into U+FFFD, others keep it or fail).
func decodeEscape(d []byte, i int) (r rune, n int) {
	if i+1 >= len(d) {
		return 0, 0
	}
	switch d[i+1] {
	case '"', '\\', '/':
		return rune(d[i+1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
	default:
		return 0, 0
	}
	r, ok := hex4(d, i+2)
	switch {
	case !ok:
		return 0, 0
	case r < 0xD800 || r > 0xDFFF:
		return r, 6
	case r >= 0xDC00: // a low surrogate with no high one before it
		return 0, 0
	}
	if i+7 >= len(d) || d[i+6] != '\\' || d[i+7] != 'u' {
		return 0, 0
	}
	lo, ok := hex4(d, i+8)
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return 0, 0
	}
	return utf16.DecodeRune(r, lo), 12
}

// hex4 decodes the four hex digits at d[i:i+4].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// appendUnescaped appends the value of the raw string content s (between the
// quotes) to dst. ok is false if s holds an invalid escape, which can only
// happen for documents Validate did not accept.
func appendUnescaped(dst, s []byte) (_ []byte, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		r, n := decodeEscape(s, i)
		if n == 0 {
			return dst, false
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst, true
}

// unescaper yields the bytes of a raw string's value one at a time, so that
// two member names can be compared or hashed after unescaping without
// allocating a decoded copy.
type unescaper struct {
	s      []byte  // raw string content
	i      int     // next raw byte
	buf    [4]byte // the UTF-8 encoding of the last escape
	bi, bn int     // unread part of buf
}

// next returns the next byte of the value; ok is false at the end (or at an
// invalid escape, which Validate has already ruled out).
func (u *unescaper) next() (b byte, ok bool) {
	if u.bi < u.bn {
		b = u.buf[u.bi]
		u.bi++
		return b, true
	}
	if u.i >= len(u.s) {
		return 0, false
	}
	if c := u.s[u.i]; c != '\\' {
		u.i++
		return c, true
	}
	r, n := decodeEscape(u.s, u.i)
	if n == 0 {
		u.i = len(u.s)
		return 0, false
	}
	u.i += n
	u.bn = utf8.EncodeRune(u.buf[:], r)
	u.bi = 1
	return u.buf[0], true
}
