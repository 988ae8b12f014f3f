package ginclerk

import (
	"log/slog"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"
)

// errorHandlerRan is the gin context key ErrorHandler sets, so that an
// aborting middleware can tell whether anything will render its error.
type errorHandlerRan struct{}

// wiringHint tells the operator, once per middleware, that it aborted a
// request with no ErrorHandler before it. Without one, gin answers the
// recorded status with an empty body, and nothing says why: the most common
// wiring mistake, and a silent one.
type wiringHint struct {
	once       sync.Once
	middleware string
}

// afterAbort logs the hint the first time this middleware aborts a request
// that ErrorHandler is not covering.
func (h *wiringHint) afterAbort(c *gin.Context, l *slog.Logger) {
	if _, ok := c.Get(errorHandlerRan{}); ok {
		return
	}
	h.once.Do(func() {
		l.Warn("ginclerk: "+h.middleware+" aborted a request and no ginclerk.ErrorHandler ran before it, so the client gets an empty "+
			strconv.Itoa(c.Writer.Status())+" response; install it first, r.Use(ginclerk.ErrorHandler(), …), "+
			"or ignore this if your own middleware renders c.Errors (logged once per middleware)",
			slog.String("route", c.FullPath()))
	})
}
