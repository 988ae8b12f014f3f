package backendapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBody(t *testing.T) {
	t.Parallel()
	body, err := ReadBody(strings.NewReader(strings.Repeat("a", MaxBody)))
	require.NoError(t, err)
	assert.Len(t, body, MaxBody, "exactly the cap is accepted")

	_, err = ReadBody(strings.NewReader(strings.Repeat("a", MaxBody+1)))
	assert.ErrorIs(t, err, ErrBodyTooLarge, "one byte more is refused")
}
