package ginclerktest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/internal/override"
)

// SignedIn returns the Auth ginclerk would store for a valid default token
// of userID: SessionID DefaultSessionID, SessionStatus "active", and Claims
// holding just sub, sid and sts. Change its fields for organizations,
// actors and so on; Claims is not updated to match, so set it too when the
// handler reads raw claims.
func SignedIn(userID string) *ginclerk.Auth {
	claims, _ := json.Marshal(map[string]string{"sid": DefaultSessionID, "sts": defaultSessionStatus, "sub": userID})
	return &ginclerk.Auth{
		UserID:        userID,
		SessionID:     DefaultSessionID,
		SessionStatus: defaultSessionStatus,
		Claims:        string(claims),
	}
}

// SignedOut returns the Auth ginclerk stores for a request that is not
// signed in, with Clerk's reason code (such as ginclerk.ReasonTokenExpired)
// and a message.
func SignedOut(reason, message string) *ginclerk.Auth {
	return &ginclerk.Auth{Reason: reason, Message: message}
}

// Authenticate returns a middleware that stands in for ginclerk's: it
// stores a on every request and continues, so a router's handlers can be
// tested as a given user without minting tokens or configuring keys.
// ginclerk's package-level WithAuth and RequireAuth placed after it keep a
// instead of verifying the request (RequireAuth still answers 401 for a
// signed-out a), so it also works in front of routes registered the
// quick-start way. Handlers must treat a as read-only, since every request
// shares it.
func Authenticate(a *ginclerk.Auth) gin.HandlerFunc {
	return func(c *gin.Context) {
		ginclerk.SetAuth(c, a)
		c.Set(override.StandInKey{}, true)
	}
}

// NewContext returns a gin test context for a GET / request carrying a, and
// the recorder its response goes to, for calling a handler directly:
//
//	c, w := ginclerktest.NewContext(ginclerktest.SignedIn("user_1"))
//	myHandler(c)
func NewContext(a *ginclerk.Auth) (*gin.Context, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	ginclerk.SetAuth(c, a)
	return c, w
}
