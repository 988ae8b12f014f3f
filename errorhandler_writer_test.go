package ginclerk_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/stretchr/testify/assert"
)

// tracingWriter is an http.ResponseWriter with every optional interface
// gin's writer can hand on, recording the order of the calls it receives.
type tracingWriter struct {
	header http.Header
	calls  []string
}

func (w *tracingWriter) Header() http.Header { return w.header }
func (w *tracingWriter) WriteHeader(code int) {
	w.calls = append(w.calls, fmt.Sprint("WriteHeader ", code))
}

func (w *tracingWriter) Write(b []byte) (int, error) {
	w.calls = append(w.calls, "Write "+string(b))
	return len(b), nil
}
func (w *tracingWriter) Flush() { w.calls = append(w.calls, "Flush") }
func (w *tracingWriter) CloseNotify() <-chan bool {
	w.calls = append(w.calls, "CloseNotify")
	return nil
}

func (w *tracingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.calls = append(w.calls, "Hijack")
	return nil, nil, http.ErrNotSupported
}

func (w *tracingWriter) Push(target string, _ *http.PushOptions) error {
	w.calls = append(w.calls, "Push "+target)
	return nil
}

// TestErrorHandlerCommitsBeforeHandingOn: a handler that committed its
// status with WriteHeaderNow and then uses the response in any way reaches
// the underlying writer in the same order with and without ErrorHandler —
// the held-back commit is performed first.
func TestErrorHandlerCommitsBeforeHandingOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		use  func(gin.ResponseWriter)
	}{
		{"Write", func(w gin.ResponseWriter) { _, _ = w.Write([]byte("x")) }},
		{"WriteString", func(w gin.ResponseWriter) { _, _ = w.WriteString("x") }},
		{"Flush", func(w gin.ResponseWriter) { w.Flush() }},
		{"Hijack", func(w gin.ResponseWriter) { _, _, _ = w.Hijack() }},
		{"CloseNotify", func(w gin.ResponseWriter) { w.CloseNotify() }},
		{"Pusher", func(w gin.ResponseWriter) { _ = w.Pusher().Push("/app.css", nil) }},
		{"ResponseController.Flush", func(w gin.ResponseWriter) { _ = http.NewResponseController(w).Flush() }},
		{"ResponseController.Hijack", func(w gin.ResponseWriter) { _, _, _ = http.NewResponseController(w).Hijack() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			calls := func(middlewares ...gin.HandlerFunc) []string {
				r := gin.New()
				r.Use(middlewares...)
				r.GET("/", func(c *gin.Context) {
					c.Writer.WriteHeader(http.StatusAccepted)
					c.Writer.WriteHeaderNow()
					tt.use(c.Writer)
				})
				w := &tracingWriter{header: http.Header{}}
				r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
				return w.calls
			}
			want := calls()
			assert.Equal(t, "WriteHeader 202", want[0], "gin commits at once")
			assert.Equal(t, want, calls(ginclerk.ErrorHandler()))
		})
	}
}
