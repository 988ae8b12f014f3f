package claims

import (
	"bytes"
	"strconv"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// stringClaim decodes a claim that must be a JSON string when present.
func stringClaim(name string, raw []byte) (string, error) {
	if jsonx.KindOf(raw) != jsonx.KindString {
		return "", invalid("session token claim %q must be a string", name)
	}
	s, err := jsonx.String(raw)
	if err != nil {
		return "", clerkerr.Wrap(clerkerr.TokenInvalid, err, "session token claim %q is not a valid string", name)
	}
	return s, nil
}

// str decodes a string claim like stringClaim, without allocating when the
// value has no escapes (Clerk's never do): the result is then a substring of
// c.text, a view of Raw, so a token's strings cost no allocation beyond the
// payload itself. That is why Raw must never be modified.
func (c *Claims) str(name string, raw []byte) (string, error) {
	off, ok := c.offset(raw)
	if !ok || jsonx.KindOf(raw) != jsonx.KindString || len(raw) < 2 || bytes.IndexByte(raw, '\\') >= 0 {
		return stringClaim(name, raw)
	}
	return c.text[off+1 : off+len(raw)-1], nil
}

// offset returns where sub starts within Raw, if it is a slice of it (values
// from jsonx iterators are; unescaped keys and copies are not).
func (c *Claims) offset(sub []byte) (int, bool) {
	if len(sub) == 0 || len(c.Raw) == 0 {
		return 0, false
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(sub))) - uintptr(unsafe.Pointer(unsafe.SliceData(c.Raw))))
	return off, off >= 0 && off <= len(c.Raw)-len(sub)
}

// numberClaim decodes a claim that must be a JSON number (a numeric string is
// not: Clerk compares numbers, and "123" would be a parser differential).
func numberClaim(name string, raw []byte) (int64, error) {
	if jsonx.KindOf(raw) != jsonx.KindNumber {
		return 0, verificationFailed(`session token claim "` + name + `" must be a number`)
	}
	n, err := jsonx.Int(raw)
	if err != nil {
		return 0, clerkerr.Wrap(clerkerr.TokenInvalid, err, "session token claim %q is out of range", name)
	}
	return n, nil
}

// content returns the unescaped bytes of a JSON string token. Without escapes
// (the common case) it is a sub-slice of raw and allocates nothing; the caller
// must copy whatever it keeps.
func content(name string, raw []byte) ([]byte, error) {
	if jsonx.KindOf(raw) != jsonx.KindString || len(raw) < 2 {
		return nil, invalid("session token claim %q must be a string", name)
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	s, err := jsonx.String(raw)
	if err != nil {
		return nil, clerkerr.Wrap(clerkerr.TokenInvalid, err, "session token claim %q is not a valid string", name)
	}
	return []byte(s), nil
}

// falsy reports whether raw is a value JavaScript treats as false (null,
// false, "", a number equal to zero). Clerk's parser tests claims such as o,
// fea, per and fpm for truthiness, so these mean "absent" there.
func falsy(raw []byte) bool {
	switch jsonx.KindOf(raw) {
	case jsonx.KindNull:
		return true
	case jsonx.KindBool:
		return raw[0] == 'f'
	case jsonx.KindString:
		return len(raw) == 2
	case jsonx.KindNumber:
		// ParseFloat, not a digit scan: 1e-400 underflows to 0 in JavaScript too.
		f, err := strconv.ParseFloat(string(raw), 64)
		return err == nil && f == 0
	}
	return false
}

// isNumberTwo reports whether raw is the JSON number 2 (Clerk switches on
// v === 2, so 2.0 and 2e0 count; the string "2" does not).
func isNumberTwo(raw []byte) bool {
	if jsonx.KindOf(raw) != jsonx.KindNumber {
		return false
	}
	if len(raw) == 1 {
		return raw[0] == '2'
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	return err == nil && f == 2
}
