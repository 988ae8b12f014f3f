package ginclerk_test

import (
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewRejectsImpossibleValues: New fails fast on a secret key or API URL
// that cannot be right, naming the option and the variable, and never
// quoting the secret or a URL's credentials.
func TestNewRejectsImpossibleValues(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name   string
		opt    ginclerk.Option
		want   []string
		secret string // must not appear in the error
	}{
		{"secret key abc", ginclerk.WithSecretKey("abc"), []string{"WithSecretKey", "CLERK_SECRET_KEY", "sk_test_"}, "abc"},
		{"secret key with a leading space", ginclerk.WithSecretKey(" sk_test_c2VjcmV0"), []string{"CLERK_SECRET_KEY", "whitespace"}, "c2VjcmV0"},
		{"secret key with a trailing newline", ginclerk.WithSecretKey("sk_live_c2VjcmV0\n"), []string{"CLERK_SECRET_KEY", "whitespace"}, "c2VjcmV0"},
		{"publishable key as secret key", ginclerk.WithSecretKey("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"), []string{"WithSecretKey", "publishable key"}, "Y2xlcmsuZXhhbXBsZS5jb20k"},
		{"prefix only", ginclerk.WithSecretKey("sk_test_"), []string{"CLERK_SECRET_KEY"}, ""},
		{"another prefix", ginclerk.WithSecretKey("sk_prod_c2VjcmV0"), []string{"CLERK_SECRET_KEY"}, "c2VjcmV0"},
		{"cleartext API URL", ginclerk.WithAPIURL("http://api.clerk.com"), []string{"WithAPIURL", "CLERK_API_URL", "cleartext"}, ""},
		{"cleartext to a look-alike host", ginclerk.WithAPIURL("http://127.0.0.1.example.com"), []string{"cleartext"}, ""},
		{"credentials in the API URL", ginclerk.WithAPIURL("https://admin:hunter2@api.clerk.com"), []string{"CLERK_API_URL", "credentials"}, "hunter2"},
		{"user name in the API URL", ginclerk.WithAPIURL("https://sk_live_c2VjcmV0@api.clerk.com"), []string{"credentials"}, "c2VjcmV0"},
		{"opaque API URL with credentials", ginclerk.WithAPIURL("https:admin:hunter2@api.clerk.com"), []string{"CLERK_API_URL", "absolute"}, "hunter2"},
		{"unparsable API URL with credentials", ginclerk.WithAPIURL("https://u:hunter2@[::1"), []string{"CLERK_API_URL"}, "hunter2"},
		{"secret key as machine secret key", ginclerk.WithMachineSecretKey("sk_live_c2VjcmV0"), []string{"WithMachineSecretKey", "CLERK_MACHINE_SECRET_KEY", "ak_"}, "c2VjcmV0"},
		{"machine secret key prefix only", ginclerk.WithMachineSecretKey("ak_"), []string{"CLERK_MACHINE_SECRET_KEY"}, ""},
		{"machine secret key with a newline", ginclerk.WithMachineSecretKey("ak_c2VjcmV0\n"), []string{"CLERK_MACHINE_SECRET_KEY", "whitespace"}, "c2VjcmV0"},
		{"machine secret key without prefix", ginclerk.WithMachineSecretKey("c2VjcmV0"), []string{"CLERK_MACHINE_SECRET_KEY"}, "c2VjcmV0"},
		{"empty audience", ginclerk.WithAudience("api://a", " "), []string{"WithAudience"}, ""},
		{"negative machine cache TTL", ginclerk.WithMachineTokenCacheTTL(-time.Second), []string{"WithMachineTokenCacheTTL"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []ginclerk.Option{ginclerk.WithSecretKey("sk_test_ok"), tt.opt}
			ck, err := ginclerk.New(opts...)
			assert.Nil(t, ck)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.ErrorContains(t, err, w)
			}
			if tt.secret != "" {
				assert.NotContains(t, err.Error(), tt.secret)
			}
		})
	}
}

// TestNewAcceptsPlausibleValues: the valid shapes, including http to the
// loopback hosts a local fake Backend API runs on.
func TestNewAcceptsPlausibleValues(t *testing.T) {
	clearEnv(t)
	for _, opt := range []ginclerk.Option{
		ginclerk.WithSecretKey("sk_live_c2VjcmV0"),
		ginclerk.WithAPIURL("https://api.clerk.com/"),
		ginclerk.WithAPIURL("http://localhost:8080"),
		ginclerk.WithAPIURL("http://LOCALHOST"),
		ginclerk.WithAPIURL("http://127.0.0.1:3000"),
		ginclerk.WithAPIURL("http://127.1.2.3"),
		ginclerk.WithAPIURL("http://[::1]:3000"),
		ginclerk.WithMachineSecretKey("ak_c2VjcmV0"),
		ginclerk.WithAudience("api://a", "https://b.example.com"),
		ginclerk.WithMachineTokenCacheTTL(0),
	} {
		ck, err := ginclerk.New(ginclerk.WithSecretKey("sk_test_ok"), opt)
		require.NoError(t, err)
		require.NoError(t, ck.Close())
	}
}

// TestNewRejectsImpossibleEnvironment: the same checks apply to the
// environment, and an option still overrides a bad variable.
func TestNewRejectsImpossibleEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv("CLERK_SECRET_KEY", "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k")
	t.Setenv("CLERK_API_URL", "http://api.clerk.com")
	_, err := ginclerk.New()
	require.Error(t, err)
	assert.ErrorContains(t, err, "CLERK_SECRET_KEY")
	assert.ErrorContains(t, err, "CLERK_API_URL")
	ck, err := ginclerk.New(ginclerk.WithSecretKey("sk_test_ok"), ginclerk.WithAPIURL("https://api.clerk.com"))
	require.NoError(t, err)
	require.NoError(t, ck.Close())
}

// TestMachineSecretKeyFromEnvironment: CLERK_MACHINE_SECRET_KEY is read,
// checked like the option, and used for M2M token verification.
func TestMachineSecretKeyFromEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv("CLERK_MACHINE_SECRET_KEY", "sk_test_c2VjcmV0")
	_, err := ginclerk.New(ginclerk.WithSecretKey("sk_test_ok"))
	require.ErrorContains(t, err, "CLERK_MACHINE_SECRET_KEY")
	assert.NotContains(t, err.Error(), "c2VjcmV0")

	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	t.Setenv("CLERK_MACHINE_SECRET_KEY", srv.MachineSecretKey)
	ck, err := ginclerk.New(ginclerk.WithJWTKey(key.PublicKeyPEM()), ginclerk.WithAPIURL(srv.URL),
		ginclerk.WithHTTPClient(srv.Client()), quiet())
	require.NoError(t, err)
	defer ck.Close()
	a, err := ck.VerifyToken(t.Context(), srv.AddM2MToken(ginclerktest.MachineCredential{}),
		ginclerk.WithAcceptsToken(ginclerk.M2MToken))
	require.NoError(t, err)
	assert.Equal(t, ginclerktest.DefaultMachineID, a.MachineID)
}
