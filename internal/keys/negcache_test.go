package keys

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNegCacheHeap floods the unknown-kid cache with far more distinct kids
// than it holds, of the longest length it keeps and longer, and measures
// the heap: it stays within the documented 512 KiB. Not parallel: it reads
// the heap.
func TestNegCacheHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("memory is measured in full runs")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := &negCache{max: negCacheSize}
	for i := range 20 * negCacheSize {
		length := negCacheMaxKid
		if i%2 == 1 {
			length = 4 << 10 // longer than any kept: never stored
		}
		kid := fmt.Sprintf("%08d", i) + strings.Repeat("k", length-8)
		n.add(kid)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d kids remembered, heap +%d KiB", n.len(), grew>>10)
	assert.Equal(t, negCacheSize, n.len(), "full, and no fuller")
	assert.Less(t, grew, int64(512<<10), "the heap stays within the documented bound")
	assert.Greater(t, grew, int64(negCacheSize*negCacheMaxKid), "the kids are really held")
	long := strings.Repeat("k", negCacheMaxKid+1)
	n.add(long)
	assert.False(t, n.has(long), "a longer kid is not remembered")
	runtime.KeepAlive(n)
}
