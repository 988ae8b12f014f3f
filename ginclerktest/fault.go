package ginclerktest

import "strconv"

// Fault is a failure the fake Backend API injects into its JWKS endpoint
// (see Server.Fail) or its verify endpoints (see Server.FailVerify). The
// zero value is FaultNone.
type Fault int

// The faults a Server can inject. Each applies to every request of its
// endpoints until the next Fail (or FailVerify) call; every such request
// still counts in Fetches (or VerifyCalls).
const (
	// FaultNone serves the keys normally.
	FaultNone Fault = iota
	// Fault500 answers 500 with a Clerk-style JSON error body.
	Fault500
	// Fault401 answers 401 even with the right secret key, as Clerk does
	// for a revoked secret key.
	Fault401
	// Fault403 answers 403 even with the right secret key.
	Fault403
	// FaultGarbage answers 200 application/json with a body that is not
	// JSON.
	FaultGarbage
	// FaultEmptySet answers 200 with a valid answer that says nothing:
	// {"keys":[]} for the JWKS, {} for a verify call.
	FaultEmptySet
	// FaultHang never answers: the handler blocks until the client gives up
	// (the request's context ends) or the server closes.
	FaultHang
	// FaultStall answers 200 and the first bytes of the key set, then
	// blocks like FaultHang: only a client whose timeout also covers
	// reading the body gets out.
	FaultStall
	// FaultHugeBody answers 200 with a 50 MiB body, streamed
	// without Content-Length: the real key set padded with whitespace, so
	// only a client that bounds the body it reads rejects it.
	FaultHugeBody
	// Fault429 answers 429 Too Many Requests with Retry-After: 1, as Clerk
	// does when rate limiting.
	Fault429
	// FaultRedirect answers 307 to the same endpoint with "?redirected=1",
	// where the normal answer waits: only a client that follows redirects
	// (and sends the secret key on) gets it.
	FaultRedirect
)

// redirected is the query parameter FaultRedirect's target carries.
const redirected = "redirected"

// hugeBodySize is the size of the FaultHugeBody response.
const hugeBodySize = 50 << 20

var faultNames = [...]string{
	FaultNone:     "FaultNone",
	Fault500:      "Fault500",
	Fault401:      "Fault401",
	Fault403:      "Fault403",
	FaultGarbage:  "FaultGarbage",
	FaultEmptySet: "FaultEmptySet",
	FaultHang:     "FaultHang",
	FaultStall:    "FaultStall",
	FaultHugeBody: "FaultHugeBody",
	Fault429:      "Fault429",
	FaultRedirect: "FaultRedirect",
}

// String returns the constant's name, for test-case names.
func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}
