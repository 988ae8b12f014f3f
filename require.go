package ginclerk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// RequireOption configures Require: a Check the request must pass, or a
// MiddlewareOption (WithOnError, WithPendingSessions, WithAcceptsToken).
type RequireOption interface{ applyRequire(*requireConfig) }

type requireConfig struct {
	checks []Check
	mc     middlewareConfig
}

func (c Check) applyRequire(rc *requireConfig) { rc.checks = append(rc.checks, c) }

func (o MiddlewareOption) applyRequire(rc *requireConfig) { o(&rc.mc) }

// Require returns an authorization middleware for routes and groups: it
// reads the Auth a preceding WithAuth or RequireAuth stored (see GetAuth)
// and lets the request through only when Auth.Has(checks...) is true. Every
// Check given must pass; use AnyOf for alternatives.
//
//   - not authenticated: a *Error with the Auth's own reason and status (401 for
//     a missing or bad token, 503 or 500 when the fault is ours);
//   - a pending session (sts "pending"): 401, reason "session-pending",
//     unless WithPendingSessions is among opts. Require judges the Auth it
//     is given: a pending session passes only when the authentication
//     middleware before it was also given WithPendingSessions, since
//     otherwise that middleware already stored it signed out;
//   - with WithAcceptsToken among opts, a credential of another kind: 401,
//     reason "token-type-mismatch". Without it, Require takes whatever
//     kind the authentication middleware before it accepted;
//   - authenticated but a check fails: 403, reason "forbidden" (ErrForbidden).
//     When only reverification checks fail, the body also carries the
//     clerk_error hint Clerk's frontend (useReverification) acts on.
//
// Failures go to the onError hook (WithOnError) as in RequireAuth; the
// default logs at debug level and aborts with the error, for ErrorHandler
// to render. Require panics when given no Check or a Check that can never
// pass (an empty role, an unknown reverification preset, …): those are
// programming errors, caught when routes are set up.
func Require(opts ...RequireOption) gin.HandlerFunc {
	rc := requireConfig{mc: middlewareConfig{onError: refusalOnError}}
	for _, opt := range opts {
		if opt == nil {
			panic("ginclerk: Require: nil option")
		}
		opt.applyRequire(&rc)
	}
	if len(rc.checks) == 0 {
		panic("ginclerk: Require needs at least one Check")
	}
	for _, c := range rc.checks {
		if err := c.validate(); err != nil {
			panic("ginclerk: Require: " + err.Error())
		}
	}
	hint := &wiringHint{middleware: "Require"}
	return func(c *gin.Context) {
		refusal := rc.authorize(GetAuth(c))
		if refusal == nil {
			c.Next()
			return
		}
		if err := rc.mc.onError(refusal); err != nil {
			abortRefused(c, err)
			hint.afterAbort(c, slog.Default())
			return
		}
		c.Next()
	}
}

// RequireOrg returns Require(ActiveOrg()): 403 for a signed-in session with
// no active organization.
func RequireOrg(opts ...MiddlewareOption) gin.HandlerFunc {
	return Require(withOptions([]RequireOption{ActiveOrg()}, opts)...)
}

// RequireRole returns a Require that passes when the active organization
// role is any of roles (a user has one role per organization, so "any" is
// the only useful reading), with or without Clerk's "org:" prefix. It panics
// without roles. For a custom onError, use Require(AnyOf(Role(…), …),
// WithOnError(…)).
func RequireRole(roles ...string) gin.HandlerFunc {
	if len(roles) == 0 {
		panic("ginclerk: RequireRole needs at least one role")
	}
	checks := make([]Check, len(roles))
	for i, r := range roles {
		checks[i] = Role(r)
	}
	return Require(AnyOf(checks...))
}

// RequirePermission returns a Require that passes when the active
// organization grants every one of permissions, e.g.
// RequirePermission("org:invoices:read"). It panics without permissions.
// For "any of", use Require(AnyOf(Permission(…), …)).
func RequirePermission(permissions ...string) gin.HandlerFunc {
	return requireEvery("RequirePermission", Permission, permissions)
}

