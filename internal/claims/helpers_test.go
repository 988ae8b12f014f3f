package claims

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// base is the smallest payload Decode accepts; test cases append members.
const base = `{"sub":"user_1","exp":1700000000`

// payload builds a test payload from base plus extra members (which start
// with a comma), checking that it is JSON jsonx.Validate accepts — Decode's
// precondition — so that a typo in a case cannot pass as a rejection.
func payload(t testing.TB, extra string) []byte {
	t.Helper()
	p := []byte(base + extra + `}`)
	require.NoError(t, jsonx.Validate(p, 16), "test payload must be valid JSON: %s", p)
	return p
}

// requireInvalid asserts err is a token-invalid *clerkerr.Error whose message
// mentions want.
func requireInvalid(t *testing.T, err error, want string) {
	t.Helper()
	require.Error(t, err)
	var ce *clerkerr.Error
	require.True(t, errors.As(err, &ce), "error %T is not a *clerkerr.Error", err)
	require.Equal(t, clerkerr.TokenInvalid, ce.Reason)
	require.Contains(t, ce.Message, want)
}

// v2 wraps an o object and fea list into a v2 payload fragment.
func v2(o, fea string) string {
	s := `,"v":2`
	if o != "" {
		s += `,"o":` + o
	}
	if fea != "" {
		s += `,"fea":` + fea
	}
	return s
}
