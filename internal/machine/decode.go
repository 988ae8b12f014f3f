package machine

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// maxDepth bounds the nesting of a verify answer; custom claims are the only
// nested part and real ones are shallow.
const maxDepth = 32

// answer is a decoded 200 verify answer: the credential and the two flags
// that say it must not be honoured.
type answer struct {
	cred             Credential
	revoked, expired bool
}

// errMalformed is the cause of every decoding failure. Its messages name the
// member at fault, never a value, which may be the credential itself (Clerk
// echoes an M2M token back in "token").
var errMalformed = errors.New("malformed verify answer")

// decode reads a 200 verify answer of kind. It is strict: the body must be
// exactly one JSON object with no duplicate member names, and every member
// it reads must have Clerk's type (null counts as absent). Members it does
// not know — including the echoed secret of some answers — are skipped and
// never kept. Everything it returns is freshly allocated: nothing aliases
// body.
func decode(kind Kind, body []byte) (*answer, error) {
	if err := jsonx.Validate(body, maxDepth); err != nil {
		return nil, fmt.Errorf("%w: %w", errMalformed, err)
	}
	if jsonx.KindOf(bytes.TrimLeft(body, " \t\r\n")) != jsonx.KindObject {
		return nil, fmt.Errorf("%w: not a JSON object", errMalformed)
	}
	a := &answer{cred: Credential{Kind: kind}}
	for name, raw := range jsonx.Members(body) {
		if jsonx.KindOf(raw) == jsonx.KindNull {
			continue
		}
		if err := a.member(string(name), raw); err != nil {
			return nil, fmt.Errorf("%w: member %q: %w", errMalformed, name, err)
		}
	}
	return a, nil
}

// member decodes one known member into a; unknown members are ignored.
func (a *answer) member(name string, raw []byte) error {
	c := &a.cred
	var err error
	switch name {
	case "id":
		c.ID, err = jsonx.String(raw)
	case "subject":
		c.Subject, err = jsonx.String(raw)
	case "name":
		c.Name, err = jsonx.String(raw)
	case "client_id":
		c.ClientID, err = jsonx.String(raw)
	case "scopes":
		c.Scopes, err = stringList(raw)
	case "aud":
		c.Audience, err = audience(raw)
	case "claims":
		if jsonx.KindOf(raw) != jsonx.KindObject {
			return errors.New("not an object")
		}
		c.Claims = string(raw)
	case "revoked":
		a.revoked, err = jsonx.Bool(raw)
	case "expired":
		a.expired, err = jsonx.Bool(raw)
	case "expiration":
		var ms int64
		if ms, err = jsonx.Int(raw); err == nil {
			c.Expiration = time.UnixMilli(ms)
		}
	}
	return err
}

// stringList decodes an array of strings.
func stringList(raw []byte) ([]string, error) {
	if jsonx.KindOf(raw) != jsonx.KindArray {
		return nil, errors.New("not an array")
	}
	var list []string
	for elem := range jsonx.Elements(raw) {
		s, err := jsonx.String(elem)
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, nil
}

// audience decodes aud: a list of strings, or one string as in a JWT.
func audience(raw []byte) ([]string, error) {
	if jsonx.KindOf(raw) == jsonx.KindString {
		s, err := jsonx.String(raw)
		return []string{s}, err
	}
	return stringList(raw)
}
