package ginclerk_test

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const proxyURL = "https://app.example.com/__clerk"

// TestIssuerPinning: with a publishable key, proxy URL or explicit issuer,
// iss must match exactly; without any, iss is not checked (as
// @clerk/backend).
func TestIssuerPinning(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	liveKey := "pk_live_" + base64.StdEncoding.EncodeToString([]byte("clerk.example.test$"))
	unpadded := "pk_test_" + base64.RawStdEncoding.EncodeToString([]byte("clerk.example.test$"))
	pk := ginclerk.WithPublishableKey(ginclerktest.DefaultPublishableKey)
	iss := ginclerktest.Issuer
	tests := []struct {
		name   string
		opts   []ginclerk.Option
		claims []ginclerktest.Claim
		ok     bool
	}{
		{"no pinning, any iss", nil, []ginclerktest.Claim{iss("https://evil.example")}, true},
		{"no pinning, no iss", nil, []ginclerktest.Claim{ginclerktest.Without("iss")}, true},
		{"publishable key, matching iss", []ginclerk.Option{pk}, nil, true},
		{"publishable key, other instance", []ginclerk.Option{pk}, []ginclerktest.Claim{iss("https://clerk.other.test")}, false},
		{"publishable key, no iss", []ginclerk.Option{pk}, []ginclerktest.Claim{ginclerktest.Without("iss")}, false},
		{"publishable key, trailing slash", []ginclerk.Option{pk}, []ginclerktest.Claim{iss(ginclerktest.DefaultIssuer + "/")}, false},
		{"publishable key, http", []ginclerk.Option{pk}, []ginclerktest.Claim{iss("http://clerk.example.test")}, false},
		{"publishable key, other case", []ginclerk.Option{pk}, []ginclerktest.Claim{iss("https://CLERK.example.test")}, false},
		{"publishable key, suffix attack", []ginclerk.Option{pk}, []ginclerktest.Claim{iss("https://clerk.example.test.evil.example")}, false},
		{"live key", []ginclerk.Option{ginclerk.WithPublishableKey(liveKey)}, nil, true},
		{"unpadded key", []ginclerk.Option{ginclerk.WithPublishableKey(unpadded)}, nil, true},
		{"proxy URL, matching iss", []ginclerk.Option{ginclerk.WithProxyURL(proxyURL)}, []ginclerktest.Claim{iss(proxyURL)}, true},
		{"proxy URL with trailing slash", []ginclerk.Option{ginclerk.WithProxyURL(proxyURL + "/")}, []ginclerktest.Claim{iss(proxyURL)}, true},
		{"proxy URL, Frontend API iss", []ginclerk.Option{ginclerk.WithProxyURL(proxyURL)}, nil, false},
		{"proxy URL wins over the key", []ginclerk.Option{pk, ginclerk.WithProxyURL(proxyURL)}, nil, false},
		{"proxy URL with the key, proxy iss", []ginclerk.Option{ginclerk.WithProxyURL(proxyURL), pk}, []ginclerktest.Claim{iss(proxyURL)}, true},
		{"explicit issuer", []ginclerk.Option{ginclerk.WithIssuer("https://auth.example.com")},
			[]ginclerktest.Claim{iss("https://auth.example.com")}, true},
		{"explicit issuer, mismatch", []ginclerk.Option{ginclerk.WithIssuer("https://auth.example.com")}, nil, false},
		{"explicit issuer wins over both", []ginclerk.Option{pk, ginclerk.WithProxyURL(proxyURL), ginclerk.WithIssuer("https://auth.example.com")},
			[]ginclerktest.Claim{iss("https://auth.example.com")}, true},
		{"explicit issuer is exact", []ginclerk.Option{ginclerk.WithIssuer("https://auth.example.com/")},
			[]ginclerktest.Claim{iss("https://auth.example.com")}, false},
		{"empty key turns pinning off", []ginclerk.Option{pk, ginclerk.WithPublishableKey("")},
			[]ginclerktest.Claim{iss("https://evil.example")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ck := pemClerk(t, key, tt.opts...)
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), ck.RequireAuth()), get(mint(t, key, tt.claims...)))
			if tt.ok {
				assert.Equal(t, http.StatusOK, w.Code, "body %s", w.Body)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, w.Code)
			assert.Equal(t, ginclerk.ReasonTokenInvalidIssuer, jsonBody(t, w)["reason"])
		})
	}
}

