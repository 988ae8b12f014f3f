package machine_test

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heapAlloc returns the live heap after a full collection.
func heapAlloc() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// realistic returns an API key as Clerk's dashboard makes them: a name, a
// user subject, three scopes and claimBytes of custom claims.
func realistic(i, claimBytes int) ginclerktest.MachineCredential {
	return ginclerktest.MachineCredential{
		ID:      fmt.Sprintf("ak_2vYxTb0MrSoP5NbY6lJe%08d", i),
		Name:    "billing-service-" + strconv.Itoa(i),
		Subject: "user_2vYxUc1NsTpQ6OcZ7mKf9gIjE4d",
		Scopes:  []string{"read:invoices", "write:invoices", "read:customers"},
		Claims:  map[string]any{"tier": "gold", "pad": strings.Repeat("x", claimBytes)},
	}
}

// TestMemoryBound fills each cache far past its byte budget and measures
// the heap: it grows by no more than the budget, and each entry costs no
// more than it is charged. Not parallel: it reads the process's heap while
// the parallel tests are parked.
func TestMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("memory is measured in full runs")
	}
	for _, claimBytes := range []int{64, 4 << 10} {
		t.Run(fmt.Sprintf("credentials with %d-byte claims", claimBytes), func(t *testing.T) {
			const budget = 2 << 20
			f := newFixture(t, func(cfg *machine.Config, _ *ginclerktest.Server) { cfg.MaxBytes = budget })
			n := 3 * budget / (700 + claimBytes) // about three times what fits
			tokens := make([]string, n)
			for i := range tokens {
				tokens[i] = f.srv.AddAPIKey(realistic(i, claimBytes))
			}
			base := heapAlloc()
			half := 0
			for i, token := range tokens {
				_, err := f.verify(t, token)
				require.NoError(t, err)
				if st := f.v.Stats(); half == 0 && st.Bytes > budget/2 {
					// Below the budget nothing was evicted: the heap per
					// entry is what an entry really costs.
					half = i + 1
					grown := heapAlloc() - base
					t.Logf("%d entries: heap +%d B, charged %d B (%.0f vs %.0f B per entry)",
						st.Entries, grown, st.Bytes, float64(grown)/float64(st.Entries), float64(st.Bytes)/float64(st.Entries))
					assert.LessOrEqual(t, grown, st.Bytes, "entries cost more than they are charged")
				}
			}
			grown := heapAlloc() - base
			st := f.v.Stats()
			t.Logf("%d credentials verified: %d cached, %d B charged, heap +%d B", n, st.Entries, st.Bytes, grown)
			assert.LessOrEqual(t, st.Bytes, int64(budget))
			assert.LessOrEqual(t, grown, int64(budget))
			assert.Less(t, st.Entries, n/2, "the test must overflow the budget")
			runtime.KeepAlive(f.v)
		})
	}
	t.Run("negative entries", func(t *testing.T) {
		const budget = 1 << 20
		f := newFixture(t, func(cfg *machine.Config, _ *ginclerktest.Server) { cfg.NegativeMaxBytes = budget })
		n := 3 * budget / 192
		tokens := make([]string, n)
		for i := range tokens {
			tokens[i] = "ak_unknown_" + strconv.Itoa(i)
		}
		base := heapAlloc()
		for _, token := range tokens {
			_, err := f.verify(t, token)
			requireReason(t, err, clerkerr.TokenInvalid)
		}
		grown := heapAlloc() - base
		st := f.v.Stats()
		t.Logf("%d unknown credentials: %d remembered, %d B charged, heap +%d B", n, st.NegativeEntries, st.NegativeBytes, grown)
		assert.LessOrEqual(t, st.NegativeBytes, int64(budget))
		assert.LessOrEqual(t, grown, int64(budget))
		assert.Less(t, st.NegativeEntries, n/2)
		runtime.KeepAlive(f.v)
	})
}
