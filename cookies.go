package ginclerk

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/verify"
)

// Cookie names Clerk's frontend sets for same-site apps.
const (
	sessionCookie   = "__session"
	clientUATCookie = "__client_uat"
)

// instanceCookies describes the cookies of this Clerk instance. Several
// Clerk apps on one domain (every app on localhost in development) each
// write __session_<suffix> and __client_uat_<suffix> besides the shared
// plain pair, the suffix derived from their publishable key; which pair is
// this instance's is decided per request, as Clerk decides it.
type instanceCookies struct {
	// session and clientUAT are the suffixed names; empty without a
	// publishable key, when only the plain names exist.
	session, clientUAT string
	// frontendAPI is the host the publishable key names: tokens this
	// instance issued carry iss https://<frontendAPI>.
	frontendAPI string
	production  bool
}

// newInstanceCookies derives the suffixed cookie names from the publishable
// key, once: the suffix is the first 8 characters of the URL-safe base64 of
// the key's SHA-1 (@clerk/shared getCookieSuffix).
func newInstanceCookies(publishableKey string) (instanceCookies, error) {
	if publishableKey == "" {
		return instanceCookies{}, nil
	}
	host, err := frontendAPIHost(publishableKey)
	if err != nil {
		return instanceCookies{}, fmt.Errorf("ginclerk: WithPublishableKey/CLERK_PUBLISHABLE_KEY: %w", err)
	}
	sum := sha1.Sum([]byte(publishableKey))
	suffix := base64.URLEncoding.EncodeToString(sum[:])[:8]
	return instanceCookies{
		session:     sessionCookie + "_" + suffix,
		clientUAT:   clientUATCookie + "_" + suffix,
		frontendAPI: host,
		production:  strings.HasPrefix(publishableKey, publishableKeyLivePrefix),
	}, nil
}

// sessionFromCookies applies Clerk's cookie rules (@clerk/backend
// authenticateRequestWithTokenInCookie), in Clerk's order, up to
// verification: it returns the session token to verify, or why there is
// none to trust. Where Clerk would answer a browser with a handshake, the
// answer here is signed out with the same reason.
func (ck *Clerk) sessionFromCookies(r *http.Request) (string, *Error) {
	jar := readJar(r)
	sessionName, uatName := ck.cookieNames(jar)
	if name := jar.ambiguous(sessionName, uatName); name != "" {
		return "", failure(clerkerr.TokenInvalid, "request has more than one "+name+" cookie")
	}
	token := jar.get(sessionName)
	uat := parseIntJS(jar.get(uatName))
	switch {
	case uat == 0 && token == "":
		return "", failure(clerkerr.SessionTokenAndUATMissing, "request carries no session token (Authorization: Bearer or __session cookie)")
	case uat == 0:
		return "", failure(clerkerr.SessionTokenButNoClientUAT, "session cookie without a __client_uat cookie saying the client is signed in")
	case token == "":
		return "", failure(clerkerr.ClientUATButNoSessionToken, "__client_uat cookie without a session cookie")
	}
	u, err := verify.Inspect(token)
	switch {
	case err != nil:
		return "", fromInternal(err)
	case u.Kind != verify.KindSession:
		return "", failure(clerkerr.TokenTypeMismatch, "session cookie holds a token that is not a session token")
	case u.HasIssuedAt && u.IssuedAt < float64(uat):
		return "", failure(clerkerr.SessionTokenIatBeforeClientUAT, "session cookie is older than the client's last sign-in or sign-out")
	}
	return token, nil
}

// cookieNames returns the names of the session and __client_uat cookies
// that hold this instance's state on this request.
func (ck *Clerk) cookieNames(jar cookieJar) (session, clientUAT string) {
	if ck.cookies.session != "" && ck.usesSuffixedCookies(jar) {
		return ck.cookies.session, ck.cookies.clientUAT
	}
	return sessionCookie, clientUATCookie
}

// usesSuffixedCookies decides, exactly as @clerk/backend's
// AuthenticateContext.usesSuffixedCookies, whether this instance's state is
// in the suffixed pair rather than the plain one. The tokens it reads are
// unverified: it only chooses which token to verify.
func (ck *Clerk) usesSuffixedCookies(jar cookieJar) bool {
	suffixedUAT, uat := jar.get(ck.cookies.clientUAT), jar.get(clientUATCookie)
	suffixedSession, session := jar.get(ck.cookies.session), jar.get(sessionCookie)
	plain, _ := verify.Inspect(session)
	suffixed, suffixedErr := verify.Inspect(suffixedSession)
	switch {
	case session != "" && !plain.IssuerTruthy:
		// Malformed: the plain pair gives a signed-out answer.
		return false
	case session != "" && !ck.issuedByInstance(plain.Issuer):
		// Another Clerk instance's session: never ours.
		return true
	case suffixedUAT == "" && suffixedSession == "":
		return false
	case suffixedUAT != "0" && uat != "0" && plain.IssuedAt > suffixed.IssuedAt:
		// Both signed in, and the plain token is newer.
		return false
	case suffixedUAT == "0" && uat != "0":
		// The plain pair is written by every clerk-js version: trust its
		// signed-in state over a suffixed signed-out one.
		return false
	case !ck.cookies.production && suffixedUAT != "0" && uat == "0" && suffixedErr == nil &&
		suffixed.HasExpiry && suffixed.Expiry <= float64(ck.verifier.Now().Unix()):
		// Development, after a downgrade of clerk-js: a suffixed pair no
		// longer maintained goes stale; trust the plain signed-out state.
		return false
	case suffixedUAT == "" && suffixedSession != "":
		// Suffixed cookies switched off for the instance: plain pair.
		return false
	}
	return true
}

// issuedByInstance reports whether iss names this instance's Frontend API,
// compared as Clerk compares it: with every "http://" and "https://"
// removed in one left-to-right pass, ASCII case-insensitively
// (iss.replace(/https?:\/\//gi, ”)).
func (ck *Clerk) issuedByInstance(iss string) bool {
	var b strings.Builder
	for i := 0; i < len(iss); {
		switch {
		case hasPrefixFoldASCII(iss[i:], "https://"):
			i += len("https://")
		case hasPrefixFoldASCII(iss[i:], "http://"):
			i += len("http://")
		default:
			b.WriteByte(iss[i])
			i++
		}
	}
	return b.String() == ck.cookies.frontendAPI
}

// hasPrefixFoldASCII is strings.HasPrefix ignoring ASCII case only, as a
// JavaScript /i regular expression without the u flag compares.
func hasPrefixFoldASCII(s, lowerPrefix string) bool {
	if len(s) < len(lowerPrefix) {
		return false
	}
	for i := 0; i < len(lowerPrefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lowerPrefix[i] {
			return false
		}
	}
	return true
}
