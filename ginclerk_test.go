package ginclerk_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// middlewares is one configuration under test: how to build the lax and
// strict middleware, and the request to send.
type middlewares struct {
	lax, strict gin.HandlerFunc
	req         *http.Request
}

// TestBehaviourTable pins every row of the contract table in the README:
// each condition through WithAuth, RequireAuth, and RequireAuth after
// ErrorHandler.
func TestBehaviourTable(t *testing.T) {
	key := ginclerktest.DefaultKey(t)
	pem := pemClerk(t, key)
	tests := []struct {
		name       string
		setup      func(t *testing.T) middlewares
		signedIn   bool
		reason     string
		status     int // strict status when not signed in
		bodyErrors string
	}{
		{
			name:   "no token",
			setup:  func(*testing.T) middlewares { return middlewares{pem.WithAuth(), pem.RequireAuth(), get("")} },
			reason: ginclerk.ReasonSessionTokenAndUATMissing, status: http.StatusUnauthorized,
		},
		{
			name:   "invalid token",
			setup:  func(*testing.T) middlewares { return middlewares{pem.WithAuth(), pem.RequireAuth(), get("not-a-jwt")} },
			reason: ginclerk.ReasonTokenInvalid, status: http.StatusUnauthorized,
		},
		{
			name: "expired token",
			setup: func(t *testing.T) middlewares {
				return middlewares{pem.WithAuth(), pem.RequireAuth(), get(mint(t, key, ginclerktest.ExpiresIn(-time.Minute)))}
			},
			reason: ginclerk.ReasonSessionTokenExpired, status: http.StatusUnauthorized,
		},
		{
			name: "valid token",
			setup: func(t *testing.T) middlewares {
				return middlewares{pem.WithAuth(), pem.RequireAuth(), get(mint(t, key))}
			},
			signedIn: true,
		},
		{
			name: "no key source configured",
			setup: func(t *testing.T) middlewares {
				for _, name := range []string{"CLERK_SECRET_KEY", "CLERK_JWT_KEY", "CLERK_API_URL", "CLERK_API_VERSION"} {
					t.Setenv(name, "")
				}
				return middlewares{ginclerk.WithAuth(), ginclerk.RequireAuth(), get(mint(t, key))}
			},
			reason: ginclerk.ReasonJWKFailedToResolve, status: http.StatusInternalServerError,
			bodyErrors: "CLERK_SECRET_KEY CLERK_JWT_KEY",
		},
		{
			name: "keys cannot be fetched",
			setup: func(t *testing.T) middlewares {
				srv := ginclerktest.NewServer(t, key)
				srv.Fail(ginclerktest.Fault500)
				ck := apiClerk(t, srv)
				return middlewares{ck.WithAuth(), ck.RequireAuth(), get(mint(t, key))}
			},
			reason: ginclerk.ReasonJWKRemoteFailedToLoad, status: http.StatusServiceUnavailable,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/WithAuth", func(t *testing.T) {
			mw := tt.setup(t)
			var s seen
			w := do(router(&s, mw.lax), mw.req)
			require.True(t, s.ran, "the lax middleware always runs the handler")
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, tt.signedIn, s.auth.IsSignedIn())
			assert.Equal(t, tt.reason, s.auth.Reason)
			assert.Same(t, s.auth, s.ctxAuth, "GetAuth and AuthFromContext see one Auth")
			assertSignedOutHeaders(t, w, tt.reason)
		})
		t.Run(tt.name+"/RequireAuth", func(t *testing.T) {
			mw := tt.setup(t)
			var s seen
			w := do(router(&s, mw.strict), mw.req)
			if tt.signedIn {
				require.True(t, s.ran)
				assert.Equal(t, http.StatusOK, w.Code)
				assert.True(t, s.auth.IsSignedIn())
				return
			}
			assert.False(t, s.ran, "the strict middleware never runs the handler")
			assert.Equal(t, tt.status, w.Code)
			assertSignedOutHeaders(t, w, tt.reason)
		})
		t.Run(tt.name+"/ErrorHandler+RequireAuth", func(t *testing.T) {
			mw := tt.setup(t)
			var s seen
			w := do(router(&s, ginclerk.ErrorHandler(), mw.strict), mw.req)
			if tt.signedIn {
				require.True(t, s.ran)
				assert.Equal(t, http.StatusOK, w.Code)
				assert.Equal(t, ginclerktest.DefaultUserID, jsonBody(t, w)["user"])
				return
			}
			assert.False(t, s.ran)
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
			body := jsonBody(t, w)
			assert.Equal(t, tt.reason, body["reason"])
			assert.NotEmpty(t, body["error"])
			for _, want := range strings.Fields(tt.bodyErrors) {
				assert.Contains(t, body["error"], want)
			}
		})
	}
}

func assertSignedOutHeaders(t *testing.T, w interface{ Header() http.Header }, reason string) {
	t.Helper()
	if reason == "" {
		assert.Empty(t, w.Header().Get("X-Clerk-Auth-Status"))
		return
	}
	assert.Equal(t, "signed-out", w.Header().Get("X-Clerk-Auth-Status"))
	assert.Equal(t, reason, w.Header().Get("X-Clerk-Auth-Reason"))
}

func TestOnErrorContract(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	ck := pemClerk(t, key)
	var hookSaw error
	recordAndSwallow := func(err error) error { hookSaw = err; return nil }
	tests := []struct {
		name    string
		mw      gin.HandlerFunc
		token   string
		ran     bool
		status  int
		hookErr error
	}{
		{"strict with a swallowing hook lets the request through", ck.RequireAuth(ginclerk.WithOnError(recordAndSwallow)), "", true, http.StatusOK, ginclerk.ErrTokenMissing},
		{"lax with StrictOnError is strict", ck.WithAuth(ginclerk.WithOnError(ginclerk.StrictOnError)), "garbage", false, http.StatusUnauthorized, nil},
		{"a hook's foreign error aborts with 500", ck.WithAuth(ginclerk.WithOnError(func(error) error { return errors.New("db down") })), "", false, http.StatusInternalServerError, nil},
		{"a hook's own *Error sets the status", ck.WithAuth(ginclerk.WithOnError(func(error) error { return &ginclerk.Error{StatusCode: http.StatusTeapot} })), "", false, http.StatusTeapot, nil},
		{"the hook is not called for a signed-in request", ck.RequireAuth(ginclerk.WithOnError(recordAndSwallow)), mint(t, key), true, http.StatusOK, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hookSaw = nil
			var s seen
			w := do(router(&s, tt.mw), get(tt.token))
			assert.Equal(t, tt.ran, s.ran)
			assert.Equal(t, tt.status, w.Code)
			if tt.hookErr == nil && tt.ran {
				assert.NoError(t, hookSaw, "the hook is not called for a signed-in request")
			}
			if tt.hookErr != nil {
				assert.ErrorIs(t, hookSaw, tt.hookErr)
				var e *ginclerk.Error
				require.ErrorAs(t, hookSaw, &e)
				assert.Equal(t, http.StatusUnauthorized, e.StatusCode)
			}
		})
	}
}

func TestWithOnErrorNilPanics(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "ginclerk: WithOnError(nil)", func() { ginclerk.WithOnError(nil) })
}
