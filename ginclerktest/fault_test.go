package ginclerktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/ginclerktest"
)

func TestServerFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault  ginclerktest.Fault
		status int
		code   string // Clerk error code, when an error body is expected
		check  func(t *testing.T, body []byte)
	}{
		{ginclerktest.FaultNone, http.StatusOK, "", func(t *testing.T, b []byte) { assert.Equal(t, []string{"ins_test_1"}, kids(t, b)) }},
		{ginclerktest.Fault500, http.StatusInternalServerError, "internal_clerk_error", nil},
		{ginclerktest.Fault401, http.StatusUnauthorized, "authentication_invalid", nil},
		{ginclerktest.Fault403, http.StatusForbidden, "authorization_invalid", nil},
		{ginclerktest.FaultGarbage, http.StatusOK, "", func(t *testing.T, b []byte) { assert.False(t, json.Valid(b), "%s", b) }},
		{ginclerktest.FaultEmptySet, http.StatusOK, "", func(t *testing.T, b []byte) { assert.JSONEq(t, `{"keys":[]}`, string(b)) }},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			s := ginclerktest.NewServer(t)
			s.Fail(tt.fault)
			res, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 5*time.Second)
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.status)
			assert.Equal(t, "application/json", res.ctype)
			if tt.code != "" {
				assert.Equal(t, tt.code, errorCode(t, res.body))
			}
			if tt.check != nil {
				tt.check(t, res.body)
			}
			assert.Equal(t, 1, s.Fetches())

			s.Fail(ginclerktest.FaultNone)
			res, err = get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 5*time.Second)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, res.status, "Fail(FaultNone) recovers")
		})
	}
}

func TestServerFaultWrongSecretStill401(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	s.Fail(ginclerktest.FaultHang)
	res, err := get(t, s, http.MethodGet, "/v1/jwks", "Bearer nope", 5*time.Second)
	require.NoError(t, err, "authentication comes before the fault")
	assert.Equal(t, http.StatusUnauthorized, res.status)
}

func TestServerHangAndStall(t *testing.T) {
	t.Parallel()
	for _, f := range []ginclerktest.Fault{ginclerktest.FaultHang, ginclerktest.FaultStall} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			s := ginclerktest.NewServer(t)
			s.Fail(f)
			start := time.Now()
			_, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), 100*time.Millisecond)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 3*time.Second, "the client's deadline ends the request")
			assert.Equal(t, 1, s.Fetches())
		})
	}
}

func TestServerHangReleasedByClose(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	s.Fail(ginclerktest.FaultHang)
	errc := make(chan error, 1)
	go func() {
		_, err := get(t, s, http.MethodGet, "/v1/jwks", bearer(s), time.Minute)
		errc <- err
	}()
	require.Eventually(t, func() bool { return s.Fetches() == 1 }, 5*time.Second, time.Millisecond)

	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the hanging handler")
	}
	select {
	case err := <-errc:
		// The handler returned without writing: the client sees an empty 200
		// or a dropped connection, never a hang.
		_ = err
	case <-time.After(5 * time.Second):
		t.Fatal("the client still hangs after Close")
	}
	s.Close() // idempotent, as t.Cleanup calls it again
}

func TestServerHugeBody(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	s.Fail(ginclerktest.FaultHugeBody)

	t.Run("bounded reader gives up", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/v1/jwks", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", bearer(s))
		res, err := s.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		assert.Equal(t, int64(-1), res.ContentLength, "no Content-Length to reject early")
		n, err := io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
		require.NoError(t, err)
		assert.Equal(t, int64(1<<20), n, "the body goes beyond any sane limit")
	})
	t.Run("unbounded reader gets valid JSON", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/v1/jwks", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", bearer(s))
		res, err := s.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		// Stream rather than io.ReadAll + json.Unmarshal, which take tens of
		// seconds on 50 MiB under -race. The body is valid JSON if it is "{",
		// then spaces, then the rest of the key set: check its first byte,
		// its tail, and that nothing else is anything but a space (a JWKS
		// has no spaces of its own).
		want := ginclerktest.JWKS(ginclerktest.DefaultKey(t))
		var head, tail []byte
		total, spaces := 0, 0
		buf := make([]byte, 1<<20)
		for {
			n, err := res.Body.Read(buf)
			chunk := buf[:n]
			if len(head) == 0 && n > 0 {
				head = []byte{chunk[0]}
			}
			total += n
			spaces += bytes.Count(chunk, []byte(" "))
			tail = append(tail, chunk[max(0, n-len(want)):]...)
			tail = tail[max(0, len(tail)-len(want)+1):]
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
		}
		assert.Equal(t, 50<<20, total)
		assert.Equal(t, "{", string(head))
		assert.Equal(t, string(want[1:]), string(tail))
		assert.Equal(t, len(want), total-spaces, "everything else is padding")
	})
}

func TestServerHugeEmptyBody(t *testing.T) {
	t.Parallel()
	s := ginclerktest.NewServer(t)
	s.SetJWKS([]byte{})
	s.Fail(ginclerktest.FaultHugeBody)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/v1/jwks", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", bearer(s))
	res, err := s.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	require.NoError(t, err)
	assert.Equal(t, int64(1<<16), n, "padding only, no panic")
}

func TestFaultString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "FaultHugeBody", ginclerktest.FaultHugeBody.String())
	assert.Equal(t, "Fault(99)", ginclerktest.Fault(99).String())
	assert.Equal(t, "Fault(-1)", ginclerktest.Fault(-1).String())
}
