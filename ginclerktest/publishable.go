package ginclerktest

import (
	"encoding/base64"
	"strings"
)

// DefaultPublishableKey is the publishable key of the made-up instance that
// issues minted tokens: ginclerk.WithPublishableKey(DefaultPublishableKey)
// pins the issuer to DefaultIssuer. It equals PublishableKey(DefaultIssuer).
const DefaultPublishableKey = "pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA=="

// PublishableKey returns a development publishable key ("pk_test_" +
// base64 of the Frontend API host followed by "$", as Clerk encodes them)
// for the instance whose issuer is issuer, an https URL such as
// DefaultIssuer; a bare host works too.
func PublishableKey(issuer string) string {
	host := strings.TrimPrefix(issuer, "https://")
	return "pk_test_" + base64.StdEncoding.EncodeToString([]byte(host+"$"))
}
