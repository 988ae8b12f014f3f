package keys

import (
	"strings"
	"sync"
)

// negCacheSize bounds the kids remembered as unknown: enough for any real
// rotation, small enough that a forged-kid flood costs little.
const negCacheSize = 1024

// negCacheMaxKid bounds the length of a remembered kid (Clerk's are ~30
// bytes; the verifier refuses headers with longer ones than this). With
// negCacheSize it bounds the cache in bytes: at most 1024 × 256 B of kids
// plus the map, under 512 KiB, whatever the traffic — TestNegCacheHeap
// measures it.
const negCacheMaxKid = 256

// negCache remembers kids that a successful fetch confirmed unknown, so that
// repeating a forged kid is answered without touching the fetch machinery.
// It has its own lock to keep a kid flood off the cache's main lock.
type negCache struct {
	mu  sync.Mutex
	m   map[string]struct{}
	max int
}

func (n *negCache) has(kid string) bool {
	n.mu.Lock()
	_, ok := n.m[kid]
	n.mu.Unlock()
	return ok
}

// add remembers kid, evicting an arbitrary entry when full: which forged kid
// is forgotten does not matter, only that memory stays bounded. A kid longer
// than negCacheMaxKid is not remembered: repeating it costs a lookup in the
// key set, not a fetch (the kid cooldown bounds those).
func (n *negCache) add(kid string) {
	if len(kid) > negCacheMaxKid {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil {
		n.m = make(map[string]struct{}, n.max)
	}
	if _, ok := n.m[kid]; ok {
		return
	}
	if len(n.m) >= n.max {
		for k := range n.m {
			delete(n.m, k)
			break
		}
	}
	// Clone: the caller's kid may be a view into a larger token buffer that
	// must neither be retained nor change under us.
	n.m[strings.Clone(kid)] = struct{}{}
}

func (n *negCache) clear() {
	n.mu.Lock()
	clear(n.m)
	n.mu.Unlock()
}

func (n *negCache) len() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.m)
}
