package ginclerk_test

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// movableClock is a clock tests advance while requests run.
type movableClock struct{ ns atomic.Int64 }

func newMovableClock() *movableClock {
	c := &movableClock{}
	c.ns.Store(testNow.UnixNano())
	return c
}

func (c *movableClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *movableClock) Set(d time.Duration)     { c.ns.Store(testNow.Add(d).UnixNano()) }
func (c *movableClock) Option() ginclerk.Option { return ginclerk.WithClock(c.Now) }

// reasonOf sends token through the lax middleware and returns the signed-out
// reason ("" when signed in).
func reasonOf(t *testing.T, ck *ginclerk.Clerk, token string) string {
	t.Helper()
	var s seen
	w := do(router(&s, ck.WithAuth()), get(token))
	require.Equal(t, http.StatusOK, w.Code)
	require.True(t, s.ran)
	return s.auth.Reason
}

// TestTokenCacheVerdicts pins which outcomes the verified-token cache
// remembers, by counting signature checks over repeated requests.
func TestTokenCacheVerdicts(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	other := ginclerktest.SharedKey(t, 1)
	const requests = 4
	tests := []struct {
		name       string
		opts       []ginclerk.Option
		token      string
		wantReason string
		wantChecks int64
	}{
		{name: "valid token is verified once", token: mint(t, key), wantChecks: 1},
		{name: "disabled cache verifies every time", opts: []ginclerk.Option{ginclerk.WithTokenCacheBytes(0)},
			token: mint(t, key), wantChecks: requests},
		{name: "forged token replay costs one RSA check", token: mint(t, other.WithKID(key.KID)),
			wantReason: ginclerk.ReasonTokenInvalidSignature, wantChecks: 1},
		{name: "forged token without cache", opts: []ginclerk.Option{ginclerk.WithTokenCacheBytes(0)},
			token: mint(t, other), wantReason: ginclerk.ReasonTokenInvalidSignature, wantChecks: requests},
		{name: "expired token is never cached", token: mint(t, key, ginclerktest.ExpiresIn(-time.Minute)),
			wantReason: ginclerk.ReasonSessionTokenExpired, wantChecks: requests},
		{name: "azp is re-checked on every hit",
			opts:  []ginclerk.Option{ginclerk.WithAuthorizedParties("https://app.example.com")},
			token: mint(t, key), wantReason: ginclerk.ReasonTokenInvalidAuthorizedParties, wantChecks: 1},
		{name: "type mismatch is not cached", token: mint(t, key, ginclerktest.Without("sid")),
			wantReason: ginclerk.ReasonTokenTypeMismatch, wantChecks: requests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ck := pemClerk(t, key, tt.opts...)
			checks := ginclerk.CountSignatureChecks(ck)
			for i := range requests {
				assert.Equal(t, tt.wantReason, reasonOf(t, ck, tt.token), "request %d", i)
			}
			assert.Equal(t, tt.wantChecks, checks.Load(), "signature checks")
		})
	}
}

// TestTokenCacheTimeChecks shows the time checks running on cached tokens:
// a hit is as valid as the clock says, never more.
func TestTokenCacheTimeChecks(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	clk := newMovableClock()
	ck := pemClerk(t, key, clk.Option())
	checks := ginclerk.CountSignatureChecks(ck)
	early := mint(t, key, ginclerktest.NotBefore(testNow.Add(30*time.Second)))
	token := mint(t, key) // exp = testNow + 60 s

	steps := []struct {
		at         time.Duration
		token      string
		wantReason string
		wantChecks int64
	}{
		{at: 0, token: token, wantChecks: 1},
		{at: 0, token: early, wantReason: ginclerk.ReasonSessionTokenNBF, wantChecks: 2},
		{at: 10 * time.Second, token: early, wantReason: ginclerk.ReasonSessionTokenNBF, wantChecks: 2},
		{at: 25 * time.Second, token: early, wantChecks: 2}, // nbf - 5 s skew: valid, from the cache
		{at: 59 * time.Second, token: token, wantChecks: 2},
		// The entry lives to exp + skew, as long as the token is valid:
		// its last seconds cost no RSA.
		{at: 64 * time.Second, token: token, wantChecks: 2},
		{at: 65 * time.Second, token: token, wantReason: ginclerk.ReasonSessionTokenExpired, wantChecks: 3},
		{at: time.Hour, token: token, wantReason: ginclerk.ReasonSessionTokenExpired, wantChecks: 4},
		// A clock set back finds the original entry, whose life ends at
		// exp + skew.
		{at: 0, token: token, wantChecks: 4},
	}
	for i, st := range steps {
		clk.Set(st.at)
		assert.Equal(t, st.wantReason, reasonOf(t, ck, st.token), "step %d at %v", i, st.at)
		assert.Equal(t, st.wantChecks, checks.Load(), "step %d at %v: signature checks", i, st.at)
	}
}

// TestTokenCacheKeyRotationBound pins the documented bound: a cached
// verdict lives at most the JWKS refresh interval, even for a token whose
// exp is far away, so a dropped key cannot stay trusted through the cache.
func TestTokenCacheKeyRotationBound(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	clk := newMovableClock()
	ck := pemClerk(t, key, clk.Option(), ginclerk.WithJWKSCacheTTL(time.Minute))
	checks := ginclerk.CountSignatureChecks(ck)
	token := mint(t, key, ginclerktest.ExpiresIn(time.Hour))

	for _, st := range []struct {
		at         time.Duration
		wantChecks int64
	}{{0, 1}, {59 * time.Second, 1}, {time.Minute, 2}, {119 * time.Second, 2}} {
		clk.Set(st.at)
		assert.Empty(t, reasonOf(t, ck, token))
		assert.Equal(t, st.wantChecks, checks.Load(), "at %v", st.at)
	}
}

