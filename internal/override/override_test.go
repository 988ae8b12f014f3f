package override

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Not parallel: the override is process-wide by design.
func TestInstall(t *testing.T) {
	require.Nil(t, Load())
	restore, _, ok := Install("first", "TestA")
	require.True(t, ok)
	assert.Equal(t, "first", Load())

	_, owner, ok := Install("second", "TestB")
	assert.False(t, ok, "overrides do not nest")
	assert.Equal(t, "TestA", owner)
	assert.Equal(t, "first", Load(), "a refused override changes nothing")

	restore()
	assert.Nil(t, Load())

	again, _, ok := Install("third", "TestC")
	require.True(t, ok)
	defer again()
	restore()
	assert.Equal(t, "third", Load(), "a stale restore does not undo a later override")
}
