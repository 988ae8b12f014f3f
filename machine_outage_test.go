package ginclerk_test

import (
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var acceptAPIKeys = ginclerk.WithAcceptsToken(ginclerk.APIKey)

// apiKeyStatus sends token to a strict middleware accepting API keys and
// returns the status and reason.
func apiKeyStatus(ck *ginclerk.Clerk, token string) (int, string) {
	var s seen
	w := do(router(&s, ck.RequireAuth(acceptAPIKeys)), get(token))
	return w.Code, w.Header().Get("X-Clerk-Auth-Reason")
}

// TestMachineBackendFailures: the Backend API refusing our secret key is
// our misconfiguration (500); any other failure is our outage (503
// unexpected-error), never a 401 that would make a client discard a good
// credential.
func TestMachineBackendFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault  ginclerktest.Fault
		status int
		reason string
	}{
		{ginclerktest.Fault401, http.StatusInternalServerError, ginclerk.ReasonSecretKeyInvalid},
		{ginclerktest.Fault500, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.Fault429, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.Fault403, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.FaultGarbage, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.FaultEmptySet, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.FaultHugeBody, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.FaultRedirect, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
		{ginclerktest.FaultHang, http.StatusServiceUnavailable, ginclerk.ReasonUnexpectedError},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			// Only a hang is ended by the timeout, so only a hang gets a
			// short one: any other fault must fail on its own merits, however
			// slowly a loaded machine answers.
			timeout := hangBound
			if tt.fault == ginclerktest.FaultHang {
				timeout = 50 * time.Millisecond
			}
			f := newMachineFixture(t, ginclerk.WithFetchTimeout(timeout))
			f.srv.FailVerify(tt.fault)
			status, reason := apiKeyStatus(f.ck, f.tok["api key"])
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.reason, reason)
			_, err := f.ck.VerifyToken(t.Context(), f.tok["api key"], acceptAPIKeys)
			if tt.status == http.StatusServiceUnavailable {
				assert.ErrorIs(t, err, ginclerk.ErrKeysUnavailable)
			} else {
				assert.ErrorIs(t, err, ginclerk.ErrMisconfigured)
			}
		})
	}
}

// TestMachineOutageServesCache: while the Backend API is down, a credential
// verified before keeps working until its cache entry's TTL, then fails
// with 503; a new one fails with 503 at once.
func TestMachineOutageServesCache(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newMachineFixture(t, ginclerk.WithClock(clk.Now), ginclerk.WithMachineTokenCacheTTL(30*time.Second))
	status, _ := apiKeyStatus(f.ck, f.tok["api key"])
	require.Equal(t, http.StatusOK, status)

	f.srv.FailVerify(ginclerktest.Fault500)
	clk.Advance(29 * time.Second)
	status, _ = apiKeyStatus(f.ck, f.tok["api key"])
	assert.Equal(t, http.StatusOK, status, "cached until the TTL")
	status, _ = apiKeyStatus(f.ck, f.srv.AddAPIKey(ginclerktest.MachineCredential{}))
	assert.Equal(t, http.StatusServiceUnavailable, status, "a credential never verified")

	clk.Advance(time.Second)
	status, reason := apiKeyStatus(f.ck, f.tok["api key"])
	assert.Equal(t, http.StatusServiceUnavailable, status, "past the TTL")
	assert.Equal(t, ginclerk.ReasonUnexpectedError, reason)
	assert.Equal(t, 3, f.srv.VerifyCalls().APIKeys)
}

// TestMachineRevocationDelay: a revoked credential keeps working from the
// cache for at most the TTL; with the cache disabled, not at all.
func TestMachineRevocationDelay(t *testing.T) {
	t.Parallel()
	for _, ttl := range []time.Duration{30 * time.Second, 0} {
		t.Run(ttl.String(), func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			f := newMachineFixture(t, ginclerk.WithClock(clk.Now), ginclerk.WithMachineTokenCacheTTL(ttl))
			status, _ := apiKeyStatus(f.ck, f.tok["api key"])
			require.Equal(t, http.StatusOK, status)
			f.srv.Revoke(f.tok["api key"])
			status, _ = apiKeyStatus(f.ck, f.tok["api key"])
			if ttl > 0 {
				assert.Equal(t, http.StatusOK, status, "still cached")
				clk.Advance(ttl)
			}
			status, reason := apiKeyStatus(f.ck, f.tok["api key"])
			assert.Equal(t, http.StatusUnauthorized, status)
			assert.Equal(t, ginclerk.ReasonTokenInvalid, reason)
		})
	}
}

// TestMachineNegativeCache: a replayed unknown key costs one Backend API
// call per negative TTL, not one per request.
func TestMachineNegativeCache(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f := newMachineFixture(t, ginclerk.WithClock(clk.Now))
	for range 5 {
		status, _ := apiKeyStatus(f.ck, "ak_replayed")
		require.Equal(t, http.StatusUnauthorized, status)
	}
	assert.Equal(t, 1, f.srv.VerifyCalls().APIKeys)
	clk.Advance(10 * time.Second)
	apiKeyStatus(f.ck, "ak_replayed")
	assert.Equal(t, 2, f.srv.VerifyCalls().APIKeys)
}

// TestMachineConcurrentOneCall: 1,000 concurrent requests with one fresh
// API key through the middleware make exactly one Backend API call.
func TestMachineConcurrentOneCall(t *testing.T) {
	t.Parallel()
	f := newMachineFixture(t)
	r := engine(f.ck.RequireAuth(acceptAPIKeys)) // engine's route records nothing: no race between requests
	const n = 1000
	statuses := make([]int, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			statuses[i] = do(r, get(f.tok["api key"])).Code
		}()
	}
	start.Done()
	done.Wait()
	for _, st := range statuses {
		require.Equal(t, http.StatusNoContent, st)
	}
	assert.Equal(t, 1, f.srv.VerifyCalls().APIKeys)
}

