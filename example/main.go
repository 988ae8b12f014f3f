// Command example is a small API protected by Clerk with ginclerk: GET / is
// lax (says who you are, or why you are signed out), GET /api/me is strict
// (401 JSON without a valid session), and GET /v1/caller is strict for
// sessions, API keys and M2M tokens alike.
//
//	make run                                # dev mode: no Clerk account needed
//	CLERK_SECRET_KEY=sk_test_… make run     # your Clerk instance (JWKS fetched)
//	CLERK_JWT_KEY="$(cat key.pem)" make run # your instance, networkless
//
// Environment: PORT (default 8080); HOST, the interface to bind (default all
// interfaces, but loopback in dev mode); GIN_MODE (default release);
// CLERK_SECRET_KEY, CLERK_JWT_KEY, CLERK_API_URL, CLERK_API_VERSION as read
// by ginclerk.New. With neither key set the app runs on an embedded
// development issuer (see devIssuer) and says so loudly on stderr.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// after SIGINT/SIGTERM before the server gives up on them.
const shutdownTimeout = 10 * time.Second

func main() {
	if err := run(os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

// run wires the app from the process environment — the one ginclerk.New
// reads too — and serves until SIGINT or SIGTERM.
func run(accessLog, stderr io.Writer) error {
	// Signals are caught before anything is announced: a Ctrl-C right
	// after "listening" must shut down cleanly (exit 0), not find SIGINT
	// still at its default — or still ignored, as in a background job.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv(gin.EnvGinMode) == "" {
		// Debug mode prints every route and a warning on start-up: noise for
		// anyone who just wants to try the API.
		gin.SetMode(gin.ReleaseMode)
	}
	clerk, dev, err := newClerk()
	if err != nil {
		return err
	}
	// Releases the key cache (and stops any JWKS fetch) after the server
	// has drained, since requests in flight still verify tokens.
	defer clerk.Close()

	ln, err := net.Listen("tcp", listenAddr(os.Getenv, dev != nil))
	if err != nil {
		return err
	}
	base := baseURL(ln.Addr())
	if dev != nil {
		// Announced only once the port is bound, so the printed curl works.
		if err := dev.announce(stderr, base); err != nil {
			ln.Close()
			return err
		}
	} else {
		slog.Info("verifying Clerk session tokens", "key_source", keySource(os.Getenv))
	}
	slog.Info("listening", "url", base)

	srv := &http.Server{
		Handler:           newRouter(clerk, dev, accessLog),
		ReadHeaderTimeout: 10 * time.Second, // no slow-loris holding connections open
		IdleTimeout:       2 * time.Minute,
	}
	return serve(ctx, stop, srv, ln)
}

// newClerk returns the ginclerk instance configured from the environment
// (CLERK_JWT_KEY, CLERK_SECRET_KEY, CLERK_API_URL, CLERK_API_VERSION) or,
// when that configures no key source, one trusting a fresh development
// issuer, which it also returns (nil in real mode). It uses New rather than
// the package-level middlewares because an instance can be closed, and
// because New fails here, at start-up, on a bad key — the package-level
// ones would only answer 500 at request time.
func newClerk() (*ginclerk.Clerk, *devIssuer, error) {
	clerk, err := ginclerk.New()
	if !errors.Is(err, ginclerk.ErrNoKeySource) {
		return clerk, nil, err
	}
	dev, err := newDevIssuer()
	if err != nil {
		return nil, nil, err
	}
	clerk, err = ginclerk.New(dev.options()...)
	if err != nil {
		return nil, nil, err
	}
	return clerk, dev, nil
}

// keySource names the configured key source for the start-up log — the
// variable's name only, never its value.
func keySource(getenv func(string) string) string {
	if getenv("CLERK_JWT_KEY") != "" {
		return "CLERK_JWT_KEY (networkless PEM)" // ginclerk prefers it, as Clerk does
	}
	return "CLERK_SECRET_KEY (keys fetched from Clerk's Backend API)"
}

// listenAddr is HOST:PORT. Dev mode defaults to loopback: a deployment that
// forgot its Clerk key must not hand out sign-ins (GET /dev/token) to the
// whole network.
func listenAddr(getenv func(string) string, dev bool) string {
	host, port := getenv("HOST"), getenv("PORT")
	if host == "" && dev {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "8080"
	}
	return net.JoinHostPort(host, port)
}

// baseURL is where a local client reaches addr: an unspecified address
// (all interfaces) is reached through loopback.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// serve runs srv on ln until ctx ends, then shuts down gracefully: the
// listener closes at once and in-flight requests get shutdownTimeout to
// finish. stop is called first so that a second signal kills the process
// outright instead of waiting.
func serve(ctx context.Context, stop context.CancelFunc, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err // Serve failed before any shutdown was asked for
	case <-ctx.Done():
	}
	stop()
	slog.Info("shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
