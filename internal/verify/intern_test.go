package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInternKid pins that interning never confuses a raw value with the
// interned string it resembles: a kid containing a backslash (decoded from
// an escape) is not interned, so raw bytes spelling it are decoded afresh.
func TestInternKid(t *testing.T) {
	// Not parallel: lastKid is process-wide.
	tests := []struct{ raw, want string }{
		{`"ins_abc"`, "ins_abc"},
		{`"ins_abc"`, "ins_abc"}, // interned
		{`"ins_xyz"`, "ins_xyz"},
		{`"a\\b"`, `a\b`}, // escaped backslash: not interned
		{`"a\b"`, "a\b"},  // same raw spelling as the decoded kid above: a backspace
		{`"ins_\u0061bc"`, "ins_abc"},
	}
	for _, tt := range tests {
		got, err := internKid([]byte(tt.raw))
		require.NoError(t, err, tt.raw)
		assert.Equal(t, tt.want, got, tt.raw)
	}
}

// TestParseHeaderAllocs: a Clerk header costs no allocation. Not parallel:
// it counts allocations.
func TestParseHeaderAllocs(t *testing.T) {
	encoded := "eyJhbGciOiJSUzI1NiIsImNhdCI6ImNsX0I3ZDRQRDExMUFBQSIsImtpZCI6Imluc190ZXN0XzEiLCJ0eXAiOiJKV1QifQ"
	h, err := parseHeader(encoded)
	require.NoError(t, err)
	require.Equal(t, "ins_test_1", h.kid)
	require.False(t, h.foreignCat)
	require.NoError(t, h.check())
	// AllocsPerRun truncates the average, which absorbs the race
	// detector's habit of dropping a quarter of sync.Pool.Put calls.
	allocs := testing.AllocsPerRun(100, func() { _, _ = parseHeader(encoded) })
	assert.Zero(t, allocs)
}

// TestParseHeaderRemembersLast: the last good header is remembered, and
// only for its exact encoding: another header is parsed afresh, and a bad
// one is never remembered.
func TestParseHeaderRemembersLast(t *testing.T) {
	// Not parallel: lastHeader is process-wide.
	good := func(kid string) string {
		return enc.EncodeToString([]byte(`{"alg":"RS256","kid":"` + kid + `","typ":"JWT"}`))
	}
	a, b := good("ins_a"), good("ins_b")
	bad := enc.EncodeToString([]byte(`{"alg":"HS256","kid":"ins_c"}`))
	tests := []struct{ encoded, kid, remembered string }{
		{a, "ins_a", a},
		{b, "ins_b", b},
		{a, "ins_a", a},
		{bad, "ins_c", a},
		{a, "ins_a", a},
	}
	for _, tt := range tests {
		h, err := parseHeader(tt.encoded)
		require.NoError(t, err)
		assert.Equal(t, tt.kid, h.kid)
		assert.Equal(t, tt.remembered, lastHeader.Load().encoded)
	}
}
