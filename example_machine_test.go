package ginclerk_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// A route group for machines: M2M tokens only, and only those carrying the
// "jobs:write" scope. A browser's session token is refused before any key
// is fetched; an M2M token without the scope gets a 403. (M2M JWTs verify
// with the session keys, so this runs without Clerk's Backend API; opaque
// "mt_…" tokens and API keys are verified by it.)
func ExampleWithAcceptsToken() {
	ck := exampleClerk()
	defer ck.Close()

	r := gin.New()
	r.Use(ginclerk.ErrorHandler())
	jobs := r.Group("/jobs", ck.RequireAuth(ginclerk.WithAcceptsToken(ginclerk.M2MToken)),
		ginclerk.RequireScope("jobs:write"))
	jobs.POST("", func(c *gin.Context) {
		c.String(http.StatusCreated, "queued by %s\n", ginclerk.GetAuth(c).MachineID)
	})

	key := exampleKey()
	for _, token := range []string{
		key.Mint(nil, ginclerktest.M2M("mch_worker", "jobs:write")),
		key.Mint(nil, ginclerktest.M2M("mch_reader", "jobs:read")),
		key.Mint(nil, ginclerktest.Subject("user_123")), // a session token
	} {
		req := httptest.NewRequest(http.MethodPost, "/jobs", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Print(w.Code, " ", w.Body.String())
		if w.Code >= 400 {
			fmt.Println()
		}
	}
	// Output:
	// 201 queued by mch_worker
	// 403 {"error":"the request is not authorized for this resource","reason":"forbidden"}
	// 401 {"error":"credential of type session_token not accepted here","reason":"token-type-mismatch"}
}