// requireEvery returns a Require of check(name) for every one of names,
// panicking without names.
func requireEvery(caller string, check func(string) Check, names []string) gin.HandlerFunc {
	if len(names) == 0 {
		panic("ginclerk: " + caller + " needs at least one name")
	}
	opts := make([]RequireOption, len(names))
	for i, n := range names {
		opts[i] = check(n)
	}
	return Require(opts...)
}

func withOptions(opts []RequireOption, mopts []MiddlewareOption) []RequireOption {
	for _, o := range mopts {
		opts = append(opts, o)
	}
	return opts
}

// authorize returns why a may not pass, or nil.
func (rc *requireConfig) authorize(a *Auth) *Error {
	if !a.IsAuthenticated() {
		return notSignedIn(a)
	}
	if rc.mc.accepts.kinds != 0 && !rc.mc.accepts.has(a.tokenType()) {
		return failure(clerkerr.TokenTypeMismatch, "credential of type "+string(a.tokenType())+" not accepted here")
	}
	if a.SessionStatus == "pending" && !rc.mc.acceptPending {
		return failure(clerkerr.SessionPending, "session has pending tasks")
	}
	var reverify *Check
	for i, c := range rc.checks {
		if c.passes(a) {
			continue
		}
		if c.kind != checkReverification {
			return forbidden(c)
		}
		if reverify == nil {
			reverify = &rc.checks[i]
		}
	}
	if reverify != nil {
		return reverificationRequired(*reverify)
	}
	return nil
}

// forbidden is the refusal for a failed check. The client learns that it
// was refused, not which rule refused it; the cause (Err) names the check
// for logs.
func forbidden(c Check) *Error {
	return &Error{
		StatusCode: http.StatusForbidden,
		Reason:     ReasonForbidden,
		Message:    "the request is not authorized for this resource",
		Err:        fmt.Errorf("ginclerk: failed check: %s", c),
	}
}

// reverificationRequired is the refusal when only reverification is
// missing. Its body adds the clerk_error object Clerk's reverificationError
// produces, so Clerk's frontend can prompt the user and retry.
func reverificationRequired(c Check) *Error {
	e := forbidden(c)
	e.Message = "the session must be reverified"
	e.Data = reverificationBody{
		Error:  e.Message,
		Reason: e.Reason,
		ClerkError: clerkErrorBody{
			Type:     "forbidden",
			Reason:   "reverification-error",
			Metadata: reverificationMetadata{Reverification: c.reverify.hint()},
		},
	}
	return e
}

type reverificationBody struct {
	Error      string         `json:"error"`
	Reason     string         `json:"reason"`
	ClerkError clerkErrorBody `json:"clerk_error"`
}

type clerkErrorBody struct {
	Type     string                 `json:"type"`
	Reason   string                 `json:"reason"`
	Metadata reverificationMetadata `json:"metadata"`
}

type reverificationMetadata struct {
	Reverification any `json:"reverification"`
}

// abortRefused aborts like the authentication middlewares, adding the RFC
// 6750 §3.1 challenge for a 403.
func abortRefused(c *gin.Context, err error) {
	var e *Error
	if errors.As(err, &e) && e.StatusCode == http.StatusForbidden {
		c.Header("WWW-Authenticate", `Bearer realm="clerk", error="insufficient_scope"`)
	}
	abort(c, err)
}

// refusalOnError is Require's default hook: authentication failures were
// already logged by the middleware that verified the token, and refusals
// are routine, so it logs at debug level and aborts.
func refusalOnError(err error) error {
	l := slog.Default()
	ctx := context.Background()
	if l.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{slog.String("error", err.Error())}
		var e *Error
		if errors.As(err, &e) {
			attrs = []slog.Attr{slog.String("reason", e.Reason), slog.Int("status", e.StatusCode)}
			if e.Err != nil {
				attrs = append(attrs, slog.String("cause", e.Err.Error()))
			}
		}
		l.LogAttrs(ctx, slog.LevelDebug, "ginclerk: request refused", attrs...)
	}
	return err
}
