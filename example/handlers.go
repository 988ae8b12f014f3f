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

	// Lax everywhere: every handler can ask who is calling. The strict
	// group below reuses this verdict rather than verifying again.
	r.Use(clerk.WithAuth())
	r.GET("/", whoami)

	api := r.Group("/api", clerk.RequireAuth())
	api.GET("/me", me)

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
