package ginclerk_test

import (
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
)

// TestAudience: with WithAudience, an OAuth access token (JWT or opaque)
// must name one of the audiences; a session token or an M2M JWT must only
// when it carries an aud. A mismatch is token-verification-failed.
func TestAudience(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t, ginclerk.WithAudience("api://orders", "api://billing"))
	oauth := func(aud ...string) string {
		return mint(t, f.key, ginclerktest.OAuth("client_1"), ginclerktest.Audience(aud...))
	}
	m2m := func(aud ...string) string {
		return mint(t, f.key, ginclerktest.M2M("mch_1"), ginclerktest.Audience(aud...))
	}
	opaque := func(aud ...string) string {
		return f.srv.AddOAuthToken(ginclerktest.MachineCredential{Audience: aud})
	}
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"oauth jwt for the audience", oauth("api://orders"), true},
		{"oauth jwt listing the audience", oauth("api://other", "api://billing"), true},
		{"oauth jwt for another audience", oauth("api://other"), false},
		{"oauth jwt without aud", oauth(), false},
		{"oauth jwt with an empty aud", oauth("api://orders", ""), false},
		{"opaque oauth for the audience", opaque("api://billing"), true},
		{"opaque oauth for another audience", opaque("api://other"), false},
		{"opaque oauth without aud", opaque(), false},
		{"m2m jwt without aud", m2m(), true},
		{"m2m jwt for the audience", m2m("api://orders"), true},
		{"m2m jwt for another audience", m2m("api://other"), false},
		{"session without aud", mint(t, f.key), true},
		{"session for the audience", mint(t, f.key, ginclerktest.Audience("api://orders")), true},
		{"session for another audience", mint(t, f.key, ginclerktest.Audience("api://other")), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := f.ck.VerifyToken(t.Context(), tt.token, acceptAny)
			if tt.ok {
				assert.NoError(t, err)
				assert.True(t, a.IsAuthenticated())
				return
			}
			assert.ErrorIs(t, err, ginclerk.ErrUnauthenticated)
			assert.Equal(t, ginclerk.ReasonTokenVerificationFailed, a.Reason)
		})
	}
}
