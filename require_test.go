package ginclerk_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRequire drives Require and its ready-made variants behind WithAuth,
// with and without ErrorHandler: 401 when not signed in, 403 when signed in
// but refused, the handler only when allowed.
func TestRequire(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	admin := []ginclerktest.Claim{ginclerktest.Org("org_1", "acme", "admin"), ginclerktest.Features("o:invoices"),
		ginclerktest.OrgPermissions("read,manage", "3"), ginclerktest.FVA(30, 30)}
	member := []ginclerktest.Claim{ginclerktest.Org("org_1", "acme", "member"), ginclerktest.Features("o:invoices"),
		ginclerktest.OrgPermissions("read,manage", "1")}
	tests := []struct {
		name    string
		require gin.HandlerFunc
		claims  []ginclerktest.Claim // nil with noToken: no Authorization header
		noToken bool
		status  int
		reason  string
	}{
		{"no token", ginclerk.RequireRole("org:admin"), nil, true, http.StatusUnauthorized, ginclerk.ReasonSessionTokenAndUATMissing},
		{"expired token", ginclerk.RequireRole("org:admin"), []ginclerktest.Claim{ginclerktest.ExpiresIn(-5 * time.Minute)}, false,
			http.StatusUnauthorized, ginclerk.ReasonSessionTokenExpired},
		{"role held", ginclerk.RequireRole("org:admin"), admin, false, http.StatusOK, ""},
		{"role refused", ginclerk.RequireRole("org:admin"), member, false, http.StatusForbidden, ginclerk.ReasonForbidden},
		{"any of the roles", ginclerk.RequireRole("org:owner", "member"), member, false, http.StatusOK, ""},
		{"no organization", ginclerk.RequireRole("org:admin"), nil, false, http.StatusForbidden, ginclerk.ReasonForbidden},
		{"permission held", ginclerk.RequirePermission("org:invoices:read"), member, false, http.StatusOK, ""},
		{"every permission needed", ginclerk.RequirePermission("org:invoices:read", "org:invoices:manage"), member, false,
			http.StatusForbidden, ginclerk.ReasonForbidden},
		{"every permission held", ginclerk.RequirePermission("invoices:read", "invoices:manage"), admin, false, http.StatusOK, ""},
		{"org required, none", ginclerk.RequireOrg(), nil, false, http.StatusForbidden, ginclerk.ReasonForbidden},
		{"org required, active", ginclerk.RequireOrg(), member, false, http.StatusOK, ""},
		{"feature and plan", ginclerk.Require(ginclerk.Feature("org:invoices"), ginclerk.Plan("pro")),
			append([]ginclerktest.Claim{ginclerktest.Plans("u:pro")}, member...), false, http.StatusOK, ""},
		{"plan missing", ginclerk.Require(ginclerk.Feature("org:invoices"), ginclerk.Plan("pro")), member, false,
			http.StatusForbidden, ginclerk.ReasonForbidden},
		{"AnyOf", ginclerk.Require(ginclerk.AnyOf(ginclerk.Role("org:admin"), ginclerk.Permission("org:invoices:read"))),
			member, false, http.StatusOK, ""},
	}
	for _, tt := range tests {
		for _, withHandler := range []bool{false, true} {
			name := tt.name
			if withHandler {
				name += " with ErrorHandler"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var s seen
				mws := []gin.HandlerFunc{ck.WithAuth(), tt.require}
				if withHandler {
					mws = append([]gin.HandlerFunc{ginclerk.ErrorHandler()}, mws...)
				}
				token := ""
				if !tt.noToken {
					token = mint(t, key, tt.claims...)
				}
				w := do(router(&s, mws...), get(token))
				require.Equal(t, tt.status, w.Code, "body %s", w.Body)
				assert.Equal(t, tt.status == http.StatusOK, s.ran, "handler ran")
				switch tt.status {
				case http.StatusUnauthorized:
					assert.Contains(t, w.Header().Get("WWW-Authenticate"), "Bearer")
				case http.StatusForbidden:
					assert.Equal(t, `Bearer realm="clerk", error="insufficient_scope"`, w.Header().Get("WWW-Authenticate"))
				}
				if tt.status == http.StatusOK || !withHandler {
					if tt.status != http.StatusOK {
						assert.Empty(t, w.Body.String(), "without ErrorHandler nothing renders a body")
					}
					return
				}
				assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
				body := jsonBody(t, w)
				assert.Equal(t, tt.reason, body["reason"])
				assert.NotEmpty(t, body["error"])
				assert.NotContains(t, w.Body.String(), "org:admin", "a refusal does not reveal the rule")
			})
		}
	}
}

