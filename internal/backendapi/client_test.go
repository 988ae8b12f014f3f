package backendapi

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClient(t *testing.T) {
	t.Parallel()
	t.Run("a given client is copied, never followed through a redirect", func(t *testing.T) {
		t.Parallel()
		given := &http.Client{Transport: http.DefaultTransport}
		c, own := Client(given)
		assert.Nil(t, own, "the caller owns its transport")
		assert.NotSame(t, given, c)
		assert.Nil(t, given.CheckRedirect, "the caller's client is untouched")
		assert.Same(t, http.DefaultTransport, c.Transport)
		require.NotNil(t, c.CheckRedirect)
		assert.ErrorIs(t, c.CheckRedirect(nil, nil), http.ErrUseLastResponse)
	})
	t.Run("no client: a private transport", func(t *testing.T) {
		t.Parallel()
		c, own := Client(nil)
		require.NotNil(t, own)
		assert.Same(t, own, c.Transport)
		assert.NotSame(t, http.DefaultTransport, c.Transport)
		assert.ErrorIs(t, c.CheckRedirect(nil, nil), http.ErrUseLastResponse)
	})
}
