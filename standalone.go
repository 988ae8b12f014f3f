package ginclerk

import (
	"context"
	"net/http"
)

// Authenticate runs the middlewares' whole pipeline on r without a
// *gin.Context — for plain net/http handlers, gRPC gateways, or a WebSocket
// handshake checked before the upgrade. The token comes from r exactly as
// the middlewares take it (Authorization: Bearer, else the __session cookie
// with Clerk's __client_uat rules); the pending-session rule, the key cache
// and the verified-token cache are the same.
//
// It always returns a non-nil *Auth: signed in, or signed out with the
// failure's Reason and Message. The error is nil when authenticated, and
// otherwise a *Error with the status and reason RequireAuth would answer
// with (401 for the client's fault, 503 or 500 for ours). Of opts, only
// WithPendingSessions and WithAcceptsToken have an effect: the failure is
// returned to the caller rather than handed to a hook, and nothing is
// logged.
func (ck *Clerk) Authenticate(r *http.Request, opts ...MiddlewareOption) (*Auth, error) {
	var mc middlewareConfig
	for _, opt := range opts {
		opt(&mc)
	}
	return ck.authenticateAlone(r, &mc)
}

// authenticateAlone is authenticate for a caller outside the gin chain.
func (ck *Clerk) authenticateAlone(r *http.Request, mc *middlewareConfig) (*Auth, error) {
	auth, failure := ck.authenticate(r, mc)
	if failure != nil {
		return auth, failure
	}
	// Not failure itself: a nil *Error in an error interface is not nil.
	return auth, nil
}

// VerifyToken verifies one credential from anywhere — a WebSocket
// subprotocol, a message from a queue, a background job — with the same
// checks, caches and results as Authenticate on a request carrying it as
// "Authorization: Bearer <token>" (the cookie rules, which need the
// request's other cookies, do not apply): a session token, or with
// WithAcceptsToken a machine credential. ctx bounds any wait for Clerk's
// signing keys or Backend API. An empty token is signed out with reason
// "session-token-and-uat-missing" (with a list of machine kinds only,
// "token-type-mismatch"). A session token outside its validity window gets
// the verifier's reasons (ReasonTokenExpired, ReasonTokenNotActiveYet,
// ReasonTokenIatInTheFuture), as Clerk's verifyToken gives them, rather than
// the request-level ones Authenticate and the middlewares give.
func (ck *Clerk) VerifyToken(ctx context.Context, token string, opts ...MiddlewareOption) (*Auth, error) {
	// A request is how the pipeline takes its input: building one keeps a
	// single implementation of the rules rather than a second to drift.
	if ctx == nil {
		ctx = context.Background()
	}
	r := (&http.Request{Header: http.Header{}}).WithContext(ctx)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	mc := middlewareConfig{tokenOnly: true}
	for _, opt := range opts {
		opt(&mc)
	}
	return ck.authenticateAlone(r, &mc)
}
