package jsonx

// maxSafeInt is 2^53, the largest magnitude up to which every integer is
// exactly representable as a float64. JavaScript (Clerk's own SDKs) reads
// numbers as float64, so accepting a larger value would let the two sides
// disagree about a timestamp.
const maxSafeInt = 1 << 53

// maxExp caps the exponent while parsing so that "1e99999999999999999999"
// cannot overflow (even a 32-bit int); any cap far above the 16 digits of 2^53 gives the same
// answer.
const maxExp = 1 << 20

// Int returns the value of raw, which must be exactly one JSON number token,
// truncated toward zero: 1.7e9 is 1700000000 and -1.9 is -1. The value must
// lie within ±2^53. The result is computed exactly in decimal, never through
// a float64, so no rounding can move a timestamp by a second.
//
// It fails with ErrType when raw is another kind of value (a numeric string
// such as "123" included: a claim that should be a number must be one) or
// when the number is outside ±2^53, and with ErrSyntax when the token is
// malformed.
func Int(raw []byte) (int64, error) {
	if v, ok := plainInt(raw); ok {
		return v, nil
	}
	if KindOf(raw) != KindNumber {
		return 0, newError(ErrType, -1, "not a number")
	}
	s := lexer{data: raw}
	if err := s.number(); err != nil {
		return 0, err
	}
	if s.i != len(raw) {
		return 0, newError(ErrSyntax, s.i, "trailing data after the number")
	}

	neg := raw[0] == '-'
	i := 0
	if neg {
		i = 1
	}
	intStart := i
	i = skipDigits(raw, i)
	intPart := raw[intStart:i]
	var frac []byte
	if i < len(raw) && raw[i] == '.' {
		start := i + 1
		i = skipDigits(raw, start)
		frac = raw[start:i]
	}
	exp := 0
	if i < len(raw) { // 'e' or 'E'
		i++
		expNeg := raw[i] == '-'
		if raw[i] == '+' || raw[i] == '-' {
			i++
		}
		for ; i < len(raw); i++ {
			if exp < maxExp {
				exp = exp*10 + int(raw[i]-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}

	// The value is D × 10^(exp-len(frac)), where D is intPart followed by
	// frac. Drop D's leading zeros; what is left are its significant digits.
	digits := decimalDigits{intPart, frac}
	lead := 0
	for lead < digits.len() && digits.at(lead) == 0 {
		lead++
	}
	sig := digits.len() - lead
	if sig == 0 {
		return 0, nil
	}
	// intDigits is how many digits the integer part of the value has.
	intDigits := int64(sig) + int64(exp) - int64(len(frac))
	if intDigits <= 0 {
		return 0, nil // |value| < 1
	}
	if intDigits > 16 { // 2^53 has 16 digits
		return 0, newError(ErrType, -1, "number out of range")
	}
	var v uint64
	for k := range int(intDigits) {
		v *= 10
		if k < sig {
			v += uint64(digits.at(lead + k))
		}
	}
	if v > maxSafeInt {
		return 0, newError(ErrType, -1, "number out of range")
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// plainInt reads the common form of a claim's number, a plain integer of
// at most 16 digits without a leading zero (a timestamp: 1767225600), with
// one loop; ok is false for anything else, which Int then parses in full.
func plainInt(raw []byte) (v int64, ok bool) {
	digits := raw
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 16 || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	for _, c := range digits {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if v > maxSafeInt {
		return 0, false
	}
	if len(digits) < len(raw) {
		v = -v
	}
	return v, true
}

// decimalDigits reads an integer part and a fraction as one digit string
// without copying them together.
type decimalDigits struct{ a, b []byte }

func (d decimalDigits) len() int { return len(d.a) + len(d.b) }

func (d decimalDigits) at(k int) byte {
	if k < len(d.a) {
		return d.a[k] - '0'
	}
	return d.b[k-len(d.a)] - '0'
}
