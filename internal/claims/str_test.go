package claims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStringsNeverAliasRaw: string claims share one copy of the payload, not
// Raw itself, so a caller writing to Raw (Auth.Claims is reachable) cannot
// change a verified user ID.
func TestStringsNeverAliasRaw(t *testing.T) {
	t.Parallel()
	payload := []byte(`{"sub":"user_1","exp":1,"sid":"sess_\u0031","act":{"sub":"user_2"}}`)
	c, err := Decode(payload)
	require.NoError(t, err)
	for i := range c.Raw {
		c.Raw[i] = 'x'
	}
	assert.Equal(t, "user_1", c.Subject)
	assert.Equal(t, "sess_1", c.SessionID, "an escaped string is decoded, not sliced")
	assert.Equal(t, "user_2", c.ActorSubject)
}
