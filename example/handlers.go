package main

import (
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
)

// newRouter builds the API. It takes its dependencies instead of reading the
// environment so that tests can drive it with httptest:
//
//   - GET /        lax (WithAuth, global): who you are, or why you are signed out;
//   - GET /api/me  strict (RequireAuth): your user, session and organization;
//   - GET /v1/caller strict, for sessions, API keys and M2M tokens alike:
//     what kind of caller you are and whom you act for;
//   - GET /dev/token only when dev is non-nil (the development issuer).
//
// ErrorHandler is installed first, globally, so every failure — a strict
// 401, a 503 when Clerk's keys cannot be fetched, a panic recovered by
// gin.Recovery — reaches the client as JSON. accessLog, when non-nil,
// receives one line per request (paths only: tokens travel in headers and
// never reach it).
func newRouter(clerk *ginclerk.Clerk, dev *devIssuer, accessLog io.Writer) *gin.Engine {
	r := gin.New()
	if accessLog != nil {
		r.Use(gin.LoggerWithWriter(accessLog))
	}
	// ErrorHandler sits outside the recovery, which records the panic as an
	// error (gin.Recovery only sets the status), so a crash is answered
	// {"error":"Internal Server Error"} as JSON without the panic's text.
	r.Use(ginclerk.ErrorHandler(), gin.CustomRecovery(func(c *gin.Context, p any) {
		_ = c.AbortWithError(http.StatusInternalServerError, fmt.Errorf("panic: %v", p))
	}))

	// Lax everywhere: every handler can ask who is calling, a browser
	// session or a machine. The /v1 group reuses this verdict rather than
	// verifying again; /api, for sessions only, re-checks the (cached)
	// session under its own rule.
	accepted := ginclerk.WithAcceptsToken(ginclerk.SessionToken, ginclerk.APIKey, ginclerk.M2MToken)
	r.Use(clerk.WithAuth(accepted))
	r.GET("/", whoami)

	api := r.Group("/api", clerk.RequireAuth())
	api.GET("/me", me)

	v1 := r.Group("/v1", clerk.RequireAuth(accepted))
	v1.GET("/caller", caller)

	if dev != nil {
		r.GET("/dev/token", dev.tokenHandler)
	}
	r.NoRoute(func(c *gin.Context) {
		c.JSON(http.StatusNotFound, gin.H{"error": http.StatusText(http.StatusNotFound)})
	})
	return r
}

// organization is the active organization as /api/me and / report it; nil
// (JSON null) when the session has none.
type organization struct {
	ID          string   `json:"id"`
	Role        string   `json:"role"`
	Slug        string   `json:"slug"`
	Permissions []string `json:"permissions"`
}

func orgOf(a *ginclerk.Auth) *organization {
	if a.OrgID == "" {
		return nil
	}
	perms := a.OrgPermissions
	if perms == nil {
		perms = []string{} // "no permissions" reads better than null
	}
	return &organization{ID: a.OrgID, Role: a.OrgRole, Slug: a.OrgSlug, Permissions: perms}
}

// whoamiResponse is GET /'s body. Reason and Message are Clerk's explanation
// of a signed-out request, e.g. "session-token-and-uat-missing" or "session-token-nbf".
type whoamiResponse struct {
	SignedIn     bool          `json:"signed_in"`
	UserID       string        `json:"user_id,omitempty"`
	SessionID    string        `json:"session_id,omitempty"`
	Organization *organization `json:"organization,omitempty"`
	Reason       string        `json:"reason,omitempty"`
	Message      string        `json:"message,omitempty"`
}

// whoami runs under the lax middleware, so it always runs: anonymous
// visitors get a 200 that says why they are signed out instead of a 401.
func whoami(c *gin.Context) {
	a := ginclerk.GetAuth(c)
	if !a.IsSignedIn() {
		c.JSON(http.StatusOK, whoamiResponse{Reason: a.Reason, Message: a.Message})
		return
	}
	c.JSON(http.StatusOK, whoamiResponse{
		SignedIn:     true,
		UserID:       a.UserID,
		SessionID:    a.SessionID,
		Organization: orgOf(a),
	})
}

// meResponse is GET /api/me's body.
type meResponse struct {
	UserID       string        `json:"user_id"`
	SessionID    string        `json:"session_id"`
	Organization *organization `json:"organization"`
}

// me runs under the strict middleware, so the request is signed in: a
// request without a valid session never gets here.
func me(c *gin.Context) {
	a := ginclerk.GetAuth(c)
	c.JSON(http.StatusOK, meResponse{UserID: a.UserID, SessionID: a.SessionID, Organization: orgOf(a)})
}

// callerPath is the route every kind of caller may use.
const callerPath = "/v1/caller"

// callerResponse is GET /v1/caller's body: who is calling, whatever the
// credential. Fields that the credential's kind does not have are omitted.
type callerResponse struct {
	TokenType ginclerk.TokenType `json:"token_type"`
	UserID    string             `json:"user_id,omitempty"`
	OrgID     string             `json:"org_id,omitempty"`
	MachineID string             `json:"machine_id,omitempty"`
	KeyName   string             `json:"key_name,omitempty"`
	Scopes    []string           `json:"scopes,omitempty"`
}

// caller runs under a strict middleware accepting sessions, API keys and
// M2M tokens, so the request is authenticated by one of them.
func caller(c *gin.Context) {
	a := ginclerk.GetAuth(c)
	c.JSON(http.StatusOK, callerResponse{TokenType: a.TokenType, UserID: a.UserID, OrgID: a.OrgID,
		MachineID: a.MachineID, KeyName: a.Name, Scopes: a.Scopes})
}
