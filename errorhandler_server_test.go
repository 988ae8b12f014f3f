package ginclerk_test

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errLogged is an error a handler records only to have it logged.
var errLogged = errors.New("cache miss, served from origin")

// syncBuffer is a strings.Builder safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveGin runs h on a real HTTP server closed with the test. net/http's
// error log, where a superfluous WriteHeader or a write on a hijacked
// connection would show, must stay empty.
func serveGin(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	var errs syncBuffer
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(&errs, "", 0)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		assert.Empty(t, errs.String(), "net/http's error log")
	})
	return srv
}

// behindErrorHandler is a router answering method path with h behind
// ErrorHandler.
func behindErrorHandler(method, path string, h gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	r.Use(ginclerk.ErrorHandler())
	r.Handle(method, path, h)
	return r
}

// client is srv's client, bounded, returning redirects as they come.
func client(srv *httptest.Server) *http.Client {
	c := *srv.Client()
	c.Timeout = hangBound
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// fetch sends method path to srv with header and body, and returns the
// response and its body, read.
func fetch(t *testing.T, srv *httptest.Server, method, path string, header http.Header, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client(srv).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// TestErrorHandlerPassesResponses drives gin features behind ErrorHandler
// over a real server: a response the chain finished on purpose reaches the
// client as it would without ErrorHandler, even with an error recorded for
// the logs, while errors still render as JSON.
func TestErrorHandlerPassesResponses(t *testing.T) {
	t.Parallel()
	modTime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	file := filepath.Join(t.TempDir(), "alphabet.txt")
	require.NoError(t, os.WriteFile(file, []byte("abcdefghij"), 0o600))
	require.NoError(t, os.Chtimes(file, modTime, modTime))
	const json = "application/json; charset=utf-8"

	tests := []struct {
		name       string
		method     string
		header     http.Header
		handler    gin.HandlerFunc
		status     int
		body       string
		wantHeader map[string]string
	}{
		{
			name: "logged error, 204", method: http.MethodDelete,
			handler: func(c *gin.Context) { _ = c.Error(errLogged); c.Status(http.StatusNoContent) },
			status:  http.StatusNoContent,
		},
		{
			name: "logged error, redirect after POST", method: http.MethodPost,
			handler: func(c *gin.Context) { _ = c.Error(errLogged); c.Redirect(http.StatusSeeOther, "/done") },
			status:  http.StatusSeeOther, wantHeader: map[string]string{"Location": "/done"},
		},
		{
			name: "logged error, aborted sign-in redirect", method: http.MethodPost,
			handler: func(c *gin.Context) {
				_ = c.Error(errLogged)
				c.Redirect(http.StatusFound, "/sign-in")
				c.Abort()
			},
			status: http.StatusFound, wantHeader: map[string]string{"Location": "/sign-in"},
		},
		{
			name: "logged error, HEAD", method: http.MethodHead,
			handler: func(c *gin.Context) { _ = c.Error(errLogged); c.Header("ETag", `"v1"`); c.Status(http.StatusOK) },
			status:  http.StatusOK, wantHeader: map[string]string{"ETag": `"v1"`},
		},
		{
			name: "logged error, preflight committed with AbortWithStatus", method: http.MethodOptions,
			handler: func(c *gin.Context) { _ = c.Error(errLogged); c.AbortWithStatus(http.StatusOK) },
			status:  http.StatusOK,
		},
		{
			name: "logged error, file Range", method: http.MethodGet, header: http.Header{"Range": {"bytes=2-4"}},
			handler: func(c *gin.Context) { _ = c.Error(errLogged); c.File(file) },
			status:  http.StatusPartialContent, body: "cde",
			wantHeader: map[string]string{"Content-Range": "bytes 2-4/10"},
		},
		{
			name: "logged error, file If-Modified-Since", method: http.MethodGet,
			header:  http.Header{"If-Modified-Since": {modTime.Format(http.TimeFormat)}},
			handler: func(c *gin.Context) { _ = c.Error(errLogged); c.File(file) },
			status:  http.StatusNotModified,
		},
		{
			name: "logged error, DataFromReader", method: http.MethodGet,
			handler: func(c *gin.Context) {
				_ = c.Error(errLogged)
				c.DataFromReader(http.StatusOK, 5, "text/plain", strings.NewReader("hello"), map[string]string{"X-Src": "reader"})
			},
			status: http.StatusOK, body: "hello",
			wantHeader: map[string]string{"Content-Type": "text/plain", "X-Src": "reader", "Content-Length": "5"},
		},
		{
			name: "strict 401 renders JSON", method: http.MethodGet,
			handler: func(c *gin.Context) {
				_ = c.AbortWithError(http.StatusUnauthorized, &ginclerk.Error{StatusCode: 401, Reason: "token-invalid", Message: "bad"})
			},
			status: http.StatusUnauthorized, body: `{"error":"bad","reason":"token-invalid"}`,
			wantHeader: map[string]string{"Content-Type": json},
		},
		{
			name: "error with no status chosen renders 500", method: http.MethodGet,
			handler: func(c *gin.Context) { _ = c.Error(errLogged) },
			status:  http.StatusInternalServerError, body: `{"error":"Internal Server Error"}`,
			wantHeader: map[string]string{"Content-Type": json},
		},
		{
			name: "a body gin failed to render is a 500", method: http.MethodGet,
			handler: func(c *gin.Context) { c.JSON(http.StatusOK, make(chan int)) },
			status:  http.StatusInternalServerError, body: `{"error":"Internal Server Error"}`,
			wantHeader: map[string]string{"Content-Type": json},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serveGin(t, behindErrorHandler(tt.method, "/", tt.handler))

			resp, body := fetch(t, srv, tt.method, "/", tt.header, nil)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.body, body)
			for k, v := range tt.wantHeader {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
		})
	}
}
