package ginclerk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
)

// A plain net/http handler, outside any Gin chain, verifies the request as
// RequireAuth would and answers with the same status.
func ExampleClerk_Authenticate() {
	ck := exampleClerk()
	defer ck.Close()

	me := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, err := ck.Authenticate(r)
		var e *ginclerk.Error
		if errors.As(err, &e) {
			http.Error(w, e.Reason, e.StatusCode)
			return
		}
		fmt.Fprintln(w, "hello,", auth.UserID)
	})

	token := exampleKey().Mint(nil, ginclerktest.Subject("user_123"))
	for _, bearer := range []string{"", token} {
		req := httptest.NewRequest(http.MethodGet, "/me", nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		w := httptest.NewRecorder()
		me.ServeHTTP(w, req)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	// Output:
	// 401 session-token-and-uat-missing
	// 200 hello, user_123
}

// A token that arrives elsewhere than in a header — here, as a WebSocket
// client might send it in its first message — is verified on its own.
func ExampleClerk_VerifyToken() {
	ck := exampleClerk()
	defer ck.Close()

	token := exampleKey().Mint(nil, ginclerktest.Subject("user_123"))
	for _, t := range []string{token, "not-a-token"} {
		auth, err := ck.VerifyToken(context.Background(), t)
		if err != nil {
			fmt.Println("refused:", auth.Reason, errors.Is(err, ginclerk.ErrUnauthenticated))
			continue
		}
		fmt.Println("signed in:", auth.UserID)
	}
	// Output:
	// signed in: user_123
	// refused: token-invalid true
}
