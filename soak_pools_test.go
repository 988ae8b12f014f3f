package ginclerk_test

import (
	"context"
	"encoding/base64"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

// soakPools holds pre-minted tokens (RSA signing is too slow to do per
// request) and makes the cheap hostile ones on the fly.
type soakPools struct {
	valid   atomic.Pointer[[]string] // refreshed: a long soak outlives 60 s tokens
	expired []string
	forged  []string
	rotated []string // really signed by the instance key, under unknown kids
	payload string   // base64url of valid claims, for on-the-fly forgeries
}

const soakUsers = 16

func newSoakPools(t *testing.T, key, evil *ginclerktest.Key) *soakPools {
	p := &soakPools{}
	p.mintValid(t, key)
	for i := range 8 {
		sub := ginclerktest.Subject("user_soak_" + strconv.Itoa(i))
		p.expired = append(p.expired, key.Mint(t, sub, ginclerktest.At(time.Now().Add(-time.Hour))))
		p.forged = append(p.forged, evil.Mint(t, sub))
		p.rotated = append(p.rotated, key.WithKID("ins_rotated_"+strconv.Itoa(i)).Mint(t, sub))
	}
	p.payload = segment(p.forged[0], 1)
	return p
}

func (p *soakPools) mintValid(t *testing.T, key *ginclerktest.Key) {
	valid := make([]string, soakUsers)
	for i := range valid {
		valid[i] = key.Mint(t, ginclerktest.Subject("user_soak_"+strconv.Itoa(i)))
	}
	p.valid.Store(&valid)
}

// refresh re-mints the valid tokens every 20 s until ctx ends.
func (p *soakPools) refresh(ctx context.Context, t *testing.T, key *ginclerktest.Key) {
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			p.mintValid(t, key)
		}
	}
}

func (p *soakPools) validToken(i int) string { return (*p.valid.Load())[i] }

// forbidIn registers every pre-minted token with the log spy. (Tokens made
// on the fly are caught by its generic token detector.)
func (p *soakPools) forbidIn(spy *logSpy) {
	for _, list := range [][]string{*p.valid.Load(), p.expired, p.forged, p.rotated} {
		for _, tok := range list {
			spy.forbid(secretParts(tok)...)
		}
	}
}

// pick returns a token of class and, for valid tokens, its user.
func (p *soakPools) pick(rng *rand.Rand, class int) (token, user string) {
	switch class {
	case soakValid:
		i := rng.IntN(soakUsers)
		return p.validToken(i), "user_soak_" + strconv.Itoa(i)
	case soakExpired:
		return p.expired[rng.IntN(len(p.expired))], ""
	case soakForged:
		return p.forged[rng.IntN(len(p.forged))], ""
	case soakGarbage:
		return soakGarbageToken(rng), ""
	default:
		if rng.IntN(4) == 0 {
			return p.rotated[rng.IntN(len(p.rotated))], ""
		}
		// A fresh forged kid every time: the negative cache and the
		// refetch cooldown must absorb the flood.
		hdr := `{"alg":"RS256","kid":"ins_forged_` + strconv.FormatUint(rng.Uint64(), 36) + `","typ":"JWT"}`
		sig := make([]byte, 256)
		for i := range sig {
			sig[i] = byte(rng.Uint32())
		}
		return b64url.EncodeToString([]byte(hdr)) + "." + p.payload + "." + b64url.EncodeToString(sig), ""
	}
}

// soakGarbageToken is something that is not a JWT (only characters an HTTP
// header may carry, or the client would refuse to send it).
func soakGarbageToken(rng *rand.Rand) string {
	random := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	switch rng.IntN(6) {
	case 0:
		return random(1 + rng.IntN(64))
	case 1:
		return random(40) + "." + random(200) + "." + random(256)
	case 2:
		return strings.Repeat("A", 20<<10) + ".b.c"
	case 3:
		return "eyJhbGciOiJub25lIn0." + random(100) + "."
	case 4:
		return random(30) + "." + random(30) + "." + random(30) + "." + random(30)
	default:
		return "a.b.c"
	}
}
