package ginclerk_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/assert"
)

// TestErrorHandler pins the JSON responder: what each kind of recorded error
// renders, that the client receives Content-Type: application/json even after
// gin's AbortWithError committed the status, and that responses without
// errors are untouched.
func TestErrorHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		handler     gin.HandlerFunc
		status      int
		contentType string
		body        string
	}{
		{
			name: "*Error with message and reason",
			handler: func(c *gin.Context) {
				_ = c.AbortWithError(http.StatusUnauthorized, &ginclerk.Error{StatusCode: 401, Reason: "token-expired", Message: "expired"})
			},
			status: http.StatusUnauthorized, contentType: "application/json; charset=utf-8",
			body: `{"error":"expired","reason":"token-expired"}`,
		},
		{
			name: "*Error with Data",
			handler: func(c *gin.Context) {
				_ = c.Error(&ginclerk.Error{StatusCode: 402, Data: gin.H{"plan": "pro"}})
				c.Abort()
			},
			status: http.StatusPaymentRequired, contentType: "application/json; charset=utf-8",
			body: `{"plan":"pro"}`,
		},
		{
			name:    "*Error without status is 500",
			handler: func(c *gin.Context) { _ = c.Error(&ginclerk.Error{Reason: "x", Message: "m"}) },
			status:  http.StatusInternalServerError, contentType: "application/json; charset=utf-8",
			body: `{"error":"m","reason":"x"}`,
		},
		{
			name: "wrapped *Error is found",
			handler: func(c *gin.Context) {
				_ = c.Error(errors.Join(errors.New("ctx"), &ginclerk.Error{StatusCode: 403, Reason: "forbidden", Message: "no"}))
			},
			status: http.StatusForbidden, contentType: "application/json; charset=utf-8",
			body: `{"error":"no","reason":"forbidden"}`,
		},
		{
			name: "foreign error never leaks its message",
			handler: func(c *gin.Context) {
				_ = c.AbortWithError(http.StatusBadGateway, errors.New("dial 10.0.0.7:5432: secret internals"))
			},
			status: http.StatusBadGateway, contentType: "application/json; charset=utf-8",
			body: `{"error":"Bad Gateway"}`,
		},
		{
			name:    "foreign error with no error status is 500",
			handler: func(c *gin.Context) { _ = c.Error(errors.New("boom")) },
			status:  http.StatusInternalServerError, contentType: "application/json; charset=utf-8",
			body: `{"error":"Internal Server Error"}`,
		},
		{
			name:    "a body already written is left alone",
			handler: func(c *gin.Context) { c.String(http.StatusConflict, "mine"); _ = c.Error(errors.New("late")) },
			status:  http.StatusConflict, contentType: "text/plain; charset=utf-8",
			body: "mine",
		},
		{
			name:    "no error: untouched",
			handler: func(c *gin.Context) { c.Data(http.StatusCreated, "text/csv", []byte("a,b")) },
			status:  http.StatusCreated, contentType: "text/csv",
			body: "a,b",
		},
		{
			name:    "no error, status only: committed as is",
			handler: func(c *gin.Context) { c.AbortWithStatus(http.StatusNoContent) },
			status:  http.StatusNoContent,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := do(behindErrorHandler(http.MethodGet, "/", tt.handler), httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.contentType, w.Header().Get("Content-Type"))
			assert.Equal(t, tt.body, w.Body.String())
		})
	}
}
