package ginclerk

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// OnErrorFunc decides what a middleware does with an authentication failure,
// as the onError option of Clerk's Express middleware does: returning a
// non-nil error aborts the request with it (status from *Error.StatusCode,
// 500 for any other error); returning nil lets the request continue signed
// out. err is always an *Error.
type OnErrorFunc func(err error) error

// DefaultOnError logs err with slog.Default() and returns nil, so the request
// continues signed out — Clerk's defaultOnError. WithAuth uses the same
// behaviour, logging to the instance's logger (WithLogger).
func DefaultOnError(err error) error {
	logAuthError(slog.Default(), err)
	return nil
}

// StrictOnError logs err with slog.Default() and returns it, so the request
// is aborted — Clerk's strictOnError. RequireAuth uses the same behaviour,
// logging to the instance's logger (WithLogger).
func StrictOnError(err error) error {
	logAuthError(slog.Default(), err)
	return err
}

// onErrorLogging returns the instance-bound default hook: it logs to the
// instance's logger and then swallows (lax) or returns (strict) the error.
// A failure is logged once however many of the instance's middlewares it
// passes through: a global WithAuth and a group's RequireAuth share one
// verdict, and so one *Error.
func (ck *Clerk) onErrorLogging(strict bool) OnErrorFunc {
	return func(err error) error {
		if e, ok := err.(*Error); !ok || !e.logged {
			logAuthError(ck.logger, err)
			if ok {
				e.logged = true
			}
		}
		if strict {
			return err
		}
		return nil
	}
}

// logAuthError logs an authentication failure without the token: anonymous
// traffic is normal, so a missing token is debug; a rejected token is warn;
// a failure on our side (keys, configuration) is error.
func logAuthError(l *slog.Logger, err error) {
	level := slog.LevelWarn
	switch {
	case errors.Is(err, ErrTokenMissing):
		level = slog.LevelDebug
	case errors.Is(err, ErrKeysUnavailable), errors.Is(err, ErrMisconfigured):
		level = slog.LevelError
	}
	ctx := context.Background()
	if !l.Enabled(ctx, level) {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		l.LogAttrs(ctx, level, "ginclerk: request not authenticated", slog.Int("status", http.StatusInternalServerError))
		return
	}
	l.LogAttrs(ctx, level, "ginclerk: request not authenticated",
		slog.String("reason", e.Reason), slog.Int("status", e.StatusCode), slog.String("message", e.Message))
}
