package ginclerk_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/benchkit"
)

// payloadSizes are the decoded payload sizes of BenchmarkPayload: Clerk's
// default session token, then session-token templates carrying more and
// more user metadata, up to about the largest payload a token within
// ginclerk's 16 KiB limit can carry.
var payloadSizes = []struct {
	name  string
	bytes int
}{{"0.5KiB", 512}, {"2KiB", 2 << 10}, {"8KiB", 8 << 10}, {"11.5KiB", 11776}}

// BenchmarkPayload shows how cost grows with the payload: for each size,
// the bare route and the floor with the same request, a token seen before
// and a token's first sight.
func BenchmarkPayload(b *testing.B) {
	for _, size := range payloadSizes {
		b.Run(size.name, func(b *testing.B) {
			e := newBenchEnv(b)
			claims := padded(b, e, size.bytes)
			e.token = e.key.Mint(b, claims...)
			b.Run("bare", func(b *testing.B) { run(b, engine(nil), e.token, http.StatusNoContent) })
			b.Run("floor", func(b *testing.B) {
				run(b, engine(benchkit.Floor(&e.key.Private.PublicKey)), e.token, http.StatusNoContent)
			})
			b.Run("warm", func(b *testing.B) { run(b, engine(e.clerk(b).WithAuth()), e.token, http.StatusNoContent) })
			b.Run("first", func(b *testing.B) { runFirstSight(b, e, claims) })
		})
	}
}

// padded returns the benchmark claims with a custom claim that brings the
// decoded payload to size bytes.
func padded(b *testing.B, e benchEnv, size int) []ginclerktest.Claim {
	b.Helper()
	claims := benchClaims(time.Now())
	base := payloadLen(b, e.key.Mint(b, append(claims, ginclerktest.Set("meta", ""))...))
	if base > size {
		b.Fatalf("the base payload is %d bytes, more than %d", base, size)
	}
	return append(claims, ginclerktest.Set("meta", strings.Repeat("m", size-base)))
}

func payloadLen(b *testing.B, token string) int {
	b.Helper()
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if err != nil {
		b.Fatal(err)
	}
	return len(payload)
}
