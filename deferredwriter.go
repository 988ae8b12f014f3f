package ginclerk

import (
	"bufio"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// deferredWriter is the c.Writer that ErrorHandler installs. It holds back
// WriteHeaderNow — which AbortWithError and AbortWithStatus call — so that
// ErrorHandler can still choose the status and Content-Type of an error
// body. Otherwise it is invisible: every way of reaching the client (Write,
// Flush, Hijack, CloseNotify, Pusher) first performs a held-back commit,
// which is where gin would already have performed it, and Unwrap lets
// http.ResponseController reach the connection.
type deferredWriter struct {
	gin.ResponseWriter
	// held: WriteHeaderNow was called and its commit not yet performed.
	held bool
	// chosen: the chain chose a status with WriteHeader.
	chosen bool
}

// WriteHeader records that the chain chose a status. Once a commit is held
// back the status stands, as it does in gin once committed, so a later
// WriteHeader (gin.Recovery's 500 after an AbortWithError(401, …)) changes
// nothing — and causes no "headers were already written" warning.
func (w *deferredWriter) WriteHeader(code int) {
	if w.held || code <= 0 {
		return
	}
	w.chosen = true
	w.ResponseWriter.WriteHeader(code)
}

// WriteHeaderNow holds the commit back until the body, the stream or the
// connection is used, or until ErrorHandler has decided.
func (w *deferredWriter) WriteHeaderNow() {
	if !w.ResponseWriter.Written() {
		w.held = true
	}
}

// Written reports a held-back commit as written, so handlers that check it
// see what they would without ErrorHandler.
func (w *deferredWriter) Written() bool { return w.held || w.ResponseWriter.Written() }

// Size is 0 for a held-back commit, as gin reports a committed empty body.
func (w *deferredWriter) Size() int {
	if w.held {
		return 0
	}
	return w.ResponseWriter.Size()
}

// Write performs a held-back commit, then writes.
func (w *deferredWriter) Write(b []byte) (int, error) {
	w.commit()
	return w.ResponseWriter.Write(b)
}

// WriteString performs a held-back commit, then writes.
func (w *deferredWriter) WriteString(s string) (int, error) {
	w.commit()
	return w.ResponseWriter.WriteString(s)
}

// Flush performs a held-back commit, then flushes.
func (w *deferredWriter) Flush() {
	w.commit()
	w.ResponseWriter.Flush()
}

// Hijack performs a held-back commit before handing the connection over:
// net/http sends a committed header (a 101 Switching Protocols) on Hijack,
// and a WebSocket upgrade under gin relies on that.
func (w *deferredWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.commit()
	return w.ResponseWriter.Hijack()
}

// CloseNotify performs a held-back commit: the caller is about to stream.
func (w *deferredWriter) CloseNotify() <-chan bool {
	w.commit()
	return w.ResponseWriter.CloseNotify()
}

// Pusher performs a held-back commit, then returns gin's http.Pusher (nil
// when the connection cannot push).
func (w *deferredWriter) Pusher() http.Pusher {
	w.commit()
	return w.ResponseWriter.Pusher()
}

// Unwrap returns gin's writer, so that http.ResponseController reaches the
// connection (SetReadDeadline, SetWriteDeadline, EnableFullDuplex).
func (w *deferredWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// commit performs a held-back header commit.
func (w *deferredWriter) commit() {
	if w.held {
		w.held = false
		w.ResponseWriter.WriteHeaderNow()
	}
}

// errorReplaces reports whether a recorded error should replace what the
// chain answered. Never once anything reached the client. Otherwise yes
// for an error status (≥ 400) or when no status was chosen at all; and yes
// when the chain aborted after choosing a 2xx that promises a body and
// wrote none — how gin reports a body it failed to render. A response the
// chain finished on purpose passes: a 1xx–3xx it committed, a 204, a
// redirect, a HEAD.
func (w *deferredWriter) errorReplaces(c *gin.Context) bool {
	if w.ResponseWriter.Written() {
		return false
	}
	status := w.Status()
	switch {
	case status >= http.StatusBadRequest, !w.chosen && !w.held:
		return true
	case w.held || !c.IsAborted():
		return false
	}
	return status >= 200 && status < 300 && status != http.StatusNoContent &&
		c.Request.Method != http.MethodHead
}
