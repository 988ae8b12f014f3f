package ginclerk

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestParseIntJS pins JavaScript's Number.parseInt(s) || 0, Clerk's reading
// of __client_uat.
func TestParseIntJS(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int64{
		"":                      0,
		"0":                     0,
		"1717490192":            1717490192,
		"  42":                  42,
		"\t\n42":                42,
		"+7":                    7,
		"-1":                    -1,
		"1700000000.5":          1700000000,
		"12abc":                 12,
		"abc":                   0,
		"0x10":                  16,
		"0XfF":                  255,
		"0x":                    0,
		"1e9":                   1,
		"99999999999999999999":  math.MaxInt64,
		"-99999999999999999999": -math.MaxInt64,
		"- 1":                   0,
	} {
		assert.Equal(t, want, parseIntJS(s), "%q", s)
	}
}

// TestIssuedByInstance pins Clerk's tokenBelongsToInstance comparison:
// iss.replace(/https?:\/\//gi, ”) === frontendApi.
func TestIssuedByInstance(t *testing.T) {
	t.Parallel()
	ck := &Clerk{cookies: instanceCookies{frontendAPI: "clerk.example.test"}}
	for iss, want := range map[string]bool{
		"https://clerk.example.test":         true,
		"http://clerk.example.test":          true,
		"HTTPS://clerk.example.test":         true,
		"clerk.example.test":                 true,
		"https://https://clerk.example.test": true,
		"clerk.example.https://test":         true, // removed anywhere, as the regex does
		"https://clerk.example.test/":        false,
		"http:whatever":                      false,
		"https://clerk.other.test":           false,
		"":                                   false,
		"\u212Attps://clerk.example.test":    false, // KELVIN SIGN: no Unicode folding
	} {
		assert.Equal(t, want, ck.issuedByInstance(iss), "%q", iss)
	}
}
