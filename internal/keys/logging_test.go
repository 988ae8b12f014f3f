package keys

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// TestEveryFetchIsLogged pins the cache's observability: one structured line
// per fetch — debug for a success, warn for the first failure of a streak
// and debug for the rest, info for the recovery — with the reason and the
// outcome as attributes, and never the secret key.
func TestEveryFetchIsLogged(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	clk := newFakeClock()
	logs := &logRecorder{}
	cfg := testConfig(f, clk)
	cfg.Logger = slog.New(logs)
	j := acquire(t, cfg)
	ctx := context.Background()

	_, err := j.Key(ctx, kidOf(0))
	require.NoError(t, err)
	requireOneLine(t, logs, "DEBUG ginclerk: JWKS fetched", "keys=1")

	// A cold cache for another scope, failing three times in a row.
	f.setFault(fault500)
	cfg2 := testConfig(f, clk)
	cfg2.Logger, cfg2.SecretKey = slog.New(logs), testSecret+"_2"
	f.serveKeys(t, cfg2.SecretKey, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	j2 := acquire(t, cfg2)
	for i, want := range []string{"WARN ginclerk: JWKS fetch failed", "DEBUG ginclerk: JWKS fetch still failing", "DEBUG ginclerk: JWKS fetch still failing"} {
		clk.Advance(DefaultTTL) // past any backoff
		_, err := j2.Key(ctx, kidOf(0))
		requireReason(t, err, clerkerr.JWKRemoteFailedToLoad)
		line := requireOneLine(t, logs, want, "error_reason="+clerkerr.JWKRemoteFailedToLoad, "serving_stale_keys=false")
		if i > 0 {
			assert.Contains(t, line, "failed_attempts=")
		}
	}
	f.setFault(faultNone)
	clk.Advance(DefaultTTL)
	_, err = j2.Key(ctx, kidOf(0))
	require.NoError(t, err)
	requireOneLine(t, logs, "INFO ginclerk: JWKS fetch recovered", "failed_attempts=3")
	assert.EqualValues(t, 4, j2.Stats().Fetches)
	assert.NotContains(t, logs.all(), testSecret)
}

// requireOneLine asserts that exactly one line was logged since the last
// call, that it starts with prefix and contains every attribute, and
// forgets the lines.
func requireOneLine(t *testing.T, logs *logRecorder, prefix string, attrs ...string) string {
	t.Helper()
	logs.mu.Lock()
	lines := logs.lines
	logs.lines = nil
	logs.mu.Unlock()
	require.Len(t, lines, 1, "one line per fetch:\n%s", strings.Join(lines, "\n"))
	require.True(t, strings.HasPrefix(lines[0], prefix), "%q does not start with %q", lines[0], prefix)
	for _, a := range attrs {
		assert.Contains(t, lines[0], a)
	}
	return lines[0]
}
