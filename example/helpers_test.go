package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	gin.DefaultErrorWriter = io.Discard // the panic test's stack trace
	os.Exit(m.Run())
}

// sharedDev is one development issuer for the whole test binary: RSA key
// generation is slow, especially under -race.
var sharedDev = sync.OnceValues(newDevIssuer)

// quiet keeps ginclerk's expected warnings (rejected tokens) out of test
// output.
var quiet = ginclerk.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))

// devRouter is the app as `make run` wires it with no Clerk key.
func devRouter(t *testing.T) (*gin.Engine, *devIssuer) {
	t.Helper()
	dev, err := sharedDev()
	require.NoError(t, err)
	clerk, err := ginclerk.New(append(dev.options(), quiet)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = clerk.Close() })
	return newRouter(clerk, dev, nil), dev
}

// get sends GET path to h, with the token as a Bearer header when non-empty.
func get(t *testing.T, h http.Handler, path, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// decode parses the JSON body of w into a T, failing on any member T does
// not declare, so an unexpected field in a response is caught.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	require.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"), "body: %s", w.Body)
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	var v T
	require.NoError(t, dec.Decode(&v))
	return v
}

// devOrg is the organization every dev token carries.
var devOrg = &organization{
	ID:          devOrgID,
	Role:        "org:" + devOrgRole,
	Slug:        devOrgSlug,
	Permissions: []string{"org:invoices:read", "org:invoices:manage"},
}
