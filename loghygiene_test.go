package ginclerk_test

import (
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logSpy is the sink of a slog text handler that checks every line as it is
// written: no forbidden string (tokens, signatures, secret keys the test
// registered) and nothing that looks like a token or a secret — a JWT
// segment starts with "eyJ" (base64 of `{"`), and any run of 40 or more
// base64url characters is long enough to be a signature or a secret key.
// It keeps only a bounded number of recent lines, so it can watch a soak.
type logSpy struct {
	mu         sync.Mutex
	forbidden  []string
	lines      int
	levels     map[string]int
	recent     []string
	violations []string
}

// tokenish matches what a leaked token or secret key would look like.
var tokenish = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}|[A-Za-z0-9_-]{40,}`)

// reasonCode matches a whole run that is a reason code, lowercase words
// joined by hyphens ("session-token-expired-refresh-…"): long, but nothing
// a token, a signature or a secret key looks like.
var reasonCode = regexp.MustCompile(`^[a-z]+(-[a-z]+)+$`)

// tokenLike returns the first token-like run of line that is not a reason
// code.
func tokenLike(line string) string {
	for _, m := range tokenish.FindAllString(line, -1) {
		if !reasonCode.MatchString(m) {
			return m
		}
	}
	return ""
}

const spyKeep = 1000

func newLogSpy() *logSpy { return &logSpy{levels: map[string]int{}} }

// logger returns a debug-level logger writing to s.
func (s *logSpy) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// forbid registers strings that must never appear in a log line.
func (s *logSpy) forbid(strs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, str := range strs {
		if str != "" {
			s.forbidden = append(s.forbidden, str)
		}
	}
}

// Write receives one formatted record (slog handlers write each record in
// one call).
func (s *logSpy) Write(p []byte) (int, error) {
	line := string(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines++
	if _, rest, ok := strings.Cut(line, "level="); ok {
		level, _, _ := strings.Cut(rest, " ")
		s.levels[level]++
	}
	if len(s.recent) < spyKeep {
		s.recent = append(s.recent, line)
	}
	for _, f := range s.forbidden {
		if strings.Contains(line, f) {
			s.violate("a forbidden string (%d bytes)", len(f), line)
		}
	}
	if m := tokenLike(line); m != "" {
		s.violate("something token-like (%d bytes)", len(m), line)
	}
	return len(p), nil
}

func (s *logSpy) violate(what string, n int, line string) {
	if len(s.violations) < 20 {
		// Report the line with its token-like runs cut, so that the
		// failure message does not leak what it complains about.
		cut := tokenish.ReplaceAllStringFunc(line, func(m string) string { return m[:6] + "…" })
		s.violations = append(s.violations, strings.Replace(what, "%d", strconv.Itoa(n), 1)+": "+cut)
	}
}

// take returns the lines written since the last take and forgets them.
func (s *logSpy) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := s.recent
	s.recent = nil
	return lines
}

// leaks returns the violations found since the last call and forgets them.
func (s *logSpy) leaks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.violations
	s.violations = nil
	return v
}

// check fails t if any line leaked, and returns the line count.
func (s *logSpy) check(t *testing.T) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Empty(t, s.violations, "log lines leak tokens or secrets")
	return s.lines
}

// useDefaultLogger points slog.Default at l for the rest of the test.
// Tests using it must not be parallel.
func useDefaultLogger(t *testing.T, l *slog.Logger) {
	old := slog.Default()
	slog.SetDefault(l)
	t.Cleanup(func() { slog.SetDefault(old) })
}

// TestLogHygiene sends the whole attack table, valid tokens and a Backend
// API that fails in every way through both middlewares, with the instance
// logger and the default hooks (which log to slog.Default) both captured,
// and asserts that no token, signature or secret key reaches a log line.
// Not parallel: it replaces slog.Default.
func TestLogHygiene(t *testing.T) {
	spy := newLogSpy()
	useDefaultLogger(t, spy.logger())
	kit := newAttackKit(t)
	pem, jwks, srv := kit.attackClerks(t, ginclerk.WithLogger(spy.logger()))
	spy.forbid(srv.SecretKey)

	rows := kit.attacks(t)
	for _, a := range rows {
		spy.forbid(a.secrets()...)
	}
	for _, a := range rows {
		ck := pem
		if a.jwks {
			ck = jwks
		}
		for _, mw := range []gin.HandlerFunc{
			ck.WithAuth(), ck.RequireAuth(),
			ck.WithAuth(ginclerk.WithOnError(ginclerk.DefaultOnError)),
			ck.RequireAuth(ginclerk.WithOnError(ginclerk.StrictOnError)),
		} {
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), mw), a.request())
			assertNoEcho(t, a.name, responseText(w), a.secrets()...)
		}
	}

	// Every way the Backend API can fail, each on a cold cache, logged by
	// the key cache with its cause.
	for _, fault := range []ginclerktest.Fault{
		ginclerktest.Fault401, ginclerktest.Fault403, ginclerktest.Fault500, ginclerktest.FaultGarbage,
		ginclerktest.FaultEmptySet, ginclerktest.FaultHang, ginclerktest.FaultStall, ginclerktest.FaultHugeBody,
	} {
		down := ginclerktest.NewServer(t, kit.key)
		spy.forbid(down.SecretKey)
		down.Fail(fault)
		ck := apiClerk(t, down, ginclerk.WithLogger(spy.logger()), ginclerk.WithFetchTimeout(300*time.Millisecond))
		token := mint(t, kit.key)
		spy.forbid(secretParts(token)...)
		var s seen
		w := do(router(&s, ginclerk.ErrorHandler(), ck.RequireAuth(ginclerk.WithOnError(ginclerk.StrictOnError))), get(token))
		assert.GreaterOrEqual(t, w.Code, http.StatusInternalServerError, "%v", fault)
		assertNoEcho(t, fault.String(), responseText(w), append(secretParts(token), down.SecretKey)...)
	}

	lines := spy.check(t)
	require.Positive(t, lines, "nothing was captured: the test is not watching the logs")
	t.Logf("%d log lines checked (%v), %d attack rows", lines, spy.levels, len(rows))
}

// TestLogSpyCatchesLeaks proves the spy would notice a leak: without this,
// a spy that matched nothing would make TestLogHygiene pass vacuously.
func TestLogSpyCatchesLeaks(t *testing.T) {
	t.Parallel()
	token := mint(t, ginclerktest.DefaultKey(t))
	tests := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"whole token", func(l *slog.Logger) { l.Warn("bad", "token", token) }},
		{"signature segment", func(l *slog.Logger) { l.Info("bad", slog.String("sig", segment(token, 2))) }},
		{"header segment", func(l *slog.Logger) { l.Error("bad " + segment(token, 0)) }},
		{"a secret key", func(l *slog.Logger) { l.Debug("bad", "key", "sk_test_0123456789abcdef0123456789abcdef") }},
		{"grouped", func(l *slog.Logger) { l.WithGroup("g").With("t", token).Info("bad") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := newLogSpy()
			tt.log(spy.logger())
			assert.NotEmpty(t, spy.violations)
			for _, v := range spy.violations {
				assert.NotContains(t, v, segment(token, 2), "the report itself leaks")
			}
		})
	}
}
