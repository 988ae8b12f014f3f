package ginclerk

import "time"

// KeyStats is a point-in-time view of the Backend API key cache, for
// operators: export it to metrics or log it periodically. Counters are
// cumulative over the cache's life and shared by every instance with the
// same API URL, version and secret key, since those share one cache. The
// zero value is what an instance with a PEM key (no cache) reports.
type KeyStats struct {
	// Fetches is the number of HTTP requests made to the Backend API.
	Fetches uint64
	// Failures is the number of those requests that yielded no usable keys.
	Failures uint64
	// UnknownKidRefetches is the number of fetches caused by a token with a
	// kid the cache did not know (at most one per WithKidCooldown).
	UnknownKidRefetches uint64
	// NegativeCacheHits is the number of requests answered
	// "jwk-kid-mismatch" from the remembered unknown kids, without a fetch.
	NegativeCacheHits uint64
	// NegativeCacheSize is the number of kids currently remembered as
	// unknown.
	NegativeCacheSize int
	// Keys is the number of keys in service; 0 before the first success.
	Keys int
	// LastSuccess is when the fetch behind the keys in service started;
	// zero before the first success.
	LastSuccess time.Time
	// CacheAge is the time since LastSuccess; zero before the first success.
	CacheAge time.Duration
	// ConsecutiveFailures is the length of the current failure streak; 0
	// after a success.
	ConsecutiveFailures int
	// LastError is the failure of the streak's latest fetch, a *Error; nil
	// after a success.
	LastError error
}

// KeyStats reports the health of the instance's key cache, so an operator can
// see it working. With a PEM key (WithJWTKey) there is no cache and the
// result is the zero value.
func (ck *Clerk) KeyStats() KeyStats {
	if ck.jwks == nil {
		return KeyStats{}
	}
	st := ck.jwks.Stats()
	out := KeyStats{
		Fetches:             st.Fetches,
		Failures:            st.Failures,
		UnknownKidRefetches: st.UnknownKidRefetches,
		NegativeCacheHits:   st.NegativeCacheHits,
		NegativeCacheSize:   st.NegativeCacheSize,
		Keys:                st.Keys,
		LastSuccess:         st.LastSuccess,
		CacheAge:            st.CacheAge,
		ConsecutiveFailures: st.ConsecutiveFailures,
	}
	if st.LastError != nil {
		// The public error type, as every other failure ginclerk reports.
		out.LastError = fromInternal(st.LastError)
	}
	return out
}
