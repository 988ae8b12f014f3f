package ginclerk

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// ErrorHandler returns a drop-in JSON error responder, the Gin counterpart of
// the error handler in Clerk's Express examples. Install it after gin.Logger
// and before every other middleware, the recovery included:
//
//	r.Use(gin.Logger(), ginclerk.ErrorHandler(), gin.CustomRecovery(…), clerk.WithAuth())
//
// After the chain runs it renders the last recorded error (c.Error,
// c.AbortWithError):
//
//   - a *Error: status StatusCode (0 means 500) and body Data, or
//     {"error": Message, "reason": Reason} when Data is nil;
//   - any other error: the status already set if it is at least 400, else
//     500, and {"error": "<status text>"} — never a foreign error's message,
//     which may hold internals.
//
// A recorded error replaces the response only when nothing has been written
// and the status is an error (≥ 400), or no status was chosen at all, or the
// chain aborted after choosing a 2xx whose body it never wrote (how gin
// reports a body that failed to render). An error recorded only to be
// logged leaves a response the chain finished on purpose as it is — a 204,
// a redirect, a 304, a HEAD, an AbortWithStatus below 400 — and responses
// without errors always pass through.
//
// gin's AbortWithError and AbortWithStatus commit the status line at once;
// ErrorHandler holds that commit back until the chain returns, so that an
// error body still goes out with Content-Type: application/json. The hold is
// otherwise invisible: the commit is performed before any body write, Flush,
// Hijack (the 101 of a WebSocket upgrade), CloseNotify or Pusher, and
// http.ResponseController works through c.Writer. As in gin, a committed
// status stands: a later WriteHeader does not change a held-back one.
//
// With gin's recovery and logger:
//
//   - ErrorHandler outside the recovery (as above): a panic after a held-back
//     status keeps that status, rendered from the last error; a panic before
//     any is a JSON 500 with a gin.CustomRecovery that records it
//     (c.AbortWithError), but a bare 500 with gin.Recovery, which records no
//     error.
//   - ErrorHandler inside the recovery: the panic unwinds through it, the
//     held-back commit is dropped, and the client gets the recovery's bare
//     500.
//   - gin.Logger outside ErrorHandler records the status and body size the
//     client receives; inside, it runs before the error body is rendered and
//     records the chain's status and no body. Either way it prints every
//     recorded error, each strict 401 included, on its access-log line.
func ErrorHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(errorHandlerRan{}, true)
		w := &deferredWriter{ResponseWriter: c.Writer}
		c.Writer = w
		defer func() { c.Writer = w.ResponseWriter }()
		c.Next()
		err := c.Errors.Last()
		if err == nil || !w.errorReplaces(c) {
			w.commit()
			return
		}
		// The held-back commit, if any, is dropped: the error body replaces it.
		c.Writer = w.ResponseWriter
		status, body := errorResponse(err.Err, w.Status())
		c.JSON(status, body)
	}
}

// errorResponse is the status and JSON body ErrorHandler renders for err.
func errorResponse(err error, current int) (int, any) {
	var e *Error
	if errors.As(err, &e) {
		status := e.StatusCode
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if e.Data != nil {
			return status, e.Data
		}
		return status, gin.H{"error": e.Message, "reason": e.Reason}
	}
	status := current
	if status < http.StatusBadRequest {
		status = http.StatusInternalServerError
	}
	return status, gin.H{"error": http.StatusText(status)}
}
