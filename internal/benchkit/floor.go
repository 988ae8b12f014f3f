// Package benchkit is what the root benchmarks and the comparison module
// ./bench share, so the two cannot drift apart: the baseline middleware
// (Floor) and the shape of the token they all verify (SessionClaims).
package benchkit

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// claims is the small struct the floor decodes into.
type claims struct {
	Sub string `json:"sub"`
	Sid string `json:"sid"`
	Exp int64  `json:"exp"`
}

// Floor splits the bearer token, decodes it with base64, checks the
// SHA-256 RS256 signature with rsa.VerifyPKCS1v15, unmarshals the payload
// into a small struct and checks exp: no header checks, no key lookup, no
// cache — the floor ginclerk is measured against.
func Floor(pub *rsa.PublicKey) gin.HandlerFunc {
	return func(c *gin.Context) {
		token := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		digest := sha256.Sum256([]byte(token[:len(parts[0])+1+len(parts[1])]))
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		var cl claims
		if json.Unmarshal(payload, &cl) != nil || cl.Exp <= time.Now().Unix() {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Set("claims", &cl)
		c.Next()
	}
}
