package ginclerk

import "github.com/ginclerk/ginclerk/internal/keys"

// KeyStats is a point-in-time view of the Backend API key cache: fetches,
// failures, unknown-kid refetches, negative-cache hits, the number of keys in
// service and their age. Counters are shared by every instance with the same
// API URL, version and secret key, since those share one cache.
type KeyStats = keys.Stats

// KeyStats reports the health of the instance's key cache, so an operator can
// see it working (export it to metrics, or log it periodically). With a PEM
// key (WithJWTKey) there is no cache and the result is the zero value.
func (ck *Clerk) KeyStats() KeyStats {
	if ck.jwks == nil {
		return KeyStats{}
	}
	return ck.jwks.Stats()
}
