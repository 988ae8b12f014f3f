package bench

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/clerk/clerk-sdk-go/v2"
	clerkhttp "github.com/clerk/clerk-sdk-go/v2/http"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	clerkjwt "github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/benchkit"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jwt"
)

// Targets are the middlewares under comparison, by name, in table order.
var Targets = []string{"bare", "floor", "ginclerk-cold", "ginclerk-warm", "clerk-sdk-go", "clerk-sdk-go-verify", "jwx"}

// Middleware builds the named target's middleware for f; "bare" is nil.
// close releases what it holds.
func Middleware(name string, f *Fixture) (mw gin.HandlerFunc, close func(), err error) {
	close = func() {}
	switch name {
	case "bare":
		return nil, close, nil
	case "floor":
		return benchkit.Floor(&f.Key.Private.PublicKey), close, nil
	case "ginclerk-cold", "ginclerk-warm":
		opts := []ginclerk.Option{ginclerk.WithJWTKey(f.PEM), ginclerk.WithLogger(slog.New(slog.DiscardHandler))}
		if name == "ginclerk-cold" {
			opts = append(opts, ginclerk.WithTokenCacheBytes(0))
		}
		ck, err := ginclerk.New(opts...)
		if err != nil {
			return nil, close, err
		}
		return ck.RequireAuth(), func() { _ = ck.Close() }, nil
	case "clerk-sdk-go":
		return ClerkSDKMiddleware(f), close, nil
	case "clerk-sdk-go-verify":
		mw, err := ClerkSDKVerify(f)
		return mw, close, err
	case "jwx":
		mw, err := JWX(f)
		return mw, close, err
	}
	return nil, close, fmt.Errorf("bench: unknown target %q (want one of %s)", name, strings.Join(Targets, ", "))
}

// ClerkSDKMiddleware is clerk-sdk-go v2's own RequireHeaderAuthorization,
// adapted to Gin the way its users do (keeping the request it hands on, so
// the claims survive), with keys cached: the SDK fetches the JWKS once
// through an in-memory transport — no network — and keeps the key for an
// hour in its process-wide cache.
func ClerkSDKMiddleware(f *Fixture) gin.HandlerFunc {
	body := ginclerktest.JWKS(f.Key)
	client := jwks.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		HTTPClient: &http.Client{Transport: staticResponse(body)},
		URL:        clerk.String("https://api.clerk.test/v1"),
		Key:        clerk.String("sk_test_bench"),
	}})
	require := clerkhttp.RequireHeaderAuthorization(clerkhttp.JWKSClient(client))
	return func(c *gin.Context) {
		passed := false
		require(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			passed = true
			c.Request = r
		})).ServeHTTP(c.Writer, c.Request)
		if !passed {
			c.Abort()
			return
		}
		c.Next()
	}
}

// staticResponse answers every request with a 200 JSON body.
type staticResponse []byte

func (s staticResponse) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(s)),
		Request:    r,
	}, nil
}

// ClerkSDKVerify is the fastest use of clerk-sdk-go v2: its jwt.Verify
// with the JWK parsed once, in a hand-written Gin middleware.
func ClerkSDKVerify(f *Fixture) (gin.HandlerFunc, error) {
	key, err := clerk.JSONWebKeyFromPEM(f.PEM)
	if err != nil {
		return nil, err
	}
	return func(c *gin.Context) {
		token := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
		claims, err := clerkjwt.Verify(c.Request.Context(), &clerkjwt.VerifyParams{Token: token, JWK: key})
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Request = c.Request.WithContext(clerk.ContextWithSessionClaims(c.Request.Context(), claims))
		c.Next()
	}, nil
}

// JWX is a minimal jwx v2 middleware: jwt.Parse with a key set.
func JWX(f *Fixture) (gin.HandlerFunc, error) {
	key, err := jwk.FromRaw(&f.Key.Private.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := key.Set(jwk.KeyIDKey, f.Key.KID); err != nil {
		return nil, err
	}
	if err := key.Set(jwk.AlgorithmKey, jwa.RS256); err != nil {
		return nil, err
	}
	set := jwk.NewSet()
	if err := set.AddKey(key); err != nil {
		return nil, err
	}
	return func(c *gin.Context) {
		token := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
		tok, err := jwt.ParseString(token, jwt.WithKeySet(set), jwt.WithValidate(true))
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Set("token", tok)
		c.Next()
	}, nil
}
