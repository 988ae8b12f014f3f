package claims

import (
	"math/big"
	"math/bits"
)

// mask is one decoded fpm entry. Clerk's masks are arbitrary-length decimals
// (one bit per permission, and instances may define more than 64), so values
// past uint64 fall back to math/big — rare, and only then does decoding
// allocate.
type mask struct {
	small uint64
	large *big.Int // non-nil when the value needs more than 64 bits
}

// maxSmallDigits is the longest decimal that always fits in a uint64.
const maxSmallDigits = 19

// parseMask decodes an already-trimmed fpm entry. Like Clerk's /^\d+$/ test,
// it accepts only ASCII digits (leading zeros allowed); anything else — a
// sign, an exponent, an empty entry — means that feature gets no permissions.
func parseMask(b []byte) (mask, bool) {
	if len(b) == 0 {
		return mask{}, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return mask{}, false
		}
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	if len(b) <= maxSmallDigits {
		var v uint64
		for _, c := range b {
			v = v*10 + uint64(c-'0')
		}
		return mask{small: v}, true
	}
	large, ok := new(big.Int).SetString(string(b), 10)
	if !ok {
		return mask{}, false
	}
	return mask{large: large}, true
}

// bit reports whether bit i (least significant first) is set.
func (m mask) bit(i int) bool {
	if m.large != nil {
		return m.large.Bit(i) == 1
	}
	return i < 64 && m.small&(1<<uint(i)) != 0
}

// len returns the number of bits up to and including the highest set one.
func (m mask) len() int {
	if m.large != nil {
		return m.large.BitLen()
	}
	return bits.Len64(m.small)
}
