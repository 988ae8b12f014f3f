package ginclerk

// WithPendingSessions makes a middleware accept sessions with pending tasks
// (sts "pending": the user must still, for example, choose an organization
// or reset a password) as signed in, for the routes that let the user finish
// those tasks. SessionStatus then says "pending". Default: a pending session
// is signed out, with reason "session-pending" and SessionStatus kept, as
// Clerk's SDKs treat it. It applies to WithAuth, RequireAuth and Require;
// Require only reads the Auth stored before it, so a route that lets
// pending sessions through needs it on the authentication middleware too
// (ck.RequireAuth(WithPendingSessions()), then Require(…,
// WithPendingSessions())).
func WithPendingSessions() MiddlewareOption {
	return func(mc *middlewareConfig) { mc.acceptPending = true }
}
