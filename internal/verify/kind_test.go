package verify

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// TestKindOf pins the classifier against @clerk/backend's isMachineToken,
// getMachineTokenType and hasNonSessionJwtCategory.
func TestKindOf(t *testing.T) {
	t.Parallel()
	k, evil := testKeys(t)
	tests := []struct {
		name  string
		token string
		want  Kind
	}{
		{"session", sign(k, hdr(), claimsAt()), KindSession},
		{"session signed by anyone: the kind is unverified", sign(evil, hdr(), claimsAt()), KindSession},
		{"session without cat", sign(k, hdr("cat", ""), claimsAt()), KindSession},
		{"session with the ignore cat", sign(k, hdr("cat", `"`+catIgnore+`"`), claimsAt()), KindSession},
		{"session with alg none", sign(k, hdr("alg", `"none"`), claimsAt()), KindSession},
		{"JWT template", sign(k, hdr("cat", `"cl_B7d4PD222AAA"`), claimsAt("sid", "")), KindNonSessionJWT},
		{"cat null", sign(k, hdr("cat", "null"), claimsAt()), KindNonSessionJWT},
		{"M2M JWT", sign(k, hdr("cat", `"cl_B7d4PD333AAA"`), claimsAt("sub", `"mch_2x"`)), KindM2MJWT},
		{"M2M JWT without cat", sign(k, hdr("cat", ""), claimsAt("sub", `"mch_2x"`)), KindM2MJWT},
		{"sub mch in another claim only", sign(k, hdr(), claimsAt("act", `{"sub":"mch_2x"}`)), KindSession},
		{"M2M JWT with an escaped sub", sign(k, hdr(), claimsAt("sub", `"\u006dch_2x"`)), KindM2MJWT},
		{"M2M JWT with an escaped underscore", sign(k, hdr(), claimsAt("sub", `"mch\u005f2x"`)), KindM2MJWT},
		{"mch_ in another claim, escape elsewhere", sign(k, hdr(), claimsAt("azp", `"mch_\/x"`)), KindSession},
		{"sub a number", sign(k, hdr(), claimsAt("sub", "7")), KindSession},
		{"OAuth JWT at+jwt", sign(k, hdr("typ", `"at+jwt"`), claimsAt()), KindOAuthJWT},
		{"OAuth JWT application/at+jwt", sign(k, hdr("typ", `"application/at+jwt"`), claimsAt()), KindOAuthJWT},
		{"typ AT+JWT is not OAuth", sign(k, hdr("typ", `"AT+JWT"`), claimsAt()), KindSession},
		{"M2M before OAuth", sign(k, hdr("typ", `"at+jwt"`), claimsAt("sub", `"mch_2x"`)), KindM2MJWT},
		{"API key", "ak_0123456789abcdef", KindAPIKey},
		{"opaque M2M token", "mt_0123456789abcdef", KindM2MToken},
		{"opaque OAuth token", "oat_0123456789abcdef", KindOAuthToken},
		{"prefix is case-sensitive", "AK_0123456789abcdef", KindMalformed},
		{"empty", "", KindMalformed},
		{"two segments", "a.b", KindMalformed},
		{"payload not an object", sign(k, hdr(), `[1]`), KindMalformed},
		{"header not JSON", "e30x.e30.c2ln", KindMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, KindOf(tt.token))
		})
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "session_token", KindSession.String())
	assert.Equal(t, "api_key", KindAPIKey.String())
	assert.Equal(t, "m2m_token", KindM2MJWT.String())
	assert.Equal(t, "oauth_token", KindOAuthToken.String())
	assert.Equal(t, "unknown", Kind(200).String())
	for _, k := range []Kind{KindAPIKey, KindM2MToken, KindOAuthToken, KindM2MJWT, KindOAuthJWT} {
		assert.True(t, k.IsMachine(), k)
	}
	for _, k := range []Kind{KindMalformed, KindSession, KindNonSessionJWT} {
		assert.False(t, k.IsMachine(), k)
	}
}

// TestKindBeforeKeys: a token of another kind is refused as
// token-type-mismatch without asking the key source — so an outage of
// Clerk's API cannot turn it into a 503 — while a session token with the
// same outage gets the key source's error.
func TestKindBeforeKeys(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	src := &countingSource{err: clerkerr.New(clerkerr.JWKRemoteFailedToLoad, "down")}
	v := newVerifier(t, func(c *Config) { c.Keys = src })
	for _, token := range []string{
		sign(k, hdr("typ", `"at+jwt"`), claimsAt()),
		sign(k, hdr("typ", `"application/at+jwt"`, "alg", `"ES256"`), claimsAt()),
		sign(k, hdr(), claimsAt("sub", `"mch_1"`)),
		sign(k, hdr("cat", `"cl_B7d4PD222AAA"`), claimsAt()),
	} {
		_, err := v.Verify(context.Background(), token)
		assert.Equal(t, clerkerr.TokenTypeMismatch, reasonOf(err))
	}
	assert.Zero(t, src.calls.Load())
	_, err := v.Verify(context.Background(), sign(k, hdr(), claimsAt()))
	assert.Equal(t, clerkerr.JWKRemoteFailedToLoad, reasonOf(err))
}

// TestKindOfJWTAllocs: classifying a Clerk session costs no allocation on
// the verification path. Not parallel: it counts allocations.
func TestKindOfJWTAllocs(t *testing.T) {
	k, _ := testKeys(t)
	seg, err := split(sign(k, hdr(), claimsAt()))
	require.NoError(t, err)
	h, err := parseHeader(seg.header)
	require.NoError(t, err)
	payload, err := decodePayload(seg.payload)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() { _ = kindOfJWT(&h, payload) })
	assert.Zero(t, allocs)
}

// TestMayHoldM2MSubject: the pre-check that spares a session payload the
// walk over its members answers false only when no spelling of a "mch_"
// subject can be in the payload.
func TestMayHoldM2MSubject(t *testing.T) {
	t.Parallel()
	for payload, want := range map[string]bool{
		`{"sub":"user_1","sid":"sess_1"}`:  false,
		`{"sub":"mch_1"}`:                  true,
		`{"sub":"\u006dch_1"}`:             true,
		`{"sub":"user_1","azp":"a\/b"}`:    true,
		`{"sub":"user_1","jti":"xmch_y"}`:  true,
		`{"sub":"user_1","jti":"mch-not"}`: false,
	} {
		assert.Equal(t, want, mayHoldM2MSubject([]byte(payload)), payload)
	}
}
