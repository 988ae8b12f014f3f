package ginclerk

import "github.com/gin-gonic/gin"

// verdict records, on the Auth a middleware stores, which instance produced
// it and under which pending-session and accepted-kind rules, so that a later middleware of the
// same instance on the same request — the usual global WithAuth plus a
// group's RequireAuth — reuses it instead of verifying the token again.
type verdict struct {
	by            *Clerk
	acceptPending bool
	accepts       acceptSet
	failure       *Error
}

// verdictFor returns the request's authentication: the one this instance
// already stored under the same rule, or a fresh one, which it stores (with
// the signed-out headers when it failed).
func (ck *Clerk) verdictFor(c *gin.Context, mc *middlewareConfig) (*Auth, *Error) {
	v, replacing := c.Get(AuthKey)
	if a, ok := v.(*Auth); ok && a != nil && a.verdict.by == ck && a.verdict.acceptPending == mc.acceptPending &&
		a.verdict.accepts == mc.accepts {
		return a, a.verdict.failure
	}
	auth, failure := ck.authenticate(c.Request, mc)
	vd := &auth.verdict // field by field, as newAuth fills the Auth
	vd.by, vd.acceptPending, vd.accepts, vd.failure = ck, mc.acceptPending, mc.accepts, failure
	room := auth.room
	auth.room = nil // used once: a second attach through it would loop
	if room == nil {
		room = new(binding)
	}
	room.attach(c, auth)
	switch {
	case failure != nil:
		markSignedOut(c.Writer.Header(), failure)
	case replacing:
		// An earlier middleware may have marked the response signed out
		// (a lax WithAuth refusing a pending session that this one
		// accepts): the headers must describe the Auth the handler sees.
		clearSignedOut(c.Writer.Header())
	}
	return auth, failure
}
