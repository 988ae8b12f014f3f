// Package keys supplies the RSA public keys that verify Clerk session tokens:
// a networkless PEM key (CLERK_JWT_KEY) or the Backend API JWKS fetched with
// the secret key (CLERK_SECRET_KEY), cached so that Clerk outages and floods of
// forged key ids never turn into request failures or a storm of fetches.
//
// The JWKS cache is shared process-wide per (API URL, API version, secret key):
// every ginclerk instance with that scope uses one cache. Its behaviour:
//   - Fresh keys (younger than TTL) are answered with one atomic load and a map
//     lookup: no lock, no allocation.
//   - Stale keys (older than TTL, younger than StaleFor since the last
//     success) are still answered at once; the request starts one background
//     refresh. A failed refresh keeps them in service and is retried, lazily,
//     with exponential backoff from 1 s up to TTL.
//   - No usable keys (cold start, or StaleFor exceeded): callers wait, bounded
//     by their ctx, for the one fetch in flight; during the backoff after a
//     failure they get that failure at once.
//   - An unknown kid causes at most one refetch per KidCooldown across all
//     callers; kids a refetch did not find are remembered (up to 1024, until
//     the next successful fetch) and answered jwk-kid-mismatch at once.
//
// The cache never runs a goroutine of its own between requests: a fetch
// goroutine lives at most JWKSConfig.Timeout, and the last Release cancels it
// and waits for it.
//
// Every error Key returns is a *clerkerr.Error carrying Clerk's reason code.
package keys
