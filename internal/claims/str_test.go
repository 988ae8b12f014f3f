package claims

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStringsShareRaw: unescaped string claims are views of Raw, so a token's
// payload is held once; an escaped one is decoded into its own string.
func TestStringsShareRaw(t *testing.T) {
	t.Parallel()
	payload := []byte(`{"sub":"user_1","exp":1,"sid":"sess_\u0031","act":{"sub":"user_2"}}`)
	c, err := Decode(payload)
	require.NoError(t, err)
	within := func(s string) bool {
		start := uintptr(unsafe.Pointer(&payload[0]))
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= start && p+uintptr(len(s)) <= start+uintptr(len(payload))
	}
	assert.Equal(t, "user_1", c.Subject)
	assert.True(t, within(c.Subject), "sub is a view of the payload")
	assert.True(t, within(c.ActorSubject), "act.sub is a view of the payload")
	assert.Equal(t, "sess_1", c.SessionID)
	assert.False(t, within(c.SessionID), "an escaped string is decoded, not sliced")
}
