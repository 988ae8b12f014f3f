package claims

import (
	"bytes"
	"math"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// decodeActor keeps the act object (impersonation) raw — callers may want
// any of its fields — and decodes only its sub.
func (c *Claims) decodeActor(raw []byte) error {
	if jsonx.KindOf(raw) != jsonx.KindObject {
		return invalid(`session token claim "act" must be an object`)
	}
	c.Actor = unsafe.String(unsafe.SliceData(raw), len(raw)) // a view of Raw, as text is
	for key, val := range jsonx.Members(raw) {
		if string(key) != "sub" {
			continue
		}
		s, err := c.str("act.sub", val)
		if err != nil {
			return err
		}
		c.ActorSubject = s
	}
	return nil
}

// decodeFVA decodes fva, [first-factor age, second-factor age] in minutes.
// Anything but two integers is refused: reverification checks compare these
// numbers, and a guessed value could pass a check Clerk would fail.
func (c *Claims) decodeFVA(raw []byte) error {
	if jsonx.KindOf(raw) != jsonx.KindArray {
		return invalid(`session token claim "fva" must be an array of two integers`)
	}
	i := 0
	for elem := range jsonx.Elements(raw) {
		if i == len(c.FVA) {
			return invalid(`session token claim "fva" must be an array of two integers`)
		}
		n, ok := smallInteger(elem)
		if !ok {
			return invalid(`session token claim "fva" must be an array of two integers`)
		}
		c.FVA[i] = n
		i++
	}
	if i != len(c.FVA) {
		return invalid(`session token claim "fva" must be an array of two integers`)
	}
	c.HasFVA = true
	return nil
}

// smallInteger decodes a JSON number written as an integer (no fraction, no
// exponent) that fits in 32 bits, so that FVA means the same on every platform.
func smallInteger(raw []byte) (int, bool) {
	if jsonx.KindOf(raw) != jsonx.KindNumber || bytes.ContainsAny(raw, ".eE") {
		return 0, false
	}
	n, err := jsonx.Int(raw)
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}
