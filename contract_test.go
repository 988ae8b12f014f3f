package ginclerk_test

import (
	"errors"
	"net/http"
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

// hookLog records every error an onError hook receives.
type hookLog struct {
	mu   sync.Mutex
	errs []error
}

// hook records err and answers with ret(err).
func (h *hookLog) hook(ret func(error) error) ginclerk.MiddlewareOption {
	return ginclerk.WithOnError(func(err error) error {
		h.mu.Lock()
		h.errs = append(h.errs, err)
		h.mu.Unlock()
		return ret(err)
	})
}

func (h *hookLog) take() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	errs := h.errs
	h.errs = nil
	return errs
}

func swallow(error) error    { return nil }
func passOn(err error) error { return err }

// TestOnErrorCalledForEveryFailure pins that onError is called for every
// outcome that is not signed in, in both modes: exactly once per
// request, with a *Error carrying the outcome's reason and status, and never
// for a signed-in request. A swallowing hook lets even the strict
// middleware through; a hook returning the error makes even the lax one
// strict.
func TestOnErrorCalledForEveryFailure(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	pem := pemClerk(t, key)
	down := ginclerktest.NewServer(t, key)
	down.Fail(ginclerktest.Fault500)
	outage := apiClerk(t, down)
	tests := []struct {
		name   string
		ck     *ginclerk.Clerk
		token  string
		reason string
		status int
	}{
		{"no token", pem, "", ginclerk.ReasonSessionTokenAndUATMissing, http.StatusUnauthorized},
		{"garbage", pem, "garbage", ginclerk.ReasonTokenInvalid, http.StatusUnauthorized},
		{"expired", pem, mint(t, key, ginclerktest.ExpiresIn(-time.Minute)), ginclerk.ReasonSessionTokenExpired, http.StatusUnauthorized},
		{"pending", pem, mint(t, key, ginclerktest.SessionStatus("pending")), ginclerk.ReasonSessionPending, http.StatusUnauthorized},
		{"keys unavailable", outage, mint(t, key), ginclerk.ReasonJWKRemoteFailedToLoad, http.StatusServiceUnavailable},
		{"valid", pem, mint(t, key), "", http.StatusOK},
	}
	type mode struct {
		name   string
		mw     func(ck *ginclerk.Clerk, opt ginclerk.MiddlewareOption) gin.HandlerFunc
		ret    func(error) error
		aborts bool
	}
	modes := []mode{
		{"WithAuth swallowing", func(ck *ginclerk.Clerk, o ginclerk.MiddlewareOption) gin.HandlerFunc { return ck.WithAuth(o) }, swallow, false},
		{"RequireAuth swallowing", func(ck *ginclerk.Clerk, o ginclerk.MiddlewareOption) gin.HandlerFunc { return ck.RequireAuth(o) }, swallow, false},
		{"WithAuth returning", func(ck *ginclerk.Clerk, o ginclerk.MiddlewareOption) gin.HandlerFunc { return ck.WithAuth(o) }, passOn, true},
		{"RequireAuth returning", func(ck *ginclerk.Clerk, o ginclerk.MiddlewareOption) gin.HandlerFunc { return ck.RequireAuth(o) }, passOn, true},
	}
	for _, tt := range tests {
		for _, m := range modes {
			t.Run(tt.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				var h hookLog
				var s seen
				w := do(router(&s, m.mw(tt.ck, h.hook(m.ret))), get(tt.token))
				errs := h.take()
				if tt.reason == "" {
					assert.Empty(t, errs, "the hook is not called for a signed-in request")
					assert.True(t, s.ran)
					assert.True(t, s.auth.IsSignedIn())
					assert.Equal(t, http.StatusOK, w.Code)
					return
				}
				require.Len(t, errs, 1, "the hook is called exactly once")
				var e *ginclerk.Error
				require.ErrorAs(t, errs[0], &e)
				assert.Equal(t, tt.reason, e.Reason)
				assert.Equal(t, tt.status, e.StatusCode)
				if m.aborts {
					assert.False(t, s.ran, "a non-nil return aborts the chain")
					assert.Equal(t, tt.status, w.Code)
					return
				}
				require.True(t, s.ran, "a nil return continues")
				assert.Equal(t, http.StatusOK, w.Code)
				assert.False(t, s.auth.IsSignedIn())
				assert.Equal(t, tt.reason, s.auth.Reason)
			})
		}
	}
}

