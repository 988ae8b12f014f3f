package jsonx

import "strings"

// Kind is the JSON type of a raw value.
type Kind uint8

// The kinds KindOf reports. The zero value is KindInvalid.
const (
	KindInvalid Kind = iota // empty input or a byte no JSON value starts with
	KindNull
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// KindOf returns the kind of the raw value judging by its first byte only,
// which is all a validated value needs. It does not skip whitespace: the
// values Members and Elements yield have none around them.
func KindOf(raw []byte) Kind {
	if len(raw) == 0 {
		return KindInvalid
	}
	switch c := raw[0]; {
	case c == 'n':
		return KindNull
	case c == 't' || c == 'f':
		return KindBool
	case c == '-' || isDigit(c):
		return KindNumber
	case c == '"':
		return KindString
	case c == '[':
		return KindArray
	case c == '{':
		return KindObject
	}
	return KindInvalid
}

// String returns the value of raw, which must be exactly one JSON string
// token. It fails with ErrType if raw is another kind of value and with
// ErrSyntax if the token is malformed (it re-checks escapes and UTF-8, so it
// is safe on unvalidated input). Only the result is allocated.
func String(raw []byte) (string, error) {
	if KindOf(raw) != KindString {
		return "", newError(ErrType, -1, "not a string")
	}
	s := lexer{data: raw}
	shrink, err := s.str()
	if err != nil {
		return "", err
	}
	if s.i != len(raw) {
		return "", newError(ErrSyntax, s.i, "trailing data after the string")
	}
	content := raw[1 : len(raw)-1]
	if shrink == 0 {
		return string(content), nil
	}
	var b strings.Builder
	b.Grow(len(content) - shrink)
	for i := 0; i < len(content); {
		j := i
		for j < len(content) && content[j] != '\\' {
			j++
		}
		b.Write(content[i:j])
		if j == len(content) {
			break
		}
		r, n := decodeEscape(content, j) // valid: s.str() checked it
		b.WriteRune(r)
		i = j + n
	}
	return b.String(), nil
}

// Bool returns the value of raw, which must be exactly true or false. It
// fails with ErrType for any other kind of value.
func Bool(raw []byte) (bool, error) {
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	if KindOf(raw) != KindBool {
		return false, newError(ErrType, -1, "not a boolean")
	}
	return false, newError(ErrSyntax, -1, "invalid literal")
}
