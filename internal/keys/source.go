package keys

import (
	"context"
	"crypto/rsa"
)

// Source supplies the key that verifies a session token's signature.
// Implementations are safe for concurrent use.
type Source interface {
	// Key returns the verification key for kid (a PEM source ignores kid).
	// Errors are *clerkerr.Error with reason jwk-kid-mismatch,
	// jwk-remote-failed-to-load or secret-key-invalid; ctx bounds how long the
	// caller waits for a fetch, never the fetch itself (other callers may be
	// waiting on it too). The returned key is shared: callers must not modify it.
	Key(ctx context.Context, kid string) (*rsa.PublicKey, error)
}

// Static returns a Source that always answers k, whatever the kid: Clerk's
// networkless verification uses the instance's single PEM key and never
// looks at the token's kid. It panics if k is nil, a programmer error that
// must surface at construction rather than on the first request.
func Static(k *rsa.PublicKey) Source {
	if k == nil {
		panic("keys: Static needs a non-nil key")
	}
	return staticSource{k: k}
}

// staticSource is the networkless PEM source; a value type so that Key does
// not allocate.
type staticSource struct{ k *rsa.PublicKey }

// Key implements Source; it never fails.
func (s staticSource) Key(context.Context, string) (*rsa.PublicKey, error) { return s.k, nil }