// TestMachineSecretKeys: API keys and OAuth tokens are verified with the
// secret key, M2M tokens with the machine secret key when one is set; with
// no key for a kind, its credentials fail as our misconfiguration (500).
func TestMachineSecretKeys(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	m2m := srv.AddM2MToken(ginclerktest.MachineCredential{})
	apiKey := srv.AddAPIKey(ginclerktest.MachineCredential{})
	anyKind := func(ck *ginclerk.Clerk, token string) int {
		var s seen
		return do(router(&s, ck.RequireAuth(acceptAny)), get(token)).Code
	}

	machineOnly := pemClerk(t, key, ginclerk.WithAPIURL(srv.URL), ginclerk.WithHTTPClient(srv.Client()),
		ginclerk.WithMachineSecretKey(srv.MachineSecretKey))
	assert.Equal(t, http.StatusOK, anyKind(machineOnly, m2m))
	assert.Equal(t, http.StatusInternalServerError, anyKind(machineOnly, apiKey), "no secret key for API keys")

	wrongSecret := pemClerk(t, key, ginclerk.WithAPIURL(srv.URL), ginclerk.WithHTTPClient(srv.Client()),
		ginclerk.WithSecretKey("sk_test_wrong"), ginclerk.WithMachineSecretKey(srv.MachineSecretKey))
	assert.Equal(t, http.StatusOK, anyKind(wrongSecret, m2m), "M2M tokens use the machine secret key")
	assert.Equal(t, http.StatusInternalServerError, anyKind(wrongSecret, apiKey))

	calls := srv.VerifyCalls()
	pemOnly := pemClerk(t, key)
	assert.Equal(t, http.StatusInternalServerError, anyKind(pemOnly, apiKey))
	assert.Equal(t, http.StatusOK, anyKind(pemOnly, mint(t, key, ginclerktest.M2M("mch_1"))), "machine JWTs need no Backend API")
	assert.Equal(t, calls, srv.VerifyCalls(), "an instance without a secret key calls nothing")
}

// TestMachineNoGoroutineAfterClose: Close ends a verification in flight
// and leaves no goroutine behind. Not parallel: it counts goroutines.
func TestMachineNoGoroutineAfterClose(t *testing.T) {
	key := ginclerktest.DefaultKey(t)
	before := runtime.NumGoroutine()
	func() {
		srv := ginclerktest.NewServer(t, key)
		defer srv.Close()
		token := srv.AddAPIKey(ginclerktest.MachineCredential{})
		srv.FailVerify(ginclerktest.FaultHang)
		ck, err := ginclerk.New(append(srv.Options(), quiet(), ginclerk.WithFetchTimeout(time.Hour))...)
		require.NoError(t, err)
		status := make(chan int, 1)
		go func() { code, _ := apiKeyStatus(ck, token); status <- code }()
		for srv.VerifyCalls().APIKeys == 0 {
			time.Sleep(time.Millisecond)
		}
		require.NoError(t, ck.Close())
		select {
		case code := <-status:
			assert.Equal(t, http.StatusServiceUnavailable, code)
		case <-time.After(30 * time.Second): // a bound on a hang: the call's own timeout is an hour
			t.Fatal("Close did not end the verification in flight")
		}
	}()
	requireGoroutinesBackTo(t, before)
}

// TestMachineLogsHoldNoSecrets: every failure the default hooks log — bad
// credentials, our outage, our misconfiguration — is logged without the
// credential or a secret key.
func TestMachineLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	foreign := ginclerktest.NewServer(t).MachineSecretKey // refused by f's server: a 401 for M2M calls
	f := newMachineFixture(t, ginclerk.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		ginclerk.WithMachineSecretKey(foreign))
	var s seen
	r := router(&s, f.ck.WithAuth(acceptAny))
	tokens := []string{f.tok["api key"], f.tok["m2m"], f.tok["oauth"], f.tok["revoked key"], f.tok["forged m2m"]}
	for _, fault := range []ginclerktest.Fault{ginclerktest.FaultNone, ginclerktest.Fault401, ginclerktest.Fault500} {
		f.srv.FailVerify(fault)
		for _, token := range tokens {
			do(r, get(token))
		}
	}
	out := logs.String()
	require.NotEmpty(t, out)
	for _, secret := range append(tokens, f.srv.SecretKey, foreign) {
		assert.NotContains(t, out, secret)
	}
}

// TestMachineJWTKeyOutage: a machine JWT needs the session keys; when they
// cannot be had, the key rules of sessions apply — our outage (503) or our
// configuration (500), never the client's 401.
func TestMachineJWTKeyOutage(t *testing.T) {
	t.Parallel()
	for fault, want := range map[ginclerktest.Fault]int{
		ginclerktest.Fault500: http.StatusServiceUnavailable,
		ginclerktest.Fault401: http.StatusInternalServerError,
	} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			f := newMachineFixture(t)
			f.srv.Fail(fault)
			code, a, _ := f.strict(f.tok["m2m jwt"], acceptAny)
			assert.Equal(t, want, code)
			assert.Contains(t, []string{ginclerk.ReasonJWKRemoteFailedToLoad, ginclerk.ReasonSecretKeyInvalid}, a.Reason)
			assert.Equal(t, ginclerk.M2MToken, a.TokenType)
		})
	}
}
