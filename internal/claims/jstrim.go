package claims

// jsTrim trims what JavaScript's String.prototype.trim trims (ECMAScript
// WhiteSpace and LineTerminator). It is not strings.TrimSpace: Go trims U+0085
// and keeps U+FEFF, JavaScript does the opposite, and feature and permission
// names must come out exactly as Clerk's parser produces them.
func jsTrim[T string | []byte](s T) T {
	for {
		n := leadingSpace(s)
		if n == 0 {
			break
		}
		s = s[n:]
	}
	for {
		n := trailingSpace(s)
		if n == 0 {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// leadingSpace returns the byte length of the JavaScript white space that
// starts s, or 0. Input is valid UTF-8 (jsonx.Validate guarantees it).
func leadingSpace[T string | []byte](s T) int {
	if len(s) == 0 {
		return 0
	}
	c := s[0]
	if c < 0x80 {
		if isASCIISpace(c) {
			return 1
		}
		return 0
	}
	if len(s) >= 2 && c == 0xC2 && s[1] == 0xA0 {
		return 2
	}
	if len(s) >= 3 && isSpace3(c, s[1], s[2]) {
		return 3
	}
	return 0
}

// trailingSpace is leadingSpace for the end of s. In valid UTF-8 a lead byte
// is never a continuation byte, so matching the last 2 or 3 bytes is exact.
func trailingSpace[T string | []byte](s T) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	if c := s[n-1]; c < 0x80 {
		if isASCIISpace(c) {
			return 1
		}
		return 0
	}
	if n >= 2 && s[n-2] == 0xC2 && s[n-1] == 0xA0 {
		return 2
	}
	if n >= 3 && isSpace3(s[n-3], s[n-2], s[n-1]) {
		return 3
	}
	return 0
}

// isASCIISpace: TAB, LF, VT, FF, CR and SPACE.
func isASCIISpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// isSpace3 matches the three-byte UTF-8 encodings of U+1680, U+2000–U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
func isSpace3(a, b, c byte) bool {
	switch a {
	case 0xE1:
		return b == 0x9A && c == 0x80
	case 0xE2:
		return (b == 0x80 && (c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF)) || (b == 0x81 && c == 0x9F)
	case 0xE3:
		return b == 0x80 && c == 0x80
	case 0xEF:
		return b == 0xBB && c == 0xBF
	}
	return false
}
