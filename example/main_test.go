package main

import (
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// env is a fake environment for the getenv parameters.
func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestListenAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		dev  bool
		want string
	}{
		{"dev: loopback by default", nil, true, "127.0.0.1:8080"},
		{"dev with PORT", map[string]string{"PORT": "9000"}, true, "127.0.0.1:9000"},
		{"dev with HOST", map[string]string{"HOST": "0.0.0.0"}, true, "0.0.0.0:8080"},
		{"real: all interfaces", nil, false, ":8080"},
		{"real with HOST and PORT", map[string]string{"HOST": "10.0.0.1", "PORT": "1"}, false, "10.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, listenAddr(env(tt.env), tt.dev))
		})
	}
}

func TestKeySource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"secret key", map[string]string{"CLERK_SECRET_KEY": "sk_test_x"}, "CLERK_SECRET_KEY"},
		{"jwt key", map[string]string{"CLERK_JWT_KEY": "pem"}, "CLERK_JWT_KEY"},
		{"both: PEM wins", map[string]string{"CLERK_JWT_KEY": "pem", "CLERK_SECRET_KEY": "sk_test_x"}, "CLERK_JWT_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := keySource(env(tt.env))
			assert.True(t, strings.HasPrefix(got, tt.want+" "), got)
			assert.NotContains(t, got, "sk_test_x", "never the secret itself")
		})
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:80":        "http://127.0.0.1:80",
		"[::1]:80":       "http://[::1]:80",
	}
	for in, want := range tests {
		addr, err := net.ResolveTCPAddr("tcp", in)
		require.NoError(t, err)
		assert.Equal(t, want, baseURL(addr), in)
	}
}

// The banner's curl command must work as printed, against this process.
func TestAnnounce(t *testing.T) {
	t.Parallel()
	r, dev := devRouter(t)
	var b strings.Builder
	require.NoError(t, dev.announce(&b, "http://127.0.0.1:8080"))
	out := b.String()
	assert.Contains(t, out, "DEV MODE")
	assert.Contains(t, out, "NOT FOR PRODUCTION")

	var box []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "#") {
			box = append(box, l)
		}
	}
	require.NotEmpty(t, box)
	for _, l := range box {
		assert.Len(t, l, len(box[0]), "the box is rectangular: %q", l)
	}

	m := regexp.MustCompile(`curl -H 'Authorization: Bearer ([\w.-]+)' http://127\.0\.0\.1:8080(/api/me)\n`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	w := get(t, r, m[2], m[1])
	assert.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)

	machines := regexp.MustCompile(`curl -H 'Authorization: Bearer ((?:ak|mt)_\w+)' http://127\.0\.0\.1:8080(/v1/caller)\n`).FindAllStringSubmatch(out, -1)
	require.Len(t, machines, 2, out)
	for _, m := range machines {
		w := get(t, r, m[2], m[1])
		assert.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)
	}
}

func TestNewClerk(t *testing.T) { // not parallel: t.Setenv
	t.Run("dev mode", func(t *testing.T) {
		t.Setenv("CLERK_SECRET_KEY", "")
		t.Setenv("CLERK_JWT_KEY", "")
		clerk, dev, err := newClerk()
		require.NoError(t, err)
		defer clerk.Close()
		require.NotNil(t, dev)
		assert.Equal(t, devKID, dev.key.KID)
	})
	t.Run("jwt key", func(t *testing.T) {
		t.Setenv("CLERK_SECRET_KEY", "")
		t.Setenv("CLERK_JWT_KEY", ginclerktest.DefaultKey(t).PublicKeyPEM())
		clerk, dev, err := newClerk()
		require.NoError(t, err)
		defer clerk.Close()
		assert.Nil(t, dev)
	})
	t.Run("secret key", func(t *testing.T) {
		t.Setenv("CLERK_SECRET_KEY", "sk_test_x") // JWKS fetched lazily: no network here
		t.Setenv("CLERK_JWT_KEY", "")
		clerk, dev, err := newClerk()
		require.NoError(t, err)
		defer clerk.Close()
		assert.Nil(t, dev)
	})
	t.Run("bad jwt key fails at start-up", func(t *testing.T) {
		t.Setenv("CLERK_SECRET_KEY", "")
		t.Setenv("CLERK_JWT_KEY", "not a key")
		_, _, err := newClerk()
		assert.Error(t, err)
	})
}

// Shutdown lets a request in flight finish, and serve then returns nil.
func TestServeDrainsOnShutdown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	started, release := make(chan struct{}), make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-release
		w.WriteHeader(http.StatusNoContent)
	})}
	shuttingDown := make(chan struct{})
	srv.RegisterOnShutdown(func() { close(shuttingDown) })

	ctx, cancel := context.WithCancel(context.Background())
	var stopped atomic.Bool
	served := make(chan error, 1)
	go func() { served <- serve(ctx, func() { stopped.Store(true) }, srv, ln) }()

	status := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-started
	cancel()
	<-shuttingDown
	close(release)
	assert.Equal(t, http.StatusNoContent, <-status)
	assert.NoError(t, <-served)
	assert.True(t, stopped.Load(), "stop is called so a second signal kills")
}

// A server that cannot serve reports why instead of waiting for a signal.
func TestServeReportsServeError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	err = serve(context.Background(), func() {}, &http.Server{}, ln)
	assert.Error(t, err)
}
