package tokencache

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// typicalPayload is a realistic ~500-byte Clerk v2 session payload: an
// active organization with permissions, features, plans, an actor and fva.
const typicalPayload = `{"act":{"iss":"https://dashboard.clerk.com","sub":"user_2vYxTb0MrSoP5NbY6lJe8fHiD3c"},` +
	`"azp":"https://dashboard.example.com","exp":%EXP%,"fea":"o:dashboard,u:profile,ou:billing,o:reports",` +
	`"fva":[12,-1],"iat":1795694340,"iss":"https://clean-mole-12.clerk.accounts.dev","jti":"a1b2c3d4e5f6a7b8c9d0",` +
	`"nbf":1795694330,"o":{"fpm":"3,1,5","id":"org_2vYxRt8KpQmN3LzW4jHc6dFgB1a","per":"read,manage,export",` +
	`"rol":"admin","slg":"acme-inc"},"pla":"u:free,o:pro","sid":"sess_2vYxSa9LqRnO4MaX5kId7eGhC2b","sts":"active",` +
	`"sub":"user_2vYxUc1NsTpQ6OcZ7mKf9gIjE4d","v":2}`

// maxBytesPerEntry is the budget the README promises: at most 4 KiB.
const maxBytesPerEntry = 4 << 10

func decodeTypical(tb testing.TB) *claims.Claims {
	tb.Helper()
	exp := strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)
	payload := []byte(replace(typicalPayload, "%EXP%", exp))
	c, err := claims.Decode(payload)
	require.NoError(tb, err)
	return c
}

func replace(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

// TestMemoryPerEntry measures what a full cache costs: the table, the
// entries and the claims they keep alive (each decoded from its own copy
// of the payload, as the verifier does). Not parallel: it reads the heap.
func TestMemoryPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("memory is measured in full runs")
	}
	const n = 4096
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	c := New(Config{Size: n})
	// Twice the capacity: sets fill unevenly, and a full cache is the
	// worst case. Evicted claims are garbage by the second GC.
	for i := range 2 * c.Cap() {
		c.Put(key(i), decodeTypical(t), t0)
	}

	runtime.GC()
	runtime.ReadMemStats(&after)
	entries := c.count()
	require.Greater(t, entries, c.Cap()*9/10)
	perEntry := float64(after.HeapAlloc-before.HeapAlloc) / float64(entries)
	t.Logf("%d entries (capacity %d) of a %d-byte payload: %.0f bytes per entry, %.1f MiB in all",
		entries, c.Cap(), len(typicalPayload), perEntry, perEntry*float64(entries)/(1<<20))
	assert.LessOrEqual(t, perEntry, float64(maxBytesPerEntry))
	runtime.KeepAlive(c)
}

func BenchmarkKeyOf(b *testing.B) {
	token := string(make([]byte, 1100)) // a v2 session token's size
	b.ReportAllocs()
	b.SetBytes(int64(len(token)))
	for b.Loop() {
		_ = KeyOf(token)
	}
}

func BenchmarkGetHit(b *testing.B) {
	c := New(Config{Size: 10_000})
	k, now := key(1), time.Now()
	c.Put(k, &claims.Claims{Expiry: time.Now().Add(time.Hour).Unix()}, now)
	b.ReportAllocs()
	for b.Loop() {
		if _, res := c.Get(k, now); res != Hit {
			b.Fatal(res)
		}
	}
}

// BenchmarkGetHitParallel looks the same token up from every P: the case a
// global lock would serialize.
func BenchmarkGetHitParallel(b *testing.B) {
	c := New(Config{Size: 10_000})
	k, now := key(1), time.Now()
	c.Put(k, &claims.Claims{Expiry: time.Now().Add(time.Hour).Unix()}, now)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, res := c.Get(k, now); res != Hit {
				b.Error(res)
				return
			}
		}
	})
}

func BenchmarkPut(b *testing.B) {
	c := New(Config{Size: 1024})
	now := time.Now()
	cl := &claims.Claims{Expiry: time.Now().Add(time.Hour).Unix()}
	keys := make([]Key, 4096)
	for i := range keys {
		keys[i] = key(i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Put(keys[i%len(keys)], cl, now)
		i++
	}
}
