package verify

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestHostileInputCost bounds what a hostile token costs: bytes allocated
// per verification and wall time. Oversized or malformed tokens must be
// refused before anything proportional to their size is allocated. Not
// parallel: it reads process-wide allocation counters.
func TestHostileInputCost(t *testing.T) {
	k, evil := testKeys(t)
	v := newVerifier(t)
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	// Tokens refused before their payload is decoded cost a fixed amount
	// whatever their size (today the header buffer, 2 KiB, dominates). A
	// well-formed token has its payload decoded before the signature check
	// (its kind is read from it, as Clerk reads it), into one buffer with a
	// copy of the token that the claims keep: two copies bounded by
	// MaxTokenBytes. Only a token the instance's key signed has its claims
	// decoded.
	const fixed, decoded, signedMax = 4 << 10, 2 * MaxTokenBytes, 256 << 10
	tests := []struct {
		name     string
		token    string
		maxBytes uint64
	}{
		{"1 MiB of base64url", strings.Repeat("A", 1<<20), fixed},
		{"1 MiB of dots", strings.Repeat(".", 1<<20), fixed},
		{"16 KiB with a bad byte at the end", strings.Repeat("A", MaxTokenBytes-1) + "=", fixed},
		{"16 KiB of dots", strings.Repeat(".", MaxTokenBytes), fixed},
		{"16 KiB header", strings.Repeat("A", MaxTokenBytes-4) + ".b.c", fixed},
		{"forged 16 KiB token", sign(evil, hdr(), claimsAt("pad", `"`+strings.Repeat("A", 11<<10)+`"`)), decoded},
		{"forged, deeply nested payload", sign(evil, hdr(), claimsAt("x", deep)), decoded},
		{"deeply nested header", sign(k, `{"alg":"RS256","x":`+strings.Repeat("[", 700)+strings.Repeat("]", 700)+`}`, claimsAt()), fixed},
		{"signed, deeply nested payload", sign(k, hdr(), claimsAt("x", deep)), signedMax},
		{"signed, 1300 members in a claim", sign(k, hdr(), claimsAt("x", "{"+manyMembers(1300)+"}")), signedMax},
		{"signed, 3700 empty arrays", sign(k, hdr(), claimsAt("x", "["+strings.Repeat("[],", 3700)+"[]]")), signedMax},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const runs = 20
			_, _ = v.Verify(ctx, tt.token) // warm up lazily built state
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			for range runs {
				_, _ = v.Verify(ctx, tt.token)
			}
			took := time.Since(start) / runs
			runtime.ReadMemStats(&after)
			perCall := (after.TotalAlloc - before.TotalAlloc) / runs
			t.Logf("%d bytes, %v per verification", perCall, took)
			assert.LessOrEqual(t, perCall, tt.maxBytes, "bytes allocated per verification")
			// Only a bound on a blow-up (quadratic work, a hang), far above
			// what any verification takes on a loaded machine.
			assert.Less(t, took, time.Second, "time per verification")
		})
	}
}

// manyMembers is n distinct JSON object members.
func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`":0`)
	}
	return b.String()
}
