package machine

import (
	"slices"
	"time"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// check judges a 200 answer at now. ginclerk fails closed where Clerk's SDK
// signs in with whatever the answer says: revoked, expired or past its
// expiration is token-invalid; an answer that names no subject cannot be
// trusted to say anything and is an unexpected-error.
func check(a *answer, now time.Time) (*Credential, *clerkerr.Error) {
	c := &a.cred
	switch {
	case a.revoked:
		return nil, clerkerr.New(clerkerr.TokenInvalid, "%s revoked", c.Kind.noun())
	case a.expired || (!c.Expiration.IsZero() && !now.Before(c.Expiration)):
		return nil, clerkerr.New(clerkerr.TokenInvalid, "%s expired", c.Kind.noun())
	case c.Subject == "":
		return nil, clerkerr.Wrap(clerkerr.UnexpectedError, errMalformed,
			"could not verify the %s with Clerk's Backend API: the answer names no subject", c.Kind.noun())
	}
	return c, nil
}

// checkAudience applies Config.Audiences to an OAuth token, as Clerk does
// for the verify answer's aud: with audiences configured, aud must be a
// non-empty list of non-empty strings containing one of them.
func (v *Verifier) checkAudience(c *Credential) (*Credential, error) {
	if c.Kind != OAuthToken || len(v.cfg.Audiences) == 0 || AudienceMatches(c.Audience, v.cfg.Audiences) {
		return c, nil
	}
	return nil, clerkerr.New(clerkerr.TokenVerificationFailed, "OAuth access token audience mismatch")
}

// AudienceMatches reports whether aud, a token's audience, is a non-empty
// list of non-empty strings that contains one of want.
func AudienceMatches(aud, want []string) bool {
	match := false
	for _, a := range aud {
		if a == "" {
			return false
		}
		match = match || slices.Contains(want, a)
	}
	return match
}
