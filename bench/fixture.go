// Package bench compares ginclerk with the other ways a Gin app can verify a
// Clerk session token — clerk-sdk-go v2, a plain jwx v2 middleware, and the
// standard-library floor — on the same token and key, networklessly.
//
// It is a module of its own (with a replace to the root), so that
// clerk-sdk-go and its dependencies never enter ginclerk's go.mod, and so
// that the root `go test ./...` (`make test`) does not run it. Use
// `make bench-compare` for the benchmarks and `make load` for the loopback
// load run (cmd/load).
package bench

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/benchkit"
)

// Fixture is one RSA key and a session token it signed, shared by every
// middleware under comparison.
type Fixture struct {
	Key   *ginclerktest.Key
	Token string
	// PEM is the key's public half as Clerk's dashboard shows it.
	PEM string
}

// NewFixture generates an RSA-2048 key and mints a realistic Clerk v2
// session token (~500-byte payload: organization, permissions, features,
// plans, fva) valid for lifetime from now.
func NewFixture(lifetime time.Duration) (*Fixture, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("bench: generating the key: %w", err)
	}
	key := &ginclerktest.Key{Private: priv, KID: "ins_2vYxQs7JoPlM2KyV3iGb5cEfA0z"}
	token := key.Mint(nil, benchkit.SessionClaims(time.Now(), lifetime)...)
	return &Fixture{Key: key, Token: token, PEM: key.PublicKeyPEM()}, nil
}

// Engine returns gin.New() in release mode with mw (if not nil) and a
// GET / route answering 204, the route every comparison serves.
func Engine(mw gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if mw != nil {
		r.Use(mw)
	}
	r.GET("/", func(c *gin.Context) { c.Status(204) })
	return r
}
