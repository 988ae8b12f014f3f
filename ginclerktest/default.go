package ginclerktest

import (
	"testing"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/internal/override"
)

// clerkVariables are the environment variables ginclerk reads.
var clerkVariables = [...]string{
	"CLERK_JWT_KEY", "CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_API_VERSION",
	"CLERK_PUBLISHABLE_KEY", "CLERK_PROXY_URL",
}

// SetDefault makes ginclerk's package-level WithAuth and RequireAuth — the
// quick-start ones, which otherwise use an instance configured from the
// environment — verify with an instance built from opts (and
// WithoutEnvironment) until t ends, when everything is restored. Middlewares
// created before the call follow it too, so an app whose router is built
// like the quick start can be tested with real tokens:
//
//	key := ginclerktest.DefaultKey(t)
//	ginclerktest.SetDefault(t, key.Options()...) // or NewServer(t, key).Options()
//	req.Header.Set("Authorization", "Bearer "+key.Mint(t))
//
// The override is process-wide, so SetDefault cannot be used in parallel
// tests: like t.Setenv, which it calls to empty every CLERK_* variable for
// the test, it panics in a test that called t.Parallel, and a later
// t.Parallel panics. A second override while one is in effect (nested, or
// from another goroutine) fails the test. Invalid opts fail the test.
func SetDefault(t testing.TB, opts ...ginclerk.Option) {
	t.Helper()
	isolate(t)
	ck, err := ginclerk.New(append(opts[:len(opts):len(opts)], ginclerk.WithoutEnvironment())...)
	if err != nil {
		t.Fatalf("ginclerktest: SetDefault: %v", err)
	}
	t.Cleanup(func() { _ = ck.Close() })
	install(t, ck)
}

// SetDefaultAuth makes ginclerk's package-level WithAuth and RequireAuth
// store a on every request until t ends, without looking at tokens: handlers
// of an app built like the quick start can be tested as a given user
// (SignedIn) or signed out (SignedOut), and RequireAuth answers 401 for a
// signed-out a. It has SetDefault's rules: process-wide, not for parallel
// tests, not nested.
func SetDefaultAuth(t testing.TB, a *ginclerk.Auth) {
	t.Helper()
	if a == nil {
		t.Fatal("ginclerktest: SetDefaultAuth(nil)")
	}
	isolate(t)
	install(t, a)
}

// isolate empties the CLERK_* variables for t. Besides keeping a
// developer's shell out of the test, t.Setenv is what makes the testing
// package refuse to run t in parallel with others.
func isolate(t testing.TB) {
	t.Helper()
	for _, name := range clerkVariables {
		t.Setenv(name, "")
	}
}

func install(t testing.TB, value any) {
	t.Helper()
	restore, owner, ok := override.Install(value, t.Name())
	if !ok {
		t.Fatalf("ginclerktest: the package-level middlewares are already overridden by %s; SetDefault and SetDefaultAuth do not nest", owner)
	}
	t.Cleanup(restore)
}
