package ginclerktest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
)

// SignedIn returns the Auth ginclerk would store for a valid default token
// of userID: SessionID DefaultSessionID, SessionStatus "active", and Claims
// holding just sub, sid and sts. Change its fields for organizations,
// actors and so on; Claims is not updated to match, so set it too when the
// handler reads raw claims.
func SignedIn(userID string) *ginclerk.Auth {
	claims, _ := json.Marshal(map[string]string{"sid": DefaultSessionID, "sts": DefaultSessionStatus, "sub": userID})
	return &ginclerk.Auth{
		UserID:        userID,
		SessionID:     DefaultSessionID,
		SessionStatus: DefaultSessionStatus,
		Claims:        claims,
	}
}

// SignedOut returns the Auth ginclerk stores for a request that is not
// signed in, with Clerk's reason code (such as ginclerk.ReasonTokenExpired)
// and a message.
func SignedOut(reason, message string) *ginclerk.Auth {
	return &ginclerk.Auth{Reason: reason, Message: message}
}

// SetAuth stores a on c exactly as ginclerk's middlewares do (see
// ginclerk.SetAuth), so that ginclerk.GetAuth(c) and
// ginclerk.AuthFromContext(c.Request.Context()) both return it. When c has
// no request yet — a bare gin.CreateTestContext — it first gets a GET /
// request, so the context path works too.
func SetAuth(c *gin.Context, a *ginclerk.Auth) {
	if c.Request == nil {
		c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	}
	ginclerk.SetAuth(c, a)
}

// Authenticate returns a middleware that stands in for ginclerk's: it
// stores a on every request and continues, so a router's handlers can be
// tested as a given user without minting tokens or configuring keys.
// Handlers must treat a as read-only, since every request shares it.
func Authenticate(a *ginclerk.Auth) gin.HandlerFunc {
	return func(c *gin.Context) { ginclerk.SetAuth(c, a) }
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
