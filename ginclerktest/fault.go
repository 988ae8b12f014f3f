package ginclerktest

import "strconv"

// Fault is a failure the fake Backend API injects into its JWKS endpoint;
// see Server.Fail. The zero value is FaultNone.
type Fault int

// The faults a Server can inject. Each applies to every JWKS request until
// the next Fail call; every such request still counts in Fetches.
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
	// FaultEmptySet answers 200 with a valid, empty set: {"keys":[]}.
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
)

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
}

// String returns the constant's name, for test-case names.
func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}
