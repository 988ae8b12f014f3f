package ginclerk

import (
	"context"

	"github.com/ginclerk/ginclerk/internal/claims"
)

// verify checks a session token and returns its claims.
func (ck *Clerk) verify(ctx context.Context, token string) (*claims.Claims, error) {
	return ck.verifier.Verify(ctx, token)
}