// TestTokenCacheKeyRotation drops a key from the JWKS and pins the bound
// documented on (*Clerk).verify: new tokens signed with the dropped key are
// refused from the first refresh that no longer lists it, and a token
// verified before that stays accepted until min(exp, verified + JWKS TTL).
func TestTokenCacheKeyRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey := ginclerktest.DefaultKey(t), ginclerktest.SharedKey(t, 3)
	srv := ginclerktest.NewServer(t, oldKey)
	clk := newMovableClock()
	ck := apiClerk(t, srv, clk.Option())
	var n atomic.Int64
	// fresh mints a new, distinct long-lived token with the old key at the
	// clock's current time.
	fresh := func() string {
		return oldKey.Mint(t, ginclerktest.At(clk.Now()), ginclerktest.ExpiresIn(time.Hour),
			ginclerktest.Set("jti", strconv.FormatInt(n.Add(1), 10)))
	}
	early := fresh()
	assert.Empty(t, reasonOf(t, ck, early))
	srv.SetKeys(newKey) // Clerk rotates: the old key is gone

	clk.Set(4 * time.Minute)
	late := fresh()
	assert.Empty(t, reasonOf(t, ck, early), "cached")
	assert.Empty(t, reasonOf(t, ck, late), "the keys are not refreshed yet")
	require.Equal(t, 1, srv.Fetches())

	clk.Set(5*time.Minute + time.Second) // past the default JWKS TTL
	_ = reasonOf(t, ck, fresh())         // due for a refresh: starts it
	require.Eventually(t, func() bool { return reasonOf(t, ck, fresh()) == ginclerk.ReasonJWKKidMismatch }, 5*time.Second, time.Millisecond,
		"a new token signed with the dropped key is refused once the JWKS is refreshed")
	assert.GreaterOrEqual(t, srv.Fetches(), 2, "refreshed (the unknown kid may cost one more fetch)")
	assert.Equal(t, ginclerk.ReasonJWKKidMismatch, reasonOf(t, ck, early), "verified at 0: its entry died at the TTL")
	assert.Empty(t, reasonOf(t, ck, late), "verified at 4m: cached until 9m")
	clk.Set(9 * time.Minute)
	assert.Equal(t, ginclerk.ReasonJWKKidMismatch, reasonOf(t, ck, late))
}

// TestTokenCachePerInstance: instances trusting different keys never share
// verdicts.
func TestTokenCachePerInstance(t *testing.T) {
	t.Parallel()
	keyA, keyB := ginclerktest.DefaultKey(t), ginclerktest.SharedKey(t, 2)
	a, b := pemClerk(t, keyA), pemClerk(t, keyB)
	token := mint(t, keyA)
	assert.Empty(t, reasonOf(t, a, token))
	assert.Equal(t, ginclerk.ReasonTokenInvalidSignature, reasonOf(t, b, token))
	assert.Empty(t, reasonOf(t, a, token), "b's negative verdict does not reach a")
	assert.Equal(t, ginclerk.ReasonTokenInvalidSignature, reasonOf(t, b, token))
}

// TestTokenCacheParallel drives one instance from many goroutines with a
// few tokens, valid and forged (run with -race): every answer is right.
func TestTokenCacheParallel(t *testing.T) {
	t.Parallel()
	key, forger := ginclerktest.DefaultKey(t), ginclerktest.SharedKey(t, 1)
	ck := pemClerk(t, key, ginclerk.WithTokenCacheBytes(48<<10))
	checks := ginclerk.CountSignatureChecks(ck)
	type tc struct{ token, user string }
	var tokens []tc
	for i := range 6 {
		user := "user_" + strconv.Itoa(i)
		tokens = append(tokens, tc{mint(t, key, ginclerktest.Subject(user)), user})
	}
	tokens = append(tokens, tc{mint(t, forger.WithKID(key.KID)), ""})
	lax := ck.WithAuth()
	const workers, perWorker = 8, 60
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				want := tokens[(w+i)%len(tokens)]
				var s seen
				do(router(&s, lax), get(want.token))
				if s.auth.UserID != want.user {
					t.Errorf("token of %q: got user %q (reason %q)", want.user, s.auth.UserID, s.auth.Reason)
				}
			}
		})
	}
	wg.Wait()
	// Concurrent first sights may each verify; after that, hits only.
	assert.LessOrEqual(t, checks.Load(), int64(workers*len(tokens)))
}

// TestOneVerificationPerRequest: a global WithAuth and a group's RequireAuth
// of the same instance verify the token once, not twice, and a strict
// middleware still refuses what the lax one let through.
func TestOneVerificationPerRequest(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key, ginclerk.WithTokenCacheBytes(0))
	checks := ginclerk.CountSignatureChecks(ck)
	var s seen
	r := router(&s, ck.WithAuth(), ck.RequireAuth())
	require.Equal(t, http.StatusOK, do(r, get(mint(t, key))).Code)
	assert.Equal(t, int64(1), checks.Load())
	assert.Equal(t, http.StatusUnauthorized, do(r, get("garbage")).Code)

	other := pemClerk(t, key, ginclerk.WithTokenCacheBytes(0))
	otherChecks := ginclerk.CountSignatureChecks(other)
	require.Equal(t, http.StatusOK, do(router(&s, ck.WithAuth(), other.RequireAuth()), get(mint(t, key))).Code)
	assert.Equal(t, int64(1), otherChecks.Load(), "another instance verifies for itself")
}
