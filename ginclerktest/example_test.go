package ginclerktest_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// t stands in, in these examples, for the *testing.T of your test function.
var t testing.TB = exampleT{}

// exampleT is the minimal testing.TB the examples need: Fatal panics, and
// Cleanup functions are dropped (the examples' servers live until exit).
type exampleT struct{ testing.TB }

func (exampleT) Helper()                           {}
func (exampleT) Cleanup(func())                    {}
func (exampleT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// Minted tokens are shaped exactly like Clerk's session tokens; fix the time
// base with At for byte-identical tokens.
func ExampleKey_Mint() {
	key := ginclerktest.DefaultKey(t)
	token := key.Mint(t,
		ginclerktest.At(time.Unix(1700000000, 0)),
		ginclerktest.Subject("user_42"),
		ginclerktest.Org("org_1", "acme", "admin"),
	)
	parts := strings.Split(token, ".")
	for _, part := range parts[:2] {
		raw, _ := base64.RawURLEncoding.DecodeString(part)
		fmt.Println(string(raw))
	}
	// Output:
	// {"alg":"RS256","cat":"cl_B7d4PD111AAA","kid":"ins_test_1","typ":"JWT"}
	// {"azp":"http://localhost:3000","exp":1700000060,"fva":[0,-1],"iat":1700000000,"iss":"https://clerk.example.test","nbf":1699999990,"o":{"id":"org_1","rol":"admin","slg":"acme"},"sid":"sess_test_1","sts":"active","sub":"user_42","v":2}
}

// Networkless verification: the key's Options configure ginclerk with its
// public key, as CLERK_JWT_KEY would.
func ExampleKey_Options() {
	key := ginclerktest.DefaultKey(t)
	clerk, err := ginclerk.New(append(key.Options(), ginclerk.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	defer clerk.Close()

	r := gin.New()
	r.GET("/me", clerk.RequireAuth(), func(c *gin.Context) {
		auth := ginclerk.GetAuth(c)
		c.String(http.StatusOK, "%s in %s as %s", auth.UserID, auth.OrgID, auth.OrgRole)
	})

	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	req.Header.Set("Authorization", "Bearer "+key.Mint(t, ginclerktest.Org("org_1", "acme", "admin")))
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Body.String())
	// Output: 200 user_test_1 in org_1 as org:admin
}

// The fake Backend API serves the JWKS only to its own secret key, counts
// fetches, and fails on demand.
func ExampleNewServer() {
	s := ginclerktest.NewServer(t, ginclerktest.DefaultKey(t))
	fetch := func() {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1/jwks", nil)
		req.Header.Set("Authorization", "Bearer "+s.SecretKey)
		res, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		fmt.Println(res.StatusCode, strings.Contains(string(body), `"kid":"ins_test_1"`))
	}
	fetch()
	s.Fail(ginclerktest.Fault500)
	fetch()
	fmt.Println("fetches:", s.Fetches())
	// Output:
	// 200 true
	// 500 false
	// fetches: 2
}

// Wire ginclerk to the fake Backend API, as it is wired to Clerk's with
// CLERK_SECRET_KEY, to test the JWKS path end to end.
func ExampleServer_Options() {
	key := ginclerktest.DefaultKey(t)
	s := ginclerktest.NewServer(t, key)
	clerk, err := ginclerk.New(append(s.Options(), ginclerk.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	defer clerk.Close()

	r := gin.New()
	r.GET("/", clerk.WithAuth(), func(c *gin.Context) { c.String(http.StatusOK, ginclerk.GetAuth(c).UserID) })
	for range 3 {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Authorization", "Bearer "+key.Mint(t))
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Println(w.Body.String())
	}
	fmt.Println("fetches:", s.Fetches())
	// Output:
	// user_test_1
	// user_test_1
	// user_test_1
	// fetches: 1
}

// Unit-test a handler without tokens or keys: call it on a context that
// already carries an Auth.
func ExampleNewContext() {
	handler := func(c *gin.Context) {
		if !ginclerk.GetAuth(c).Has(ginclerk.Role("org:admin")) {
			c.String(http.StatusForbidden, "admins only")
			return
		}
		c.String(http.StatusOK, "welcome")
	}

	admin := ginclerktest.SignedIn("user_1")
	admin.OrgID, admin.OrgRole = "org_1", "org:admin"
	for _, a := range []*ginclerk.Auth{admin, ginclerktest.SignedIn("user_2")} {
		c, w := ginclerktest.NewContext(a)
		handler(c)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 welcome
	// 403 admins only
}

// Test a whole router as a given user: Authenticate stands in for
// ginclerk's middleware.
func ExampleAuthenticate() {
	r := gin.New()
	r.Use(ginclerktest.Authenticate(ginclerktest.SignedIn("user_1")))
	r.GET("/me", func(c *gin.Context) { c.String(http.StatusOK, ginclerk.GetAuth(c).UserID) })

	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/me", nil))
	fmt.Println(w.Code, w.Body.String())
	// Output: 200 user_1
}

func ExamplePublishableKey() {
	fmt.Println(ginclerktest.PublishableKey(ginclerktest.DefaultIssuer))
	fmt.Println(ginclerktest.DefaultPublishableKey == ginclerktest.PublishableKey(ginclerktest.DefaultIssuer))
	fmt.Println(ginclerktest.PublishableKey("clerk.example.test") == ginclerktest.DefaultPublishableKey)
	// Output:
	// pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA==
	// true
	// true
}
