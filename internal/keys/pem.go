package keys

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// RSA size bounds for every key this package hands out. Clerk signs with
// 2048-bit keys; smaller keys are forgeable in practice, and keys beyond
// crypto/rsa's own limit would make each verification a CPU-exhaustion vector.
const (
	minRSABits = 2048
	maxRSABits = 16384
)

// ErrInvalidPEM is wrapped by every ParsePEM error; compare with errors.Is.
var ErrInvalidPEM = errors.New("invalid PEM public key")

// ParsePEM parses the RSA public key Clerk shows as the instance's "JWT public
// key" (CLERK_JWT_KEY). It accepts the key as people actually paste it:
//   - a PEM block, with the -----BEGIN/END----- lines on their own lines or all
//     on one line;
//   - only the base64 body, on one line or several;
//   - the env-file form, with literal `\n` sequences instead of newlines;
//   - PKIX ("PUBLIC KEY", what Clerk shows) or PKCS#1 ("RSA PUBLIC KEY").
//
// The key must be RSA with at least 2048 bits. Errors wrap ErrInvalidPEM and
// never quote the input: a secret key pasted into the wrong variable must not
// end up in a log.
func ParsePEM(s string) (*rsa.PublicKey, error) {
	s = normalizePEM(s)
	if s == "" {
		return nil, fmt.Errorf("%w: empty", ErrInvalidPEM)
	}
	if strings.HasPrefix(s, "sk_") || strings.HasPrefix(s, "pk_") {
		return nil, fmt.Errorf("%w: this looks like a Clerk API key (sk_/pk_); "+
			"the JWT key is the PEM public key from the Clerk dashboard", ErrInvalidPEM)
	}
	label, body, err := splitPEM(s)
	if err != nil {
		return nil, err
	}
	if strings.Contains(label, "PRIVATE KEY") {
		return nil, fmt.Errorf("%w: this is a private key; use the instance's public key", ErrInvalidPEM)
	}
	der, err := decodeBody(body)
	if err != nil {
		return nil, err
	}
	pub, err := parseDER(label, der)
	if err != nil {
		return nil, err
	}
	if err := checkRSA(pub); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPEM, err)
	}
	return pub, nil
}

// normalizePEM undoes what env files and shells do to a PEM: literal "\n"
// escapes and surrounding quotes. A backslash can never occur in base64 or in
// PEM armour, so replacing the escapes cannot corrupt a valid key.
func normalizePEM(s string) string {
	s = strings.ReplaceAll(s, `\r`, "\n")
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = strings.TrimSpace(s)
	for len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// splitPEM returns the PEM label ("" when there are no armour lines) and the
// base64 body. It does its own scanning rather than use encoding/pem because
// pem.Decode rejects the one-line form (BEGIN, body and END on one line).
func splitPEM(s string) (label, body string, err error) {
	const begin, end, dashes = "-----BEGIN ", "-----END ", "-----"
	if !strings.HasPrefix(s, begin) {
		if strings.Contains(s, dashes) {
			return "", "", fmt.Errorf("%w: text before the -----BEGIN line, or a missing BEGIN line", ErrInvalidPEM)
		}
		return "", s, nil
	}
	rest := s[len(begin):]
	i := strings.Index(rest, dashes)
	if i < 0 {
		return "", "", fmt.Errorf("%w: malformed -----BEGIN line", ErrInvalidPEM)
	}
	label, rest = rest[:i], rest[i+len(dashes):]
	j := strings.Index(rest, end)
	if j < 0 {
		return "", "", fmt.Errorf("%w: missing -----END line", ErrInvalidPEM)
	}
	body, rest = rest[:j], rest[j+len(end):]
	if !strings.HasPrefix(rest, label+dashes) {
		return "", "", fmt.Errorf("%w: -----END line does not match the -----BEGIN line", ErrInvalidPEM)
	}
	// Anything after the block would be silently ignored by a lenient parser;
	// two keys in one variable is a mistake worth reporting.
	if strings.TrimSpace(rest[len(label)+len(dashes):]) != "" {
		return "", "", fmt.Errorf("%w: unexpected text after the -----END line", ErrInvalidPEM)
	}
	return label, body, nil
}

// decodeBody decodes the base64 body, ignoring all whitespace and tolerating
// missing padding (some tools strip it).
func decodeBody(body string) ([]byte, error) {
	if strings.Contains(body, ":") {
		return nil, fmt.Errorf("%w: PEM headers (encrypted keys) are not supported", ErrInvalidPEM)
	}
	b64 := strings.Join(strings.Fields(body), "")
	if b64 == "" {
		return nil, fmt.Errorf("%w: no key data", ErrInvalidPEM)
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		der, err = base64.RawStdEncoding.DecodeString(b64)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: key data is not base64", ErrInvalidPEM)
	}
	return der, nil
}

// parseDER parses der as the label says; without a label it tries PKIX (what
// Clerk shows) and then PKCS#1.
func parseDER(label string, der []byte) (*rsa.PublicKey, error) {
	switch label {
	case "PUBLIC KEY":
		return parsePKIX(der)
	case "RSA PUBLIC KEY":
		return parsePKCS1(der)
	case "":
		if pub, err := parsePKIX(der); err == nil || !errors.Is(err, errNotDER) {
			return pub, err
		}
		return parsePKCS1(der)
	default:
		return nil, fmt.Errorf("%w: unsupported PEM type; want PUBLIC KEY or RSA PUBLIC KEY", ErrInvalidPEM)
	}
}

// errNotDER marks a body that is not a public key structure at all, as
// opposed to a well-formed key of the wrong kind.
var errNotDER = errors.New("not a DER public key")

func parsePKIX(der []byte) (*rsa.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: %w", ErrInvalidPEM, errNotDER, err)
	}
	pub, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: not an RSA key (%T); Clerk signs sessions with RS256", ErrInvalidPEM, k)
	}
	return pub, nil
}

func parsePKCS1(der []byte) (*rsa.PublicKey, error) {
	pub, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: not a PKIX or PKCS#1 RSA public key: %w", ErrInvalidPEM, err)
	}
	return pub, nil
}

// checkRSA applies the size and exponent bounds shared by PEM and JWKS keys.
func checkRSA(pub *rsa.PublicKey) error {
	if pub == nil || pub.N == nil {
		return errors.New("empty RSA key")
	}
	switch bits := pub.N.BitLen(); {
	case bits < minRSABits:
		return fmt.Errorf("RSA key is %d bits; at least %d required", bits, minRSABits)
	case bits > maxRSABits:
		return fmt.Errorf("RSA key is %d bits; at most %d supported", bits, maxRSABits)
	}
	if pub.E < 3 || pub.E%2 == 0 {
		return errors.New("invalid RSA public exponent")
	}
	return nil
}
