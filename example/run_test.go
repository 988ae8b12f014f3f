//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startBound and stopBound bound `make run` (a build, then start-up) and
// its shutdown should either hang; they are never part of what the test
// expects. A clean shutdown takes at most shutdownTimeout.
const (
	startBound = 5 * time.Minute
	stopBound  = shutdownTimeout + time.Minute
)

// watchWriter collects output and closes seen once it contains marker.
type watchWriter struct {
	marker string
	seen   chan struct{}
	mu     sync.Mutex
	out    strings.Builder
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.out.String(), w.marker)
	w.out.Write(p)
	if !had && strings.Contains(w.out.String(), w.marker) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.String()
}

// tail is the last lines of w's output, for failure messages: the start-up
// banner above them holds a development token.
func (w *watchWriter) tail() string {
	lines := strings.Split(strings.TrimSpace(w.String()), "\n")
	return strings.Join(lines[max(0, len(lines)-4):], "\n")
}

// TestMakeRunCtrlC runs `make run` in its own process group and interrupts
// the group as a terminal's Ctrl-C does, once the server listens. The app
// shuts down cleanly and make reports no error: a background make (SIGINT
// ignored, as shells start background jobs) exits 0; an interactive one
// exits 0 or re-raises the SIGINT on itself once its recipe is done, as
// make does.
func TestMakeRunCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example")
	}
	for _, tool := range []string{"make", "go", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	tests := []struct {
		name        string
		argv        []string
		interrupted bool // make itself ends by SIGINT
	}{
		{"background job", []string{"sh", "-c", `trap '' INT; exec make "$@"`, "sh"}, false},
		{"terminal", []string{"make"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			argv := append(tt.argv, "--no-print-directory", "run", "RUNBIN="+t.TempDir()+"/example")
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = ".."
			cmd.Env = append(environWithout("CLERK_", "MAKE", "MFLAGS", "PORT=", "HOST="), "PORT=0", "HOST=127.0.0.1")
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			out := &watchWriter{marker: "INFO listening", seen: make(chan struct{})}
			cmd.Stdout, cmd.Stderr = out, out
			require.NoError(t, cmd.Start())
			group := -cmd.Process.Pid
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			started := time.NewTimer(startBound)
			defer started.Stop()
			select {
			case <-out.seen:
			case err := <-done:
				t.Fatalf("make run ended before listening: %v\n%s", err, out.tail())
			case <-started.C:
				_ = syscall.Kill(group, syscall.SIGKILL)
				t.Fatalf("make run did not listen within %v\n%s", startBound, out.tail())
			}
			require.NoError(t, syscall.Kill(group, syscall.SIGINT))
			stopped := time.NewTimer(stopBound)
			defer stopped.Stop()
			var err error
			select {
			case err = <-done:
			case <-stopped.C:
				_ = syscall.Kill(group, syscall.SIGKILL)
				t.Fatalf("make run did not stop within %v\n%s", stopBound, out.tail())
			}

			assert.True(t, strings.Contains(out.String(), "shutting down"), "a graceful shutdown:\n%s", out.tail())
			assert.False(t, strings.Contains(out.String(), "Error"), "make reports no failure:\n%s", out.tail())
			if !tt.interrupted {
				assert.NoError(t, err, out.tail())
				return
			}
			// GNU make re-raises the terminal's SIGINT on itself once its
			// recipe has ended, or exits 0 when the recipe ended first: the
			// shell prints no error either way.
			var exit *exec.ExitError
			if err != nil {
				require.True(t, errors.As(err, &exit), "%v", err)
				status, ok := exit.Sys().(syscall.WaitStatus)
				require.True(t, ok)
				assert.True(t, status.Signaled() && status.Signal() == syscall.SIGINT, "make's status: %v\n%s", err, out.tail())
			}
		})
	}
}

// environWithout is the process environment less the variables whose
// names start with one of prefixes.
func environWithout(prefixes ...string) []string {
	var env []string
next:
	for _, kv := range os.Environ() {
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		env = append(env, kv)
	}
	return env
}