// TestRequireReverificationHint checks that a refusal for reverification
// alone carries the body Clerk's frontend (useReverification) recognises.
func TestRequireReverificationHint(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	stale := []ginclerktest.Claim{ginclerktest.Org("org_1", "", "admin"), ginclerktest.FVA(90, 90)}
	tests := []struct {
		name    string
		require gin.HandlerFunc
		claims  []ginclerktest.Claim
		hint    any // nil: a plain forbidden body
	}{
		{"preset", ginclerk.Require(ginclerk.Role("admin"), ginclerk.Reverification(ginclerk.ReverifyModerate)), stale, "moderate"},
		{"custom", ginclerk.Require(ginclerk.ReverificationAfter(15, ginclerk.FirstFactor)), stale,
			map[string]any{"level": "first_factor", "afterMinutes": float64(15)}},
		{"first failing reverification", ginclerk.Require(ginclerk.Reverification(ginclerk.ReverifyLax),
			ginclerk.Reverification(ginclerk.ReverifyStrict), ginclerk.ReverificationAfter(5, ginclerk.MultiFactor)), stale, "strict"},
		{"role fails too: reverifying would not help", ginclerk.Require(ginclerk.Role("owner"),
			ginclerk.Reverification(ginclerk.ReverifyStrict)), stale, nil},
		{"no fva at all", ginclerk.Require(ginclerk.Reverification(ginclerk.ReverifyStrict)),
			[]ginclerktest.Claim{ginclerktest.Without("fva")}, "strict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), ck.WithAuth(), tt.require), get(mint(t, key, tt.claims...)))
			require.Equal(t, http.StatusForbidden, w.Code)
			body := jsonBody(t, w)
			assert.Equal(t, ginclerk.ReasonForbidden, body["reason"])
			if tt.hint == nil {
				assert.NotContains(t, body, "clerk_error")
				return
			}
			assert.Equal(t, map[string]any{
				"type":     "forbidden",
				"reason":   "reverification-error",
				"metadata": map[string]any{"reverification": tt.hint},
			}, body["clerk_error"])
		})
	}
}

// TestRequireAfterRequireAuth composes Require behind the strict
// middleware, as a route group would.
func TestRequireAfterRequireAuth(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	r := gin.New()
	r.Use(ginclerk.ErrorHandler())
	admin := r.Group("/admin", ck.RequireAuth(), ginclerk.RequireRole("org:admin"))
	admin.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "ok") })

	req := func(token string) *http.Request {
		rq := get(token)
		rq.URL.Path = "/admin/"
		return rq
	}
	assert.Equal(t, http.StatusUnauthorized, do(r, req("")).Code)
	assert.Equal(t, http.StatusForbidden, do(r, req(mint(t, key))).Code)
	assert.Equal(t, http.StatusOK, do(r, req(mint(t, key, ginclerktest.Org("org_1", "", "admin")))).Code)
}

// TestRequireWithoutAuthMiddleware fails closed: no middleware stored an
// Auth, so the request is not signed in.
func TestRequireWithoutAuthMiddleware(t *testing.T) {
	t.Parallel()
	var s seen
	w := do(router(&s, ginclerk.ErrorHandler(), ginclerk.RequireOrg()), get(""))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.False(t, s.ran)
	assert.Equal(t, ginclerk.ReasonSessionTokenAndUATMissing, jsonBody(t, w)["reason"])
}

// TestRequireKeepsOurFaults: a lax middleware that could not fetch keys
// leaves a signed-out Auth whose reason is our outage; Require answers 503,
// not 401.
func TestRequireKeepsOurFaults(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	srv.Fail(ginclerktest.Fault500)
	ck := apiClerk(t, srv)
	var s seen
	w := do(router(&s, ginclerk.ErrorHandler(), ck.WithAuth(), ginclerk.RequireOrg()), get(mint(t, key)))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, ginclerk.ReasonJWKRemoteFailedToLoad, jsonBody(t, w)["reason"])
}

