package ginclerk

import (
	"strings"
	"time"
)

// defaultMachineTokenCacheTTL is how long a verified opaque machine
// credential is remembered, 30 seconds (WithMachineTokenCacheTTL).
const defaultMachineTokenCacheTTL = 30 * time.Second

// WithMachineSecretKey sets the machine secret key ("ak_…", from the Clerk
// Dashboard's machine settings) that authenticates M2M token verification
// calls to Clerk's Backend API; API keys and OAuth access tokens are always
// verified with the secret key. A value that is not ak_… is an error from
// New. Default: $CLERK_MACHINE_SECRET_KEY, else the secret key is used for
// M2M tokens too.
func WithMachineSecretKey(key string) Option { return func(c *config) { c.machineSecretKey = key } }

// WithAudience sets the audiences machine credentials are for. An OAuth
// access token (JWT or opaque) must carry an aud naming one of them; a
// session token or an M2M JWT that carries an aud must name one too, and
// passes when it carries none. A mismatch is "token-verification-failed".
// An empty audience is an error from New. Default: no audience check.
func WithAudience(audiences ...string) Option {
	return appendNonBlank("WithAudience: empty audience", audiences, func(c *config) *[]string { return &c.audiences })
}

// WithMachineTokenCacheTTL sets how long a successful verification of an
// opaque machine credential ("ak_…", "mt_…", "oat_…") is remembered,
// never past the credential's expiration. It is also the longest a revoked
// credential keeps working. Concurrent requests with the same credential
// always share one Backend API call; a credential Clerk does not know is
// remembered for min(10 s, d). 0 disables both caches; a negative
// duration is an error from New. Machine JWTs are verified locally and
// not cached. Default: 30 seconds.
func WithMachineTokenCacheTTL(d time.Duration) Option {
	return nonNegative("WithMachineTokenCacheTTL", d, func(c *config) { c.machineTokenTTL = d })
}

// checkMachineSecretKey rejects a machine secret key that cannot be one:
// Clerk's start with ak_. The usual slip is the instance secret key pasted
// in its place.
func (c *config) checkMachineSecretKey() {
	k := c.machineSecretKey
	switch {
	case k == "":
	case strings.TrimSpace(k) != k || strings.ContainsAny(k, " \t\r\n"):
		c.fail("WithMachineSecretKey/CLERK_MACHINE_SECRET_KEY: the machine secret key contains whitespace")
	case strings.HasPrefix(k, "sk_test_") || strings.HasPrefix(k, "sk_live_"):
		c.fail("WithMachineSecretKey/CLERK_MACHINE_SECRET_KEY: this is an instance secret key (sk_…); the machine secret key starts with ak_")
	case !strings.HasPrefix(k, "ak_") || len(k) == len("ak_"):
		c.fail("WithMachineSecretKey/CLERK_MACHINE_SECRET_KEY: not a Clerk machine secret key (ak_…)")
	}
}
