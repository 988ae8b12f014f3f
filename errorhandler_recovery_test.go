package ginclerk_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/assert"
)

// logLine is what gin.Logger records of a request.
type logLine struct{ status, size int }

// TestErrorHandlerWithRecoveryAndLogger pins what the client receives and
// what gin.Logger records when ErrorHandler meets a panic, for each order
// of gin.Logger, ErrorHandler and gin.Recovery / gin.CustomRecovery.
func TestErrorHandlerWithRecoveryAndLogger(t *testing.T) {
	t.Parallel()
	const rejected = `{"error":"bad","reason":"token-invalid"}`
	recovery := gin.RecoveryWithWriter(io.Discard)
	customRecovery := gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, p any) {
		_ = c.AbortWithError(http.StatusInternalServerError, fmt.Errorf("panic: %v", p))
	})
	rejectThenPanic := func(c *gin.Context) {
		_ = c.AbortWithError(http.StatusUnauthorized, &ginclerk.Error{StatusCode: 401, Reason: "token-invalid", Message: "bad"})
		panic("after the 401")
	}
	justPanic := func(*gin.Context) { panic("boom") }

	tests := []struct {
		name    string
		chain   []string
		handler gin.HandlerFunc
		status  int
		body    string
		logged  logLine
	}{
		{
			name:    "the held-back 401 stands, as JSON",
			chain:   []string{"Logger", "ErrorHandler", "Recovery"},
			handler: rejectThenPanic, status: http.StatusUnauthorized, body: rejected,
			logged: logLine{http.StatusUnauthorized, len(rejected)},
		},
		{
			name:    "the held-back 401 stands, with the panic's error",
			chain:   []string{"Logger", "ErrorHandler", "CustomRecovery"},
			handler: rejectThenPanic, status: http.StatusUnauthorized, body: `{"error":"Unauthorized"}`,
			logged: logLine{http.StatusUnauthorized, len(`{"error":"Unauthorized"}`)},
		},
		{
			name:    "a panic is a JSON 500",
			chain:   []string{"Logger", "ErrorHandler", "CustomRecovery"},
			handler: justPanic, status: http.StatusInternalServerError, body: `{"error":"Internal Server Error"}`,
			logged: logLine{http.StatusInternalServerError, len(`{"error":"Internal Server Error"}`)},
		},
		{
			name:    "a panic is a bare 500 (Recovery records no error)",
			chain:   []string{"Logger", "ErrorHandler", "Recovery"},
			handler: justPanic, status: http.StatusInternalServerError,
			logged: logLine{http.StatusInternalServerError, 0},
		},
		{
			name:    "the panic passes ErrorHandler, the held-back 401 is dropped",
			chain:   []string{"Logger", "Recovery", "ErrorHandler"},
			handler: rejectThenPanic, status: http.StatusInternalServerError,
			logged: logLine{http.StatusInternalServerError, 0},
		},
		{
			name:    "the logger runs before the body is rendered",
			chain:   []string{"ErrorHandler", "Logger", "Recovery"},
			handler: rejectThenPanic, status: http.StatusUnauthorized, body: rejected,
			logged: logLine{http.StatusUnauthorized, 0},
		},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.chain, ", ")+": "+tt.name, func(t *testing.T) {
			t.Parallel()
			logged := make(chan logLine, 1)
			logger := gin.LoggerWithConfig(gin.LoggerConfig{Output: io.Discard, Formatter: func(p gin.LogFormatterParams) string {
				logged <- logLine{p.StatusCode, p.BodySize}
				return ""
			}})
			byName := map[string]gin.HandlerFunc{
				"Logger": logger, "ErrorHandler": ginclerk.ErrorHandler(),
				"Recovery": recovery, "CustomRecovery": customRecovery,
			}
			r := gin.New()
			for _, name := range tt.chain {
				r.Use(byName[name])
			}
			r.GET("/", tt.handler)
			srv := serveGin(t, r)

			resp, body := fetch(t, srv, http.MethodGet, "/", nil, nil)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.body, body)
			assert.Equal(t, tt.logged, <-logged)
		})
	}
}