// TestOnErrorForMisconfiguredDefault: the package-level middlewares with no
// key source hand onError a 500 *Error naming both environment variables;
// lax continues signed out, strict answers 500. Not parallel: t.Setenv.
func TestOnErrorForMisconfiguredDefault(t *testing.T) {
	clearEnv(t)
	for _, strict := range []bool{false, true} {
		var h hookLog
		mw := ginclerk.WithAuth(h.hook(swallow))
		if strict {
			mw = ginclerk.RequireAuth(h.hook(passOn))
		}
		var s seen
		w := do(router(&s, mw), get(mint(t, ginclerktest.DefaultKey(t))))
		errs := h.take()
		require.Len(t, errs, 1, "strict %v", strict)
		var e *ginclerk.Error
		require.ErrorAs(t, errs[0], &e)
		assert.Equal(t, http.StatusInternalServerError, e.StatusCode)
		assert.Equal(t, ginclerk.ReasonJWKFailedToResolve, e.Reason)
		assert.ErrorIs(t, errs[0], ginclerk.ErrMisconfigured)
		assert.Contains(t, e.Message, "CLERK_SECRET_KEY")
		assert.Contains(t, e.Message, "CLERK_JWT_KEY")
		if strict {
			assert.False(t, s.ran)
			assert.Equal(t, http.StatusInternalServerError, w.Code)
		} else {
			assert.True(t, s.ran)
			assert.False(t, s.auth.IsSignedIn())
		}
	}
}

// TestDefaultHooksLog pins the logging rule for the instance-bound
// default hooks: a missing token at debug level (anonymous traffic is
// normal), a rejected token at warn, a failure on our side at warn or
// above; one line per failure carrying the reason, never the token.
func TestDefaultHooksLog(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	spy := newLogSpy()
	ck := pemClerk(t, key, ginclerk.WithLogger(spy.logger()))
	down := ginclerktest.NewServer(t, key)
	down.Fail(ginclerktest.Fault500)
	outage := apiClerk(t, down, ginclerk.WithLogger(spy.logger()))
	expired := mint(t, key, ginclerktest.ExpiresIn(-time.Minute))
	valid := mint(t, key)
	spy.forbid(secretParts(expired)...)
	spy.forbid(secretParts(valid)...)
	spy.forbid(down.SecretKey)

	tests := []struct {
		name   string
		mw     gin.HandlerFunc
		token  string
		levels []string // acceptable levels of the one line
		reason string
	}{
		{"lax, no token", ck.WithAuth(), "", []string{"DEBUG"}, ginclerk.ReasonSessionTokenAndUATMissing},
		{"strict, no token", ck.RequireAuth(), "", []string{"DEBUG"}, ginclerk.ReasonSessionTokenAndUATMissing},
		{"lax, expired", ck.WithAuth(), expired, []string{"WARN"}, ginclerk.ReasonSessionTokenExpired},
		{"strict, expired", ck.RequireAuth(), expired, []string{"WARN"}, ginclerk.ReasonSessionTokenExpired},
		{"lax, keys unavailable", outage.WithAuth(), valid, []string{"WARN", "ERROR"}, ginclerk.ReasonJWKRemoteFailedToLoad},
		{"strict, keys unavailable", outage.RequireAuth(), valid, []string{"WARN", "ERROR"}, ginclerk.ReasonJWKRemoteFailedToLoad},
	}
	// Sequential: the rows share the spy.
	for _, tt := range tests {
		var s seen
		do(router(&s, tt.mw), get(tt.token))
		var lines []string
		for _, l := range spy.take() {
			if strings.Contains(l, "request not authenticated") {
				lines = append(lines, l)
			}
		}
		if assert.Len(t, lines, 1, "%s: one line per failure", tt.name) {
			level := between(lines[0], "level=", " ")
			assert.Contains(t, tt.levels, level, "%s: %s", tt.name, lines[0])
			assert.Contains(t, lines[0], "reason="+tt.reason, tt.name)
		}
	}
	do(router(&seen{}, ck.WithAuth()), get(valid))
	for _, l := range spy.take() {
		assert.NotContains(t, l, "request not authenticated", "a signed-in request logs no failure")
	}
	spy.check(t)
}

// between returns the text of s after prefix up to sep.
func between(s, prefix, sep string) string {
	_, rest, _ := strings.Cut(s, prefix)
	v, _, _ := strings.Cut(rest, sep)
	return v
}

