package jsonx

import (
	"errors"
	"strconv"
)

// The sentinel errors. Every error this package returns wraps exactly one of
// them; compare with errors.Is. The concrete error also carries a short
// description and, for Validate, the byte offset of the problem, but never
// any of the document's content, so it is safe to log for a token.
var (
	// ErrSyntax reports a document that is not exactly one RFC 8259 JSON
	// value, or a value token that is malformed.
	ErrSyntax = errors.New("jsonx: invalid JSON")
	// ErrDuplicateKey reports an object with two members whose names are
	// equal after unescaping.
	ErrDuplicateKey = errors.New("jsonx: duplicate member name")
	// ErrTooDeep reports a document nested deeper than the caller's limit.
	ErrTooDeep = errors.New("jsonx: nesting too deep")
	// ErrType reports a value of the wrong JSON type for the conversion
	// asked for (a numeric string given to Int, say), or a number outside
	// the range Int supports.
	ErrType = errors.New("jsonx: wrong JSON type")
)

// jsonError is the concrete error type. It is unexported so that callers
// depend only on the sentinels; the offset is there for humans reading logs.
type jsonError struct {
	kind error  // one of the sentinels
	msg  string // what went wrong, more precisely than kind; no document content
	off  int    // byte offset in the document, or -1 when meaningless
}

func (e *jsonError) Error() string {
	s := "jsonx: " + e.msg
	if e.off >= 0 {
		s += " at offset " + strconv.Itoa(e.off)
	}
	return s
}

func (e *jsonError) Unwrap() error { return e.kind }

// newError is only reached on failure, so its allocation never touches the
// fast path.
func newError(kind error, off int, msg string) error {
	return &jsonError{kind: kind, msg: msg, off: off}
}
