package ginclerk_test

import (
	"net/http"
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func clearEnv(t *testing.T) {
	for _, name := range []string{"CLERK_SECRET_KEY", "CLERK_JWT_KEY", "CLERK_API_URL", "CLERK_API_VERSION", "CLERK_PUBLISHABLE_KEY", "CLERK_PROXY_URL", "CLERK_MACHINE_SECRET_KEY"} {
		t.Setenv(name, "")
	}
}

func TestNewWithoutKeySource(t *testing.T) {
	clearEnv(t)
	ck, err := ginclerk.New()
	assert.Nil(t, ck)
	require.ErrorIs(t, err, ginclerk.ErrNoKeySource)
	assert.ErrorIs(t, err, ginclerk.ErrMisconfigured)
	assert.ErrorContains(t, err, "CLERK_SECRET_KEY")
	assert.ErrorContains(t, err, "CLERK_JWT_KEY")
}

func TestNewRejectsBadOptions(t *testing.T) {
	clearEnv(t)
	key := ginclerktest.DefaultKey(t)
	tests := []struct {
		name string
		opts []ginclerk.Option
		want string
	}{
		{"malformed PEM", []ginclerk.Option{ginclerk.WithJWTKey("not a key")}, "CLERK_JWT_KEY"},
		{"API URL without scheme", []ginclerk.Option{ginclerk.WithSecretKey("sk_test_x"), ginclerk.WithAPIURL("api.clerk.com")}, "WithAPIURL"},
		{"API version with a slash", []ginclerk.Option{ginclerk.WithSecretKey("sk_test_x"), ginclerk.WithAPIVersion("v1/x")}, "WithAPIVersion"},
		{"negative skew", append(key.Options(), ginclerk.WithClockSkew(-1)), "WithClockSkew"},
		{"zero TTL", append(key.Options(), ginclerk.WithJWKSCacheTTL(0)), "WithJWKSCacheTTL"},
		{"negative token cache", append(key.Options(), ginclerk.WithTokenCacheBytes(-1)), "WithTokenCacheBytes"},
		{"empty authorized party", append(key.Options(), ginclerk.WithAuthorizedParties("https://app.example.com", "")), "WithAuthorizedParties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck, err := ginclerk.New(tt.opts...)
			assert.Nil(t, ck)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// TestPackageLevelMiddlewaresFromEnvironment: the default instance reads the
// environment when the middleware is created, and a lax global middleware
// and a strict group share one key fetch.
func TestPackageLevelMiddlewaresFromEnvironment(t *testing.T) {
	clearEnv(t)
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	t.Setenv("CLERK_SECRET_KEY", srv.SecretKey)
	t.Setenv("CLERK_API_URL", srv.URL)

	var s seen
	r := router(&s, ginclerk.WithAuth(), ginclerk.RequireAuth())
	for range 5 {
		w := do(r, get(key.Mint(t)))
		require.Equal(t, http.StatusOK, w.Code)
		assert.True(t, s.auth.IsSignedIn())
	}
	assert.Equal(t, 1, srv.Fetches(), "lax and strict share one instance and one fetch")
}

// TestPackageLevelMachineSecretKey: the package-level middlewares verify
// M2M tokens with CLERK_MACHINE_SECRET_KEY, and a change of it is a new
// environment, with an instance of its own.
func TestPackageLevelMachineSecretKey(t *testing.T) {
	clearEnv(t)
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	token := srv.AddM2MToken(ginclerktest.MachineCredential{})
	t.Setenv("CLERK_JWT_KEY", key.PublicKeyPEM())
	t.Setenv("CLERK_API_URL", srv.URL)
	m2m := ginclerk.WithAcceptsToken(ginclerk.M2MToken)

	t.Setenv("CLERK_MACHINE_SECRET_KEY", srv.MachineSecretKey)
	assert.Equal(t, http.StatusOK, do(router(&seen{}, ginclerk.RequireAuth(m2m)), get(token)).Code)
	t.Setenv("CLERK_MACHINE_SECRET_KEY", "ak_not_this_server")
	assert.Equal(t, http.StatusInternalServerError, do(router(&seen{}, ginclerk.RequireAuth(m2m)), get(token)).Code,
		"the server refuses the other machine secret key")
}

// TestInstancesShareKeyCache: two instances with the same API URL, version
// and secret key share one fetch; Close releases without breaking the other.
func TestInstancesShareKeyCache(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	a, b := apiClerk(t, srv), apiClerk(t, srv)
	var s seen
	r := router(&s, a.WithAuth(), b.RequireAuth())
	w := do(r, get(mint(t, key)))
	require.Equal(t, http.StatusOK, w.Code)
	require.NoError(t, a.Close())
	require.NoError(t, a.Close(), "Close is idempotent")
	w = do(router(&s, b.RequireAuth()), get(mint(t, key)))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 1, srv.Fetches())
}

func TestKeyStats(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	ck := apiClerk(t, srv)
	assert.Zero(t, pemClerk(t, key).KeyStats(), "a PEM key has no cache")
	var s seen
	do(router(&s, ck.WithAuth()), get(mint(t, key)))
	do(router(&s, ck.WithAuth()), get(mint(t, key.WithKID("ins_unknown"))))
	st := ck.KeyStats()
	assert.Equal(t, uint64(2), st.Fetches, "the cold fetch and one unknown-kid refetch")
	assert.Equal(t, uint64(1), st.UnknownKidRefetches)
	assert.Equal(t, 1, st.Keys)
	assert.Equal(t, ginclerk.ReasonJWKKidMismatch, s.auth.Reason)
}

// TestOptionsOverrideBadEnvironment: a malformed environment value is an
// error only when no option replaces it.
func TestOptionsOverrideBadEnvironment(t *testing.T) {
	clearEnv(t)
	key := ginclerktest.DefaultKey(t)
	t.Setenv("CLERK_API_URL", "api.clerk.com")
	t.Setenv("CLERK_API_VERSION", "v1/x")
	pem := ginclerk.WithJWTKey(key.PublicKeyPEM())
	_, err := ginclerk.New(pem)
	assert.ErrorContains(t, err, "CLERK_API_URL")
	assert.ErrorContains(t, err, "CLERK_API_VERSION")
	ck, err := ginclerk.New(pem, ginclerk.WithAPIURL("https://api.example.com/"), ginclerk.WithAPIVersion("v1"))
	require.NoError(t, err)
	require.NoError(t, ck.Close())
}

// TestWithoutEnvironment: with WithoutEnvironment anywhere among the
// options, New reads no CLERK_* variable — not a key source, not a bad
// value, not the issuer pinning.
func TestWithoutEnvironment(t *testing.T) {
	clearEnv(t)
	key := ginclerktest.DefaultKey(t)
	t.Setenv("CLERK_JWT_KEY", key.PublicKeyPEM())
	t.Setenv("CLERK_PUBLISHABLE_KEY", ginclerktest.PublishableKey("https://clerk.shell.test"))
	t.Setenv("CLERK_PROXY_URL", "https://proxy.shell.test/__clerk")
	t.Setenv("CLERK_API_URL", "api.clerk.com")

	_, err := ginclerk.New()
	require.ErrorContains(t, err, "CLERK_API_URL", "without the option the environment is read")
	_, err = ginclerk.New(ginclerk.WithoutEnvironment())
	require.ErrorIs(t, err, ginclerk.ErrNoKeySource, "CLERK_JWT_KEY is not read")

	pem := ginclerk.WithJWTKey(key.PublicKeyPEM())
	for name, opts := range map[string][]ginclerk.Option{
		"first": {ginclerk.WithoutEnvironment(), pem, ginclerk.WithClock(fixedClock), quiet()},
		"last":  {pem, ginclerk.WithClock(fixedClock), quiet(), ginclerk.WithoutEnvironment()},
	} {
		t.Run(name, func(t *testing.T) {
			ck, err := ginclerk.New(opts...)
			require.NoError(t, err)
			defer ck.Close()
			var s seen
			do(router(&s, ck.WithAuth()), get(mint(t, key)))
			assert.True(t, s.auth.IsSignedIn(), "the default issuer is not pinned by the environment: %s", s.auth.Message)
		})
	}
}
