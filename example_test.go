package ginclerk_test

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// exampleKey stands in for a Clerk instance's key pair; in production the
// PEM comes from CLERK_JWT_KEY, or keys are fetched with CLERK_SECRET_KEY.
var exampleKey = sync.OnceValue(func() *ginclerktest.Key {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return &ginclerktest.Key{Private: priv, KID: "ins_example"}
})

// exampleClerk returns an instance verifying exampleKey's tokens, with logs
// discarded so the examples' output is just what they print.
func exampleClerk() *ginclerk.Clerk {
	ck, err := ginclerk.New(
		ginclerk.WithJWTKey(exampleKey().PublicKeyPEM()),
		ginclerk.WithLogger(slog.New(slog.DiscardHandler)),
	)
	if err != nil {
		panic(err)
	}
	return ck
}

// exampleRequest sends GET path with an optional bearer token to r and
// prints the status and body.
func exampleRequest(r http.Handler, path, token string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Body.String())
}

// A lax middleware on every route and a strict one on a group, with
// ErrorHandler rendering failures as JSON — the shape of most APIs.
func Example() {
	gin.SetMode(gin.ReleaseMode)
	ck := exampleClerk()
	defer ck.Close()

	r := gin.New()
	r.Use(ginclerk.ErrorHandler(), ck.WithAuth())
	r.GET("/", func(c *gin.Context) {
		auth := ginclerk.GetAuth(c)
		if !auth.IsSignedIn() {
			c.String(http.StatusOK, "hello, stranger ("+auth.Reason+")")
			return
		}
		c.String(http.StatusOK, "hello, "+auth.UserID)
	})
	api := r.Group("/api", ck.RequireAuth())
	api.GET("/me", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"user": ginclerk.GetAuth(c).UserID})
	})

	token := exampleKey().Mint(nil, ginclerktest.Subject("user_123"))
	exampleRequest(r, "/", "")
	exampleRequest(r, "/", token)
	exampleRequest(r, "/api/me", "")
	exampleRequest(r, "/api/me", token)
	// Output:
	// 200 hello, stranger (session-token-and-uat-missing)
	// 200 hello, user_123
	// 401 {"error":"request carries no session token (Authorization: Bearer or __session cookie)","reason":"session-token-and-uat-missing"}
	// 200 {"user":"user_123"}
}

func ExampleNew() {
	ck, err := ginclerk.New(
		ginclerk.WithJWTKey(exampleKey().PublicKeyPEM()),
		ginclerk.WithAuthorizedParties("https://app.example.com"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ck.Close()
	fmt.Println("ready")
	// Output: ready
}

func ExampleClerk_WithAuth() {
	gin.SetMode(gin.ReleaseMode)
	ck := exampleClerk()
	defer ck.Close()
	r := gin.New()
	r.GET("/", ck.WithAuth(), func(c *gin.Context) {
		auth := ginclerk.GetAuth(c)
		c.String(http.StatusOK, "signed in: %v, reason: %q", auth.IsSignedIn(), auth.Reason)
	})
	exampleRequest(r, "/", "not-a-token")
	// Output: 200 signed in: false, reason: "token-invalid"
}

func ExampleClerk_RequireAuth() {
	gin.SetMode(gin.ReleaseMode)
	ck := exampleClerk()
	defer ck.Close()
	r := gin.New()
	r.GET("/private", ck.RequireAuth(), func(c *gin.Context) { c.String(http.StatusOK, "secret") })
	exampleRequest(r, "/private", "")
	// Output: 401
}

// An onError hook decides per failure: here a strict middleware lets
// requests with no token through signed out, and refuses bad tokens.
func ExampleWithOnError() {
	gin.SetMode(gin.ReleaseMode)
	ck := exampleClerk()
	defer ck.Close()
	allowAnonymous := func(err error) error {
		if errors.Is(err, ginclerk.ErrTokenMissing) {
			return nil
		}
		return err
	}
	r := gin.New()
	r.Use(ginclerk.ErrorHandler())
	r.GET("/", ck.RequireAuth(ginclerk.WithOnError(allowAnonymous)), func(c *gin.Context) {
		c.String(http.StatusOK, "welcome")
	})
	exampleRequest(r, "/", "")
	exampleRequest(r, "/", "forged")
	// Output:
	// 200 welcome
	// 401 {"error":"session token is not a JWT: it must have exactly three segments","reason":"token-invalid"}
}

func ExampleErrorHandler() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(ginclerk.ErrorHandler())
	r.GET("/upgrade", func(c *gin.Context) {
		_ = c.Error(&ginclerk.Error{StatusCode: http.StatusPaymentRequired, Data: gin.H{"plan": "pro"}})
	})
	r.GET("/db", func(c *gin.Context) {
		_ = c.AbortWithError(http.StatusServiceUnavailable, errors.New("pq: connection refused"))
	})
	exampleRequest(r, "/upgrade", "")
	exampleRequest(r, "/db", "")
	// Output:
	// 402 {"plan":"pro"}
	// 503 {"error":"Service Unavailable"}
}

func ExampleGetAuth() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) {
		// No middleware ran: GetAuth still returns a signed-out Auth.
		auth := ginclerk.GetAuth(c)
		c.String(http.StatusOK, "%v %s", auth.IsSignedIn(), auth.Reason)
	})
	exampleRequest(r, "/", "")
	// Output: 200 false session-token-and-uat-missing
}