// TestPackageHooksLogToDefault: DefaultOnError and StrictOnError log to
// slog.Default (debug for a missing token, warn for a bad one) and return
// nil and the error itself. The misconfigured package-level WithAuth logs
// its error too ("signed out, error logged"). Not parallel: it replaces
// slog.Default and uses t.Setenv.
func TestPackageHooksLogToDefault(t *testing.T) {
	spy := newLogSpy()
	useDefaultLogger(t, spy.logger())
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)

	var h hookLog
	r := router(&seen{}, ck.WithAuth(h.hook(swallow)))
	do(r, get(""))
	do(r, get("garbage"))
	errs := h.take()
	require.Len(t, errs, 2)
	spy.take()

	for i, want := range []string{"DEBUG", "WARN"} {
		assert.NoError(t, ginclerk.DefaultOnError(errs[i]), "DefaultOnError swallows")
		got := ginclerk.StrictOnError(errs[i])
		assert.Same(t, errs[i], got, "StrictOnError returns the error it was given")
		lines := spy.take()
		require.Len(t, lines, 2, "one line per call")
		for _, l := range lines {
			assert.Equal(t, want, between(l, "level=", " "), l)
		}
	}

	// Require's default hook logs a refusal at debug level, with its reason.
	w := do(router(&seen{}, ginclerk.ErrorHandler(), ck.WithAuth(), ginclerk.RequireOrg()), get(mint(t, key)))
	require.Equal(t, http.StatusForbidden, w.Code)
	lines := spy.take()
	require.Len(t, lines, 1)
	assert.Equal(t, "DEBUG", between(lines[0], "level=", " "), lines[0])
	assert.Contains(t, lines[0], "reason="+ginclerk.ReasonForbidden)

	// The misconfigured default instance logs to the default logger. Default
	// instances are made once per environment: a version no other test uses
	// makes this one here, with this default logger.
	clearEnv(t)
	t.Setenv("CLERK_API_VERSION", "v-hooks-log-to-default")
	var s seen
	do(router(&s, ginclerk.WithAuth()), get(mint(t, key)))
	require.True(t, s.ran)
	assert.False(t, s.auth.IsSignedIn())
	var logged []string
	for _, l := range spy.take() {
		if strings.Contains(l, "reason="+ginclerk.ReasonJWKFailedToResolve) {
			logged = append(logged, l)
		}
	}
	require.Len(t, logged, 1, "no key source: signed out, error logged")
	assert.Contains(t, []string{"WARN", "ERROR"}, between(logged[0], "level=", " "))
	spy.check(t)
}

// TestAuthStoredUnderAuthKey: what c.Get("auth") holds, as Express's
// req.auth does, is the *Auth GetAuth returns — signed in or out, lax or strict.
func TestAuthStoredUnderAuthKey(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	for _, tc := range []struct {
		name  string
		mw    gin.HandlerFunc
		token string
		in    bool
	}{
		{"lax signed in", ck.WithAuth(), mint(t, key), true},
		{"lax signed out", ck.WithAuth(), "", false},
		{"strict signed in", ck.RequireAuth(), mint(t, key), true},
		{"strict swallowed", ck.RequireAuth(ginclerk.WithOnError(swallow)), "garbage", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stored any
			var got *ginclerk.Auth
			r := gin.New()
			r.GET("/", tc.mw, func(c *gin.Context) {
				stored, _ = c.Get("auth")
				got = ginclerk.GetAuth(c)
			})
			do(r, get(tc.token))
			a, ok := stored.(*ginclerk.Auth)
			require.True(t, ok, "c.Get(\"auth\") holds a *ginclerk.Auth, got %T", stored)
			assert.Same(t, got, a)
			assert.Equal(t, tc.in, a.IsSignedIn())
		})
	}
}

// TestPendingRuleIsPerMiddleware: a strict middleware behind a lax one of
// the same instance reuses its verdict only under the same pending-session
// rule, so accepting pending sessions globally cannot let them through a
// strict group that does not, and the reverse.
func TestPendingRuleIsPerMiddleware(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	pending := mint(t, key, ginclerktest.SessionStatus("pending"))
	tests := []struct {
		name   string
		mws    []gin.HandlerFunc
		status int
	}{
		{"lax accepts, strict does not", []gin.HandlerFunc{ck.WithAuth(ginclerk.WithPendingSessions()), ck.RequireAuth()}, http.StatusUnauthorized},
		{"lax does not, strict accepts", []gin.HandlerFunc{ck.WithAuth(), ck.RequireAuth(ginclerk.WithPendingSessions())}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			w := do(router(&s, append([]gin.HandlerFunc{ginclerk.ErrorHandler()}, tt.mws...)...), get(pending))
			assert.Equal(t, tt.status, w.Code, "body %s", w.Body)
			assert.Equal(t, tt.status == http.StatusOK, s.ran)
			if tt.status == http.StatusOK {
				assert.True(t, s.auth.IsSignedIn())
				assert.Equal(t, "pending", s.auth.SessionStatus)
			} else {
				assert.Equal(t, ginclerk.ReasonSessionPending, jsonBody(t, w)["reason"])
			}
		})
	}
}

