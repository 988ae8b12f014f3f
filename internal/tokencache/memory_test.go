package tokencache

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// typicalPayload is a realistic ~550-byte Clerk v2 session payload: an
// active organization with permissions, features, plans, an actor and fva;
// %s takes a custom claim.
const typicalPayload = `{"act":{"iss":"https://dashboard.clerk.com","sub":"user_2vYxTb0MrSoP5NbY6lJe8fHiD3c"},` +
	`"azp":"https://dashboard.example.com","exp":%d,"fea":"o:dashboard,u:profile,ou:billing,o:reports",` +
	`"fva":[12,-1],"iat":1795694340,"iss":"https://clean-mole-12.clerk.accounts.dev","jti":"%08d",` +
	`"nbf":1795694330,"o":{"fpm":"3,1,5","id":"org_2vYxRt8KpQmN3LzW4jHc6dFgB1a","per":"read,manage,export",` +
	`"rol":"admin","slg":"acme-inc"},"pla":"u:free,o:pro","sid":"sess_2vYxSa9LqRnO4MaX5kId7eGhC2b","sts":"active",` +
	`"sub":"user_2vYxUc1NsTpQ6OcZ7mKf9gIjE4d","v":2%s}`

// verified returns the claims the verifier would cache for the i-th
// distinct token carrying extra bytes of custom claims: token and payload
// in one buffer, strings viewing it, Token set.
func verified(tb testing.TB, i, extra int) *claims.Claims {
	tb.Helper()
	custom := ""
	if extra > 0 {
		custom = `,"meta":"` + strings.Repeat("m", extra) + `"`
	}
	payload := fmt.Sprintf(typicalPayload, t0.Add(time.Hour).Unix(), i, custom)
	// A compact RS256 token: a ~100-byte header, the payload in base64url
	// and a 342-character signature.
	tokenLen := 100 + 1 + (len(payload)*4+2)/3 + 1 + 342
	buf := make([]byte, tokenLen+len(payload))
	for j := range tokenLen {
		buf[j] = 'A'
	}
	copy(buf[tokenLen-8:], fmt.Sprintf("%08d", i)) // distinct signatures
	copy(buf[tokenLen:], payload)
	c, err := claims.Decode(buf[tokenLen:len(buf):len(buf)])
	require.NoError(tb, err)
	c.Token = unsafe.String(&buf[0], tokenLen)
	return c
}

// fill stores twice as many distinct entries as the budget holds, in a
// cache of the default budget, and returns the cache, the heap growth it
// caused once evicted entries are collected, and the entries it holds. Not
// for parallel tests: it reads the heap.
func fill(t *testing.T, budget int64, extra int) (heap int64, entries int) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := New[*claims.Claims](Config{Bytes: budget})
	size := verified(t, 0, extra).Size() + int(entryBytes[*claims.Claims]())
	for i := range 2 * int(budget) / size {
		cl := verified(t, i, extra)
		c.Put(cl.Token, cl, cl.Size(), ExpiryNanos(cl.Expiry, 0), t0)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	entries = c.count()
	require.LessOrEqual(t, c.charged()+c.fixed(), budget, "the charged bytes respect the budget")
	runtime.KeepAlive(c)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), entries
}

// TestMemoryBoundedInBytes fills a cache of the default 32 MiB with tokens
// of every size past its bound and measures the heap: it stays within the
// budget (with a margin for the allocator's rounding and the test's own
// garbage), and a typical ~1 KiB token costs at most 3 KiB.
func TestMemoryBoundedInBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("memory is measured in full runs")
	}
	const budget = 32 << 20
	for _, extra := range []int{0, 2 << 10, 11 << 10} {
		heap, entries := fill(t, budget, extra)
		perEntry := float64(heap) / float64(entries)
		t.Logf("custom claim of %5d B: %5d entries, %.0f B each, heap +%.1f MiB (budget %d MiB)",
			extra, entries, perEntry, float64(heap)/(1<<20), budget>>20)
		assert.LessOrEqual(t, heap, int64(budget)*11/10, "the heap stays within the budget")
		assert.Greater(t, heap, int64(budget)/2, "the cache uses its budget")
		if extra == 0 {
			assert.LessOrEqual(t, perEntry, 3072.0, "a typical token costs at most 3 KiB")
		}
	}
}

// TestMemoryNegativeFlood floods a cache with distinct forged tokens of
// the largest size: negative entries keep a digest, not the token, and are
// charged to the same budget, so the heap stays within it.
func TestMemoryNegativeFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("memory is measured in full runs")
	}
	const budget = 4 << 20
	forged := []byte(strings.Repeat("F", 16<<10))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := New[*claims.Claims](Config{Bytes: budget})
	for i := range 4 * len(c.sets) * ways { // four times the slots
		copy(forged[len(forged)-8:], fmt.Sprintf("%08d", i))
		c.PutNegative(string(forged), t0) // a fresh string, as each request brings
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d negative entries, heap +%.1f MiB (budget %d MiB)", c.count(), float64(heap)/(1<<20), budget>>20)
	assert.LessOrEqual(t, heap, int64(budget)*11/10)
	assert.LessOrEqual(t, c.charged()+c.fixed(), int64(budget))
	runtime.KeepAlive(c)
}

func BenchmarkGetHit(b *testing.B) {
	c := New[*claims.Claims](Config{Bytes: 32 << 20})
	cl := verified(b, 1, 0)
	c.Put(cl.Token, cl, cl.Size(), ExpiryNanos(cl.Expiry, 0), t0)
	probe := strings.Clone(cl.Token) // a request's own copy, as a server has
	b.ReportAllocs()
	b.SetBytes(int64(len(probe)))
	for b.Loop() {
		if _, res := c.Get(probe, t0); res != Hit {
			b.Fatal(res)
		}
	}
}

// BenchmarkGetHitParallel looks the same token up from every P: the case a
// global lock would serialize.
func BenchmarkGetHitParallel(b *testing.B) {
	c := New[*claims.Claims](Config{Bytes: 32 << 20})
	cl := verified(b, 1, 0)
	c.Put(cl.Token, cl, cl.Size(), ExpiryNanos(cl.Expiry, 0), t0)
	probe := strings.Clone(cl.Token)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, res := c.Get(probe, t0); res != Hit {
				b.Error(res)
				return
			}
		}
	})
}

func BenchmarkPut(b *testing.B) {
	c := New[*claims.Claims](Config{Bytes: 1 << 20})
	list := make([]*claims.Claims, 4096)
	for i := range list {
		list[i] = verified(b, i, 0)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		cl := list[i%len(list)]
		c.Put(cl.Token, cl, cl.Size(), ExpiryNanos(cl.Expiry, 0), t0)
		i++
	}
}
