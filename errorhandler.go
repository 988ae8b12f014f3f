package ginclerk

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// ErrorHandler returns a drop-in JSON error responder, the Gin counterpart of
// the error handler in Clerk's Express examples. Install it before the other
// middlewares (r.Use(ginclerk.ErrorHandler(), …)); after the chain runs, if
// an error was recorded (c.Error, c.AbortWithError) and no body written, it
// renders the last error:
//
//   - a *Error: status StatusCode (0 means 500) and body Data, or
//     {"error": Message, "reason": Reason} when Data is nil;
//   - any other error: the status already set if it is at least 400, else
//     500, and {"error": "<status text>"} — never a foreign error's message,
//     which may hold internals.
//
// Responses without errors pass through untouched. Because gin's
// AbortWithError commits the status line at once, ErrorHandler holds back
// that commit until the chain returns, so the client always receives
// Content-Type: application/json with the error body.
//
// Two interactions worth knowing: gin.Recovery aborts with a bare 500 and
// records no error, so pair ErrorHandler with gin.CustomRecovery that calls
// c.Error if panics should render as JSON too; and gin.Logger prints every
// recorded error, including each strict 401, on its access-log line.
func ErrorHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(errorHandlerRan{}, true)
		w := &deferredWriter{ResponseWriter: c.Writer}
		c.Writer = w
		defer func() { c.Writer = w.ResponseWriter }()
		c.Next()
		err := c.Errors.Last()
		if err == nil || w.ResponseWriter.Written() {
			w.commit()
			return
		}
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

// deferredWriter postpones WriteHeaderNow — which AbortWithError and
// AbortWithStatus call — until ErrorHandler knows whether it will render an
// error body. Writes of a body go straight through.
type deferredWriter struct {
	gin.ResponseWriter
	pending bool
}

// WriteHeaderNow records that the header should be committed.
func (w *deferredWriter) WriteHeaderNow() {
	if !w.ResponseWriter.Written() {
		w.pending = true
	}
}

// Written reports a held-back commit as written, so handlers that check it
// see what they would without ErrorHandler.
func (w *deferredWriter) Written() bool { return w.pending || w.ResponseWriter.Written() }

// commit performs a held-back header commit.
func (w *deferredWriter) commit() {
	if w.pending {
		w.ResponseWriter.WriteHeaderNow()
	}
}