func TestRequireOnError(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)

	t.Run("hook sees the error and may let the request through", func(t *testing.T) {
		t.Parallel()
		var got atomic.Value
		hook := ginclerk.WithOnError(func(err error) error { got.Store(err); return nil })
		var s seen
		w := do(router(&s, ck.WithAuth(), ginclerk.Require(ginclerk.Role("org:admin"), hook)), get(mint(t, key)))
		assert.Equal(t, http.StatusOK, w.Code)
		assert.True(t, s.ran)
		err, _ := got.Load().(error)
		require.Error(t, err)
		assert.ErrorIs(t, err, ginclerk.ErrForbidden)
		assert.NotErrorIs(t, err, ginclerk.ErrUnauthenticated)
		var e *ginclerk.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, http.StatusForbidden, e.StatusCode)
		assert.Equal(t, ginclerk.ReasonForbidden, e.Reason)
		assert.Contains(t, e.Err.Error(), `role "org:admin"`, "the cause names the failed check for logs")
	})
	t.Run("hook sees a 401 as ErrUnauthenticated", func(t *testing.T) {
		t.Parallel()
		var got atomic.Value
		hook := ginclerk.WithOnError(func(err error) error { got.Store(err); return err })
		var s seen
		w := do(router(&s, ck.WithAuth(), ginclerk.Require(ginclerk.ActiveOrg(), hook)), get(""))
		assert.Equal(t, http.StatusUnauthorized, w.Code)
		err, _ := got.Load().(error)
		assert.ErrorIs(t, err, ginclerk.ErrUnauthenticated)
		assert.ErrorIs(t, err, ginclerk.ErrTokenMissing)
	})
	t.Run("hook replaces the error", func(t *testing.T) {
		t.Parallel()
		teapot := &ginclerk.Error{StatusCode: http.StatusTeapot, Reason: "teapot", Message: "short and stout"}
		hook := ginclerk.WithOnError(func(error) error { return teapot })
		var s seen
		w := do(router(&s, ginclerk.ErrorHandler(), ck.WithAuth(), ginclerk.Require(ginclerk.ActiveOrg(), hook)), get(mint(t, key)))
		assert.Equal(t, http.StatusTeapot, w.Code)
		assert.Equal(t, "teapot", jsonBody(t, w)["reason"])
		assert.Empty(t, w.Header().Get("WWW-Authenticate"))
	})
	t.Run("a foreign error is a 500", func(t *testing.T) {
		t.Parallel()
		hook := ginclerk.WithOnError(func(error) error { return errors.New("internal detail") })
		var s seen
		w := do(router(&s, ginclerk.ErrorHandler(), ck.WithAuth(), ginclerk.Require(ginclerk.ActiveOrg(), hook)), get(mint(t, key)))
		assert.Equal(t, http.StatusInternalServerError, w.Code)
		assert.NotContains(t, w.Body.String(), "internal detail")
	})
}

// TestRequirePanicsOnRulesThatNeverPass: such rules are programming errors,
// reported when the routes are built rather than as 403s at request time.
func TestRequirePanicsOnRulesThatNeverPass(t *testing.T) {
	t.Parallel()
	tests := map[string]func(){
		"no checks":              func() { ginclerk.Require() },
		"only options":           func() { ginclerk.Require(ginclerk.WithPendingSessions()) },
		"nil option":             func() { ginclerk.Require(nil) },
		"zero Check":             func() { ginclerk.Require(ginclerk.Check{}) },
		"empty role":             func() { ginclerk.Require(ginclerk.Role("org:")) },
		"empty permission":       func() { ginclerk.Require(ginclerk.Permission("")) },
		"feature with bad scope": func() { ginclerk.Require(ginclerk.Feature("team:x")) },
		"empty plan":             func() { ginclerk.Require(ginclerk.Plan("")) },
		"unknown preset":         func() { ginclerk.Require(ginclerk.Reverification("paranoid")) },
		"zero minutes":           func() { ginclerk.Require(ginclerk.ReverificationAfter(0, ginclerk.FirstFactor)) },
		"unknown level":          func() { ginclerk.Require(ginclerk.ReverificationAfter(5, "any")) },
		"empty AnyOf":            func() { ginclerk.Require(ginclerk.AnyOf()) },
		"bad check in AnyOf":     func() { ginclerk.Require(ginclerk.AnyOf(ginclerk.Role("a"), ginclerk.Role(""))) },
		"RequireRole()":          func() { ginclerk.RequireRole() },
		"RequireRole(\"\")":      func() { ginclerk.RequireRole("") },
		"RequirePermission()":    func() { ginclerk.RequirePermission() },
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				msg, _ := recover().(string)
				assert.True(t, strings.HasPrefix(msg, "ginclerk: "), "panic %q", msg)
			}()
			f()
		})
	}
}
