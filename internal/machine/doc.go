// Package machine verifies Clerk's opaque machine credentials — API keys
// (ak_…), M2M tokens (mt_…) and OAuth access tokens (oat_…) — against
// Clerk's Backend API, and caches the answers.
//
// Each kind has one verify endpoint (POST {APIURL}/api_keys/verify,
// /m2m_tokens/verify, /oauth_applications/access_tokens/verify; the API URL
// carries no version segment, as in @clerk/backend). Outcomes, as
// *clerkerr.Error reason codes:
//   - 200 with a live credential: a *Credential.
//   - 404, or a 200 that says revoked or expired, or whose expiration has
//     passed: token-invalid (fail closed, where Clerk's SDK would sign in).
//   - 401: secret-key-invalid (the caller's misconfiguration).
//   - anything else (5xx, 429, 3xx, a timeout, an unreadable or oversized
//     body, a 200 that names no subject): unexpected-error (an outage).
//
// A Verifier caches per instance, keyed by the SHA-256 of the credential
// (never the credential itself):
//   - a live credential for min(CacheTTL, its expiration);
//   - a credential Clerk does not know (404, revoked, expired) for
//     NegativeTTL, so a replayed bad key costs one call per NegativeTTL.
//
// Concurrent requests with the same credential share one Backend API call.
// That call runs in its own goroutine with its own Timeout, so a caller that
// gives up (its ctx ends) frees only itself; Close cancels the calls in
// flight and waits for them, so no goroutine outlives it.
//
// Memory is bounded in bytes, not entries: each cache charges every entry
// its real cost (the fixed bookkeeping plus every string, scope and claim
// byte it keeps) and evicts the oldest entries when over its budget —
// MaxBytes (default 8 MiB) for live credentials, NegativeMaxBytes (default
// 4 MiB, about 21,000 unknown credentials) for the negative cache. An entry
// costing more than a sixteenth of its budget is not cached at all.
// TestMemoryBound fills both past their budgets and measures the heap.
//
// Neither a credential nor a secret key ever appears in an error, a log line
// or a cache key.
package machine