func TestIssuerOptionsRejected(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name string
		opt  ginclerk.Option
		want string
	}{
		{"secret key as publishable key", ginclerk.WithPublishableKey("sk_test_" + b64("clerk.example.test$")), "WithPublishableKey"},
		{"unknown prefix", ginclerk.WithPublishableKey("pk_prod_" + b64("clerk.example.test$")), "pk_test_"},
		{"prefix only", ginclerk.WithPublishableKey("pk_test_"), "base64"},
		{"not base64", ginclerk.WithPublishableKey("pk_test_!!!!"), "base64"},
		{"base64url alphabet", ginclerk.WithPublishableKey("pk_test_" + base64.URLEncoding.EncodeToString([]byte("a.b~~~>$"))), "base64"},
		{"no dollar", ginclerk.WithPublishableKey("pk_test_" + b64("clerk.example.test")), "Frontend API host"},
		{"two dollars", ginclerk.WithPublishableKey("pk_test_" + b64("clerk$example.test$")), "Frontend API host"},
		{"no dot", ginclerk.WithPublishableKey("pk_test_" + b64("localhost$")), "Frontend API host"},
		{"a URL, not a host", ginclerk.WithPublishableKey("pk_test_" + b64("https://clerk.example.test$")), "Frontend API host"},
		{"not UTF-8", ginclerk.WithPublishableKey("pk_test_0000Ln0k"), "Frontend API host"},
		{"empty label", ginclerk.WithPublishableKey("pk_test_" + b64("clerk..example.test$")), "Frontend API host"},
		{"underscore", ginclerk.WithPublishableKey("pk_test_" + b64("clerk_1.example.test$")), "Frontend API host"},
		{"relative proxy URL", ginclerk.WithProxyURL("/__clerk"), "WithProxyURL"},
		{"proxy URL with another scheme", ginclerk.WithProxyURL("ftp://example.com/__clerk"), "WithProxyURL"},
		{"proxy URL with a query", ginclerk.WithProxyURL("https://example.com/__clerk?x=1"), "WithProxyURL"},
		{"empty issuer", ginclerk.WithIssuer(" "), "WithIssuer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ck, err := ginclerk.New(append(key.Options(), tt.opt)...)
			require.Error(t, err)
			assert.Nil(t, ck)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "ZXhhbXBsZ", "the message does not repeat the key")
		})
	}
}

// TestIssuerFromEnvironment: CLERK_PUBLISHABLE_KEY and CLERK_PROXY_URL pin
// the issuer of New and of the package-level middlewares; options override
// them, even a bad environment value.
func TestIssuerFromEnvironment(t *testing.T) {
	key := ginclerktest.DefaultKey(t)
	clearClerkEnv(t)
	t.Setenv("CLERK_JWT_KEY", key.PublicKeyPEM())
	t.Setenv("CLERK_PUBLISHABLE_KEY", ginclerktest.PublishableKey("https://clerk.env.test"))

	ck, err := ginclerk.New(ginclerk.WithJWTKey(key.PublicKeyPEM()), ginclerk.WithClock(fixedClock), quiet())
	require.NoError(t, err)
	defer ck.Close()
	var s seen
	do(router(&s, ck.WithAuth()), get(mint(t, key)))
	assert.Equal(t, ginclerk.ReasonTokenInvalidIssuer, s.auth.Reason)
	do(router(&s, ck.WithAuth()), get(mint(t, key, ginclerktest.Issuer("https://clerk.env.test"))))
	assert.True(t, s.auth.IsSignedIn(), s.auth.Message)

	// The package-level middleware reads the same variables (and the
	// real clock: these tokens are minted now).
	do(router(&s, ginclerk.WithAuth()), get(key.Mint(t)))
	assert.Equal(t, ginclerk.ReasonTokenInvalidIssuer, s.auth.Reason)
	do(router(&s, ginclerk.WithAuth()), get(key.Mint(t, ginclerktest.Issuer("https://clerk.env.test"))))
	assert.True(t, s.auth.IsSignedIn(), s.auth.Message)

	t.Setenv("CLERK_PROXY_URL", proxyURL)
	do(router(&s, ginclerk.WithAuth()), get(key.Mint(t, ginclerktest.Issuer("https://clerk.env.test"))))
	assert.Equal(t, ginclerk.ReasonTokenInvalidIssuer, s.auth.Reason, "a new environment, a new default instance")
	do(router(&s, ginclerk.WithAuth()), get(key.Mint(t, ginclerktest.Issuer(proxyURL))))
	assert.True(t, s.auth.IsSignedIn(), s.auth.Message)

	t.Setenv("CLERK_PROXY_URL", "")
	t.Setenv("CLERK_PUBLISHABLE_KEY", "pk_test_garbage")
	_, err = ginclerk.New()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CLERK_PUBLISHABLE_KEY")
	do(router(&s, ginclerk.WithAuth()), get(key.Mint(t)))
	assert.Equal(t, ginclerk.ReasonJWKFailedToResolve, s.auth.Reason, "a bad environment fails closed")

	_, err = ginclerk.New(ginclerk.WithPublishableKey(ginclerktest.DefaultPublishableKey))
	assert.NoError(t, err, "an option overrides a bad environment value")
	_, err = ginclerk.New(ginclerk.WithPublishableKey(""))
	assert.NoError(t, err, "an empty option turns the environment's pinning off")
}

// clearClerkEnv empties every variable ginclerk reads, so that the
// developer's own environment cannot leak into a test.
func clearClerkEnv(t *testing.T) {
	for _, name := range []string{"CLERK_SECRET_KEY", "CLERK_JWT_KEY", "CLERK_API_URL", "CLERK_API_VERSION",
		"CLERK_PUBLISHABLE_KEY", "CLERK_PROXY_URL"} {
		t.Setenv(name, "")
	}
}
