package ginclerk_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// exampleMember is the Auth of an organization member who may read invoices, as
// ginclerk decodes it from a session token. The examples install it with
// ginclerktest.Authenticate in place of WithAuth, so they run without keys.
func exampleMember() *ginclerk.Auth {
	a := ginclerktest.SignedIn("user_42")
	a.OrgID, a.OrgRole, a.OrgSlug = "org_7", "org:member", "acme"
	a.OrgPermissions = []string{"org:invoices:read"}
	a.Features = []ginclerk.Entitlement{{Scope: ginclerk.EntitlementOrg, Name: "invoices"}}
	a.Plans = []ginclerk.Entitlement{{Scope: ginclerk.EntitlementOrg, Name: "team"}}
	a.FactorVerificationAge = &[2]int{90, -1} // signed in 90 minutes ago, no second factor
	return a
}

// exampleServe sends GET path through r and prints the status and body.
func exampleServe(r http.Handler, path string) {
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	fmt.Println(w.Code, w.Body.String())
}

func okHandler(c *gin.Context) { c.String(http.StatusOK, "ok") }

func ExampleRequire() {
	r := gin.New()
	// In an application: r.Use(ginclerk.ErrorHandler(), clerk.WithAuth()).
	r.Use(ginclerk.ErrorHandler(), ginclerktest.Authenticate(exampleMember()))

	// Every check must pass; AnyOf expresses alternatives.
	invoices := r.Group("/invoices", ginclerk.Require(
		ginclerk.Feature("org:invoices"),
		ginclerk.AnyOf(ginclerk.Role("org:admin"), ginclerk.Permission("org:invoices:read")),
	))
	invoices.GET("", okHandler)
	// Reverification refusals carry the hint Clerk's useReverification()
	// acts on: it prompts the user, then retries the request.
	r.GET("/payouts", ginclerk.Require(ginclerk.Reverification(ginclerk.ReverifyStrict)), okHandler)

	exampleServe(r, "/invoices")
	exampleServe(r, "/payouts")
	// Output:
	// 200 ok
	// 403 {"error":"the session must be reverified","reason":"forbidden","clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}
}

func ExampleRequireRole() {
	r := gin.New()
	r.Use(ginclerk.ErrorHandler(), ginclerktest.Authenticate(exampleMember()))
	r.GET("/settings", ginclerk.RequireRole("org:admin", "org:owner"), okHandler) // any of the roles
	r.GET("/dashboard", ginclerk.RequireRole("member"), okHandler)                // "org:" is optional

	exampleServe(r, "/settings")
	exampleServe(r, "/dashboard")
	// Output:
	// 403 {"error":"the request is not authorized for this resource","reason":"forbidden"}
	// 200 ok
}

func ExampleRequirePermission() {
	r := gin.New()
	r.Use(ginclerk.ErrorHandler(), ginclerktest.Authenticate(exampleMember()))
	r.GET("/invoices", ginclerk.RequirePermission("org:invoices:read"), okHandler)
	r.POST("/invoices", ginclerk.RequirePermission("org:invoices:read", "org:invoices:manage"), okHandler) // all of them

	exampleServe(r, "/invoices")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/invoices", nil))
	fmt.Println(w.Code)
	// Output:
	// 200 ok
	// 403
}

func ExampleRequireOrg() {
	personal := ginclerktest.SignedIn("user_42") // no active organization
	r := gin.New()
	r.Use(ginclerk.ErrorHandler(), ginclerktest.Authenticate(personal))
	r.GET("/team", ginclerk.RequireOrg(), okHandler)

	exampleServe(r, "/team")
	// Output:
	// 403 {"error":"the request is not authorized for this resource","reason":"forbidden"}
}

func ExampleAuth_Has() {
	auth := exampleMember() // in a handler: auth := ginclerk.GetAuth(c)

	fmt.Println(auth.Has(ginclerk.Role("org:member")))
	fmt.Println(auth.Has(ginclerk.Permission("invoices:read"), ginclerk.Plan("org:team")))
	fmt.Println(auth.Has(ginclerk.Feature("user:invoices"))) // an organization feature
	fmt.Println(auth.Has(ginclerk.ReverificationAfter(120, ginclerk.SecondFactor)))
	fmt.Println(auth.Has()) // nothing asked: fails closed
	// Output:
	// true
	// true
	// false
	// true
	// false
}

func ExampleClaims() {
	// The custom claims of your session-token customization.
	type appClaims struct {
		Tier string `json:"tier"`
	}
	auth := ginclerktest.SignedIn("user_42")
	auth.Claims = `{"sub":"user_42","sid":"sess_1","tier":"gold"}`

	r := gin.New()
	r.Use(ginclerktest.Authenticate(auth))
	r.GET("/tier", func(c *gin.Context) {
		claims, err := ginclerk.Claims[appClaims](c) // a fresh value on every call
		if err != nil {
			_ = c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
		c.String(http.StatusOK, claims.Tier)
	})

	exampleServe(r, "/tier")
	// Output:
	// 200 gold
}

func ExampleWithPendingSessions() {
	clerk, err := ginclerk.New() // keys and instance from CLERK_* variables
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer clerk.Close()
	r := gin.New()
	// Only the routes that let the user finish their pending tasks (choose
	// an organization, reset a password) accept pending sessions.
	tasks := r.Group("/tasks", clerk.RequireAuth(ginclerk.WithPendingSessions()))
	tasks.POST("/choose-organization", okHandler)
	api := r.Group("/api", clerk.RequireAuth())
	api.GET("/me", okHandler)
}

func ExampleWithPublishableKey() {
	// Tokens must come from the instance this publishable key names:
	// iss == "https://clerk.example.com" (the host it encodes).
	clerk, err := ginclerk.New(
		ginclerk.WithSecretKey(os.Getenv("CLERK_SECRET_KEY")),
		ginclerk.WithPublishableKey("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer clerk.Close()
}
