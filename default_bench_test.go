package ginclerk_test

import (
	"net/http"
	"testing"

	"github.com/ginclerk/ginclerk"
)

// BenchmarkWarmTokenPackageLevel is BenchmarkWarmToken through the
// package-level WithAuth, which decides per request whether a test has
// overridden the default instance: compare the two to see that decision's
// cost.
func BenchmarkWarmTokenPackageLevel(b *testing.B) {
	e := newBenchEnv(b)
	for _, name := range []string{"CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_API_VERSION", "CLERK_PUBLISHABLE_KEY", "CLERK_PROXY_URL"} {
		b.Setenv(name, "")
	}
	b.Setenv("CLERK_JWT_KEY", e.key.PublicKeyPEM())
	run(b, engine(ginclerk.WithAuth()), e.token, http.StatusNoContent)
}
