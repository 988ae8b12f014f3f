// Package override holds the process-wide stand-in for ginclerk's default
// instance: the seam through which package ginclerktest makes the
// package-level WithAuth and RequireAuth trust a test key (or hand out a
// fixed Auth) for the duration of one test. ginclerk reads it on every
// request with one atomic load; only ginclerktest writes it.
//
// The value is stored as any because this package cannot name ginclerk's
// types (ginclerk imports it); ginclerk is the only reader and knows them.
package override

import "sync/atomic"

// entry is one override and who installed it, for the refusal message.
type entry struct {
	value any
	owner string
}

var current atomic.Pointer[entry]

// Load returns the override in effect, or nil.
func Load() any {
	if e := current.Load(); e != nil {
		return e.value
	}
	return nil
}

// Install makes value the override until restore is called. When another
// override is already in effect it installs nothing and returns that
// override's owner: overrides never nest, so that one test cannot silently
// undo another's.
func Install(value any, owner string) (restore func(), heldBy string, ok bool) {
	e := &entry{value: value, owner: owner}
	if !current.CompareAndSwap(nil, e) {
		if held := current.Load(); held != nil {
			return nil, held.owner, false
		}
		return Install(value, owner) // restored meanwhile: try again
	}
	return func() { current.CompareAndSwap(e, nil) }, "", true
}

// StandInKey is the gin context key under which ginclerktest.Authenticate
// marks the Auth it stored: the package-level middlewares keep such an Auth
// rather than verify the request themselves. Only server-side code can set
// a gin context key, so a client cannot forge the mark.
type StandInKey struct{}
