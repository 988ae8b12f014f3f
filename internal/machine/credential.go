package machine

import (
	"time"
)

// Credential is a machine credential the Backend API verified. Values
// returned by a Verifier are shared with its cache: treat them, and their
// slices, as read-only.
type Credential struct {
	// Kind is the credential's kind.
	Kind Kind
	// ID is Clerk's identifier of the credential (ak_…, mt_…, oat_…).
	ID string
	// Subject is who the credential acts for: user_… or org_… for an API
	// key, mch_… (the machine) for an M2M token, user_… for an OAuth token.
	// Never empty.
	Subject string
	// Name is an API key's name; empty for the other kinds.
	Name string
	// Scopes are the credential's scopes; nil when it has none.
	Scopes []string
	// Claims are the custom claims of an API key or M2M token, a raw JSON
	// object; empty when there are none (Clerk's null).
	Claims string
	// ClientID is an OAuth token's OAuth application client ID.
	ClientID string
	// Audience is an OAuth token's aud, nil when it has none.
	Audience []string
	// Expiration is when the credential expires; zero when it never does.
	Expiration time.Time
}

// Fixed costs charged to every cache entry, on top of the bytes an entry
// keeps alive. They cover the map slot and the eviction queue item at up
// to twice their size (a map doubles as it grows, and the queue is
// compacted only once half of it is dead), and for a live credential the
// Credential struct and the cache's bookkeeping. TestMemoryBound checks
// that the charges are not below what the heap really grows by.
const (
	positiveOverhead = 512
	negativeOverhead = 192
)

// cost is what c is charged in the positive cache: the fixed overhead and
// every byte it keeps alive (see allocCost), with 16 bytes per slice element
// for the string headers.
func (c *Credential) cost() int64 {
	n := int64(positiveOverhead)
	for _, s := range [...]string{c.ID, c.Subject, c.Name, c.ClientID} {
		n += allocCost(len(s))
	}
	n += allocCost(len(c.Claims))
	for _, list := range [...][]string{c.Scopes, c.Audience} {
		for _, s := range list {
			n += 16 + allocCost(len(s))
		}
	}
	return n
}

// allocCost bounds what an n-byte allocation really takes: Go's size
// classes round a request up by less than a quarter (4097 bytes take
// 4864), by at most 15 bytes for the smallest ones, and to whole 8 KiB pages
// beyond 32 KiB.
func allocCost(n int) int64 {
	if n == 0 {
		return 0
	}
	return int64(n + n/4 + 16)
}
