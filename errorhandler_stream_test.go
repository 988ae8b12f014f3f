package ginclerk_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorHandlerResponseController: http.ResponseController reaches the
// connection through ErrorHandler's writer.
func TestErrorHandlerResponseController(t *testing.T) {
	t.Parallel()
	far := time.Now().Add(time.Hour)
	tests := []struct {
		name string
		op   func(*http.ResponseController) error
	}{
		{"SetWriteDeadline", func(rc *http.ResponseController) error { return rc.SetWriteDeadline(far) }},
		{"SetReadDeadline", func(rc *http.ResponseController) error { return rc.SetReadDeadline(far) }},
		{"EnableFullDuplex", (*http.ResponseController).EnableFullDuplex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serveGin(t, behindErrorHandler(http.MethodPost, "/", func(c *gin.Context) {
				if err := tt.op(http.NewResponseController(c.Writer)); err != nil {
					c.String(http.StatusInternalServerError, err.Error())
					return
				}
				body, _ := io.ReadAll(c.Request.Body)
				c.String(http.StatusOK, string(body))
			}))
			resp, body := fetch(t, srv, http.MethodPost, "/", nil, strings.NewReader("body"))
			assert.Equal(t, http.StatusOK, resp.StatusCode, body)
			assert.Equal(t, "body", body)
		})
	}
}

// TestErrorHandlerServerSentEvents: an SSE handler that lifts the server's
// write deadline streams through ErrorHandler, each event reaching the
// client before the next one is produced.
func TestErrorHandlerServerSentEvents(t *testing.T) {
	t.Parallel()
	ticks := make(chan int, 1)
	srv := serveGin(t, behindErrorHandler(http.MethodGet, "/events", func(c *gin.Context) {
		// A stream outlives the server's WriteTimeout, so it lifts it.
		if err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{}); err != nil {
			_ = c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
		c.Stream(func(io.Writer) bool {
			n, ok := <-ticks
			if ok {
				c.SSEvent("tick", n)
			}
			return ok
		})
	}))

	ticks <- 1 // the first event, so the response headers can arrive
	resp, err := client(srv).Get(srv.URL + "/events")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/event-stream;charset=utf-8", resp.Header.Get("Content-Type"))

	events := bufio.NewReader(resp.Body)
	for n := 1; n <= 3; n++ {
		got, err := readEvent(events)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("event:tick|data:%d", n), got)
		if n < 3 {
			ticks <- n + 1 // produced only once event n has arrived
		}
	}
	close(ticks)
	rest, err := io.ReadAll(events)
	require.NoError(t, err)
	assert.Empty(t, rest, "the stream ends when the handler does")
}

// readEvent reads one server-sent event, its lines joined with "|".
func readEvent(r *bufio.Reader) (string, error) {
	var lines []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return strings.Join(lines, "|"), err
		}
		line = strings.TrimRight(line, "\n")
		if line == "" {
			return strings.Join(lines, "|"), nil
		}
		lines = append(lines, line)
	}
}
