//go:build !race

// The race detector doubles every frame and the runtime's stack guard, so
// stack sizes mean something only without it; make test runs this file in
// a pass of its own.

package ginclerk_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/benchkit"
	"github.com/stretchr/testify/require"
)

// TestFirstSightFitsTheFloorsStack serves requests on one keep-alive
// connection of a real server, so on one goroutine, and checks that a
// token's first sight fits in the 8 KiB of stack the floor middleware
// fits in. A goroutine whose stack had to grow for a request loses the
// growth at the next garbage collection, which halves the stacks of idle
// goroutines, and grows it again on its next first sight: a copy of the
// whole stack on the hot path of a busy server.
//
// A probe in front of each route notes the address of one of its locals
// before and after the rest of the chain: the runtime grows a stack by
// moving it, so a changed address means the chain grew it. No collection
// runs meanwhile, so the stack never shrinks, and a last request measures
// how far the stack could have grown without moving: under 8 KiB. The
// test runs in a child process whose goroutines all start with the
// runtime's smallest stack (GODEBUG=adaptivestackstart=0), so that the
// connection's stack is only as large as its requests made it, whatever
// ran before in the test binary.
func TestFirstSightFitsTheFloorsStack(t *testing.T) {
	if os.Getenv(stackChild) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFirstSightFitsTheFloorsStack$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), stackChild+"=1", "GODEBUG="+strings.Trim(os.Getenv("GODEBUG")+",adaptivestackstart=0", ","))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "--- PASS: TestFirstSightFitsTheFloorsStack", "%s", out)
		return
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	gin.SetMode(gin.ReleaseMode)
	defer gin.SetMode(gin.TestMode)

	key := ginclerktest.NewKey(t)
	newClerk := func(opts ...ginclerk.Option) *ginclerk.Clerk {
		opts = append(append(key.Options(), ginclerk.WithLogger(slog.New(slog.DiscardHandler))), opts...)
		ck, err := ginclerk.New(opts...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = ck.Close() })
		return ck
	}
	var (
		mu       sync.Mutex
		moved    = map[string]int{}
		headroom int
	)
	probe := func(c *gin.Context) {
		var local byte
		at := uintptr(unsafe.Pointer(&local))
		c.Next()
		if uintptr(unsafe.Pointer(&local)) != at {
			mu.Lock()
			moved[c.Request.URL.Path]++
			mu.Unlock()
		}
	}
	noContent := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	r := gin.New()
	r.GET("/floor", probe, benchkit.Floor(&key.Private.PublicKey), noContent)
	r.GET("/cached", probe, newClerk().RequireAuth(), noContent)
	r.GET("/uncached", probe, newClerk(ginclerk.WithTokenCacheBytes(0)).RequireAuth(), noContent)
	r.GET("/headroom", func(c *gin.Context) {
		room := stackHeadroom()
		mu.Lock()
		headroom = room
		mu.Unlock()
		c.Status(http.StatusNoContent)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer client.CloseIdleConnections()

	get := func(path, token string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusNoContent, resp.StatusCode, path)
	}
	mint := func(i int) string {
		return key.Mint(t, append(benchkit.SessionClaims(time.Now(), time.Hour), ginclerktest.SessionID("sess_"+strconv.Itoa(i)))...)
	}
	get("/floor", mint(0)) // may grow the stack to what the floor needs
	mu.Lock()
	clear(moved)
	mu.Unlock()
	for i := 1; i <= 3; i++ {
		get("/cached", mint(i)) // a first sight each
		get("/cached", mint(i)) // seen before
		get("/uncached", mint(i))
	}
	get("/floor", mint(0))
	get("/headroom", "")
	mu.Lock()
	defer mu.Unlock()
	require.Zero(t, moved["/floor"], "the floor's second request grew the stack: the probe is not watching one goroutine")
	require.Zero(t, moved["/cached"], "a first sight with the token cache grew the stack past the floor's")
	require.Zero(t, moved["/uncached"], "a first sight without the token cache grew the stack past the floor's")
	require.Less(t, headroom, 8<<10, "the connection's stack is larger than 8 KiB: the probes could not have seen it grow")
}

// stackChild names the environment variable that marks the child process.
const stackChild = "GINCLERK_STACK_TEST_CHILD"

// stackHeadroom returns about how many bytes of stack the calling goroutine
// can use before the runtime must grow its stack: it descends in frames of
// some 256 bytes until its stack moves.
func stackHeadroom() int {
	var local byte
	at := uintptr(unsafe.Pointer(&local))
	for n := 1; ; n++ {
		descend(n)
		if uintptr(unsafe.Pointer(&local)) != at {
			return (n - 1) * 256
		}
	}
}

// descend calls itself to depth n, each call with a 256-byte frame.
//
//go:noinline
func descend(n int) byte {
	var frame [256]byte
	frame[n%len(frame)] = byte(n)
	if n > 1 {
		frame[0] += descend(n - 1)
	}
	return frame[0]
}
