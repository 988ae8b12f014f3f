package ginclerk_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wsFrame is an unmasked WebSocket text frame carrying "hi", the first bytes
// a server sends on an upgraded connection.
var wsFrame = []byte{0x81, 0x02, 'h', 'i'}

// wsAccept is Sec-WebSocket-Accept for the key the test client sends.
const (
	wsKey    = "dGhlIHNhbXBsZSBub25jZQ=="
	wsAccept = "s3pPLMBiTxaQ9kxoGzzhZRbK+xOo="
)

// coderUpgrade upgrades the way coder/websocket does under gin: the 101 is
// chosen and committed through gin's writer, then the connection is
// hijacked, and net/http sends the committed header on Hijack.
func coderUpgrade(c *gin.Context) {
	c.Header("Upgrade", "websocket")
	c.Header("Connection", "Upgrade")
	c.Header("Sec-WebSocket-Accept", wsAccept)
	c.Writer.WriteHeader(http.StatusSwitchingProtocols)
	c.Writer.WriteHeaderNow()
	conn, brw, err := c.Writer.Hijack()
	if err != nil {
		_ = c.Error(err)
		return
	}
	defer conn.Close()
	_, _ = brw.Write(wsFrame)
	_ = brw.Flush()
}

// gorillaUpgrade upgrades the way gorilla/websocket does: hijack first,
// then write the 101 response on the connection itself.
func gorillaUpgrade(c *gin.Context) {
	conn, _, err := c.Writer.Hijack()
	if err != nil {
		_ = c.Error(err)
		return
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"+
		"Connection: Upgrade\r\nSec-WebSocket-Accept: "+wsAccept+"\r\n\r\n")
	_, _ = conn.Write(wsFrame)
}

// TestErrorHandlerWebSocketUpgrade: behind ErrorHandler, both upgrade styles
// deliver "101 Switching Protocols" and the first frame to a raw client.
func TestErrorHandlerWebSocketUpgrade(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler gin.HandlerFunc
	}{
		{"coder/websocket: WriteHeader, WriteHeaderNow, Hijack", coderUpgrade},
		{"gorilla/websocket: Hijack, then write the 101", gorillaUpgrade},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serveGin(t, behindErrorHandler(http.MethodGet, "/ws", tt.handler))

			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(hangBound)))
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/ws", nil)
			require.NoError(t, err)
			req.Header.Set("Upgrade", "websocket")
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Sec-WebSocket-Key", wsKey)
			req.Header.Set("Sec-WebSocket-Version", "13")
			require.NoError(t, req.Write(conn))

			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, req)
			require.NoError(t, err, "the client must receive the 101")
			assert.Equal(t, "101 Switching Protocols", resp.Status)
			assert.Equal(t, "websocket", resp.Header.Get("Upgrade"))
			assert.Equal(t, wsAccept, resp.Header.Get("Sec-WebSocket-Accept"))
			frame := make([]byte, len(wsFrame))
			_, err = io.ReadFull(br, frame)
			require.NoError(t, err)
			assert.Equal(t, wsFrame, frame)
		})
	}
}
