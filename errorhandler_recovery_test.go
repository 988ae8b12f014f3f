package ginclerk_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		chain   func(logger gin.HandlerFunc) []gin.HandlerFunc
		handler gin.HandlerFunc
		status  int
		body    string
		logged  logLine
	}{
		{
			name:  "Logger, ErrorHandler, Recovery: the held-back 401 stands, as JSON",
			chain: func(l gin.HandlerFunc) []gin.HandlerFunc { return []gin.HandlerFunc{l, ginclerk.ErrorHandler(), recovery} },
			handler: rejectThenPanic, status: http.StatusUnauthorized, body: rejected,
			logged: logLine{http.StatusUnauthorized, len(rejected)},
		},
		{
			name:  "Logger, ErrorHandler, CustomRecovery: the held-back 401 stands, with the panic's error",
			chain: func(l gin.HandlerFunc) []gin.HandlerFunc { return []gin.HandlerFunc{l, ginclerk.ErrorHandler(), customRecovery} },
			handler: rejectThenPanic, status: http.StatusUnauthorized, body: `{"error":"Unauthorized"}`,
			logged: logLine{http.StatusUnauthorized, len(`{"error":"Unauthorized"}`)},
		},
		{
			name:  "Logger, ErrorHandler, CustomRecovery: a panic is a JSON 500",
			chain: func(l gin.HandlerFunc) []gin.HandlerFunc { return []gin.HandlerFunc{l, ginclerk.ErrorHandler(), customRecovery} },
			handler: justPanic, status: http.StatusInternalServerError, body: `{"error":"Internal Server Error"}`,
			logged: logLine{http.StatusInternalServerError, len(`{"error":"Internal Server Error"}`)},
		},
		{
			name:  "Logger, ErrorHandler, Recovery: a panic is a bare 500 (Recovery records no error)",
			chain: func(l gin.HandlerFunc) []gin.HandlerFunc { return []gin.HandlerFunc{l, ginclerk.ErrorHandler(), recovery} },
			handler: justPanic, status: http.StatusInternalServerError,
			logged: logLine{http.StatusInternalServerError, 0},
		},
		{
			name:  "Logger, Recovery, ErrorHandler: the panic passes ErrorHandler, the held-back 401 is dropped",
			chain: func(l gin.HandlerFunc) []gin.HandlerFunc { return []gin.HandlerFunc{l, recovery, ginclerk.ErrorHandler()} },
			handler: rejectThenPanic, status: http.StatusInternalServerError,
			logged: logLine{http.StatusInternalServerError, 0},
		},
		{
			name:  "ErrorHandler, Logger, Recovery: the logger runs before the body is rendered",
			chain: func(l gin.HandlerFunc) []gin.HandlerFunc { return []gin.HandlerFunc{ginclerk.ErrorHandler(), l, recovery} },
			handler: rejectThenPanic, status: http.StatusUnauthorized, body: rejected,
			logged: logLine{http.StatusUnauthorized, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logged := make(chan logLine, 1)
			logger := gin.LoggerWithConfig(gin.LoggerConfig{Output: io.Discard, Formatter: func(p gin.LogFormatterParams) string {
				logged <- logLine{p.StatusCode, p.BodySize}
				return ""
			}})
			r := gin.New()
			r.Use(tt.chain(logger)...)
			r.GET("/", tt.handler)
			srv := serveGin(t, r)

			resp, err := noRedirects(srv).Get(srv.URL)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.body, string(body))
			assert.Equal(t, tt.logged, <-logged)
		})
	}
}
