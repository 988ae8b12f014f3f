package machine_test

import (
	"bytes"
	"context"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoGoroutineOutlivesClose is not parallel: it counts the process's
// goroutines. A caller gives up on a hanging call, leaving it in flight for
// its whole timeout; Close must cancel it rather than wait it out, and the
// private transport's connections must go too.
func TestNoGoroutineOutlivesClose(t *testing.T) {
	srv := ginclerktest.NewServer(t)
	healthy := srv.AddAPIKey(ginclerktest.MachineCredential{})
	baseline := runtime.NumGoroutine()

	v := machine.New(machine.Config{APIURL: srv.URL, SecretKey: srv.SecretKey, CacheTTL: machine.DefaultCacheTTL,
		Timeout: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	_, err := v.Verify(context.Background(), healthy) // leaves an idle keep-alive connection
	require.NoError(t, err)
	srv.FailVerify(ginclerktest.FaultHang)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	_, err = v.Verify(ctx, "ak_hanging")
	cancel()
	requireReason(t, err, clerkerr.UnexpectedError)
	require.Greater(t, runtime.NumGoroutine(), baseline, "the test must leave a call in flight")

	closed := make(chan struct{})
	go func() { v.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(30 * time.Second): // only a bound on a hang: the call's timeout is an hour
		t.Fatal("Close waited for the hanging call")
	}
	_, err = v.Verify(context.Background(), "ak_after_close")
	requireReason(t, err, clerkerr.UnexpectedError)

	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want at most %d:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond) // the server notices closed connections asynchronously
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoSecrets: every failure is logged, and no log line holds a
// credential or a secret key, whatever the failure.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	f := newFixture(t, func(cfg *machine.Config, srv *ginclerktest.Server) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.MachineSecretKey = srv.MachineSecretKey
	})
	tokens := []string{
		f.srv.AddAPIKey(ginclerktest.MachineCredential{}),
		f.srv.AddM2MToken(ginclerktest.MachineCredential{}),
		f.srv.AddOAuthToken(ginclerktest.MachineCredential{}),
	}
	faults := []ginclerktest.Fault{ginclerktest.Fault401, ginclerktest.Fault500, ginclerktest.Fault429,
		ginclerktest.FaultGarbage, ginclerktest.FaultEmptySet, ginclerktest.FaultHugeBody, ginclerktest.FaultRedirect}
	for _, fault := range faults {
		f.srv.FailVerify(fault)
		for _, token := range tokens {
			_, err := f.verify(t, token)
			require.Error(t, err)
		}
	}
	out := logs.String()
	assert.Equal(t, len(faults)*len(tokens), bytes.Count([]byte(out), []byte("\n")), "one line per failed call")
	for _, secret := range append(tokens, f.srv.SecretKey, f.srv.MachineSecretKey) {
		assert.NotContains(t, out, secret)
	}
}