// TestErrorSentinels pins the error model of the style notes: every *Error
// a middleware hands its hook matches exactly one category sentinel and
// ErrUnauthenticated exactly when its status is 401; Error() names the
// reason without quoting the token; Unwrap reaches the cause.
func TestErrorSentinels(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	pem := pemClerk(t, key)
	down := ginclerktest.NewServer(t, key)
	down.Fail(ginclerktest.Fault500)
	outage := apiClerk(t, down)
	refused := ginclerktest.NewServer(t, key)
	badSecret := apiClerk(t, refused, ginclerk.WithSecretKey(uniqueSecret(t)))
	forger := ginclerktest.SharedKey(t, 1).WithKID(key.KID)
	sentinels := []error{ginclerk.ErrTokenMissing, ginclerk.ErrTokenInvalid, ginclerk.ErrTokenExpired,
		ginclerk.ErrSessionPending, ginclerk.ErrKeysUnavailable, ginclerk.ErrMisconfigured, ginclerk.ErrForbidden}
	tests := []struct {
		name     string
		ck       *ginclerk.Clerk
		token    string
		sentinel error
		status   int
	}{
		{"missing", pem, "", ginclerk.ErrTokenMissing, http.StatusUnauthorized},
		{"garbage", pem, "garbage", ginclerk.ErrTokenInvalid, http.StatusUnauthorized},
		{"forged", pem, mint(t, forger), ginclerk.ErrTokenInvalid, http.StatusUnauthorized},
		{"template", pem, mint(t, key, ginclerktest.Without("sid")), ginclerk.ErrTokenInvalid, http.StatusUnauthorized},
		{"expired", pem, mint(t, key, ginclerktest.ExpiresIn(-time.Minute)), ginclerk.ErrTokenExpired, http.StatusUnauthorized},
		{"not yet valid", pem, mint(t, key, ginclerktest.NotBefore(testNow.Add(time.Hour))), ginclerk.ErrTokenExpired, http.StatusUnauthorized},
		{"pending", pem, mint(t, key, ginclerktest.SessionStatus("pending")), ginclerk.ErrSessionPending, http.StatusUnauthorized},
		{"keys unavailable", outage, mint(t, key), ginclerk.ErrKeysUnavailable, http.StatusServiceUnavailable},
		{"secret key refused", badSecret, mint(t, key), ginclerk.ErrMisconfigured, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h hookLog
			do(router(&seen{}, tt.ck.WithAuth(h.hook(swallow))), get(tt.token))
			errs := h.take()
			require.Len(t, errs, 1)
			err := errs[0]
			var e *ginclerk.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.status, e.StatusCode)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.sentinel, errors.Is(err, s), "errors.Is(err, %v)", s)
			}
			assert.Equal(t, tt.status == http.StatusUnauthorized, errors.Is(err, ginclerk.ErrUnauthenticated))
			assert.Contains(t, err.Error(), e.Reason)
			assert.True(t, strings.HasPrefix(err.Error(), "ginclerk: "), err.Error())
			assertNoEcho(t, "Error()", err.Error(), secretParts(tt.token)...)
			if tt.token != "" && tt.sentinel != ginclerk.ErrSessionPending {
				assert.NotNil(t, errors.Unwrap(err), "the cause is kept")
			}
		})
	}
}

// TestNilOptionsPanic: a nil clock, HTTP client or logger is a programming
// error, reported by New with a ginclerk: panic (style notes).
func TestNilOptionsPanic(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	for name, opt := range map[string]ginclerk.Option{
		"WithClock":      ginclerk.WithClock(nil),
		"WithHTTPClient": ginclerk.WithHTTPClient(nil),
		"WithLogger":     ginclerk.WithLogger(nil),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.PanicsWithValue(t, "ginclerk: "+name+"(nil)", func() {
				ck, _ := ginclerk.New(append(key.Options(), opt)...)
				_ = ck.Close()
			})
		})
	}
}

// TestErrorHandlerWrittenIsHonest: behind ErrorHandler, a handler that
// aborted with an error sees c.Writer.Written() as it would without it,
// although the commit is held back for the JSON renderer.
func TestErrorHandlerWrittenIsHonest(t *testing.T) {
	t.Parallel()
	for _, withHandler := range []bool{false, true} {
		var written bool
		r := gin.New()
		if withHandler {
			r.Use(ginclerk.ErrorHandler())
		}
		r.GET("/", func(c *gin.Context) {
			_ = c.AbortWithError(http.StatusUnauthorized, &ginclerk.Error{StatusCode: http.StatusUnauthorized, Reason: "x", Message: "m"})
			written = c.Writer.Written()
		})
		w := do(r, get(""))
		assert.True(t, written, "ErrorHandler %v", withHandler)
		assert.Equal(t, http.StatusUnauthorized, w.Code)
	}
}
