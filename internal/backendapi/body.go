package backendapi

import (
	"errors"
	"io"
)

// MaxBody caps every Backend API answer read: real ones are a few KiB, and
// an unbounded read would let a broken or hostile endpoint exhaust memory.
const MaxBody = 1 << 20

// ErrBodyTooLarge is ReadBody's error for an answer over MaxBody.
var ErrBodyTooLarge = errors.New("response body over 1 MiB")

// ReadBody reads an answer of at most MaxBody bytes. It reads one byte past
// the cap, so that "exactly MaxBody" and "more" differ; a larger answer is
// ErrBodyTooLarge, and a failed read the reader's own error.
func ReadBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxBody {
		return nil, ErrBodyTooLarge
	}
	return body, nil
}
