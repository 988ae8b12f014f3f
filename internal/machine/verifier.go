package machine

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/ginclerk/ginclerk/internal/backendapi"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// Verifier verifies opaque machine credentials, caching the answers. Create
// one per ginclerk instance with New; it is safe for concurrent use. Close
// it when done.
type Verifier struct {
	cfg         Config
	client      *http.Client
	own         *http.Transport // our private transport, nil with a caller's client
	log         *slog.Logger
	secretAuth  string // "Bearer <secret key>", built once, or ""
	machineAuth string // "Bearer <machine secret key>", or ""

	pos *fifo[*Credential]
	neg *fifo[struct{}]

	// life bounds every call: Close cancels it and waits on wg.
	life context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu       sync.Mutex
	inflight map[key]*flight
	closed   bool

	calls, hits, negHits, joined atomic.Uint64
}

// flight is one Backend API call that any number of callers wait on.
type flight struct {
	done chan struct{}
	cred *Credential     // set before done is closed, on success
	err  *clerkerr.Error // set before done is closed, on failure
}

// New returns a Verifier for cfg. It panics if cfg has neither a SecretKey
// nor a MachineSecretKey: a missing secret is a configuration error the
// caller reports first.
func New(cfg Config) *Verifier {
	if cfg.SecretKey == "" && cfg.MachineSecretKey == "" {
		panic("machine: New needs a SecretKey or a MachineSecretKey")
	}
	cfg = cfg.withDefaults()
	v := &Verifier{
		cfg:      cfg,
		log:      cfg.Logger.With(slog.String("component", "ginclerk/machine")),
		inflight: make(map[key]*flight),
	}
	if cfg.SecretKey != "" {
		v.secretAuth = "Bearer " + cfg.SecretKey
	}
	if cfg.MachineSecretKey != "" {
		v.machineAuth = "Bearer " + cfg.MachineSecretKey
	}
	v.client, v.own = backendapi.Client(cfg.HTTPClient)
	if cfg.CacheTTL > 0 {
		v.pos = newFIFO[*Credential](cfg.MaxBytes)
		v.neg = newFIFO[struct{}](cfg.NegativeMaxBytes)
	}
	v.life, v.stop = context.WithCancel(context.Background())
	return v
}

// Verify verifies an opaque machine credential (ak_…, mt_…, oat_…). On
// success the *Credential is shared with the cache: do not modify it. Every
// error is a *clerkerr.Error: token-invalid (not a credential Clerk knows,
// or revoked, expired, too long, without a machine prefix),
// token-verification-failed (an OAuth token for another audience),
// secret-key-invalid (the Backend API refused our secret key), or
// unexpected-error (the Backend API could not give an answer, or ctx ended
// first). A caller whose ctx ends stops waiting; the call it shares with
// others goes on, bounded by Config.Timeout.
func (v *Verifier) Verify(ctx context.Context, token string) (*Credential, error) {
	kind, ok := OpaqueKind(token)
	if !ok || len(token) > MaxCredentialBytes {
		return nil, clerkerr.New(clerkerr.TokenInvalid, "not an opaque Clerk machine credential")
	}
	k := keyOf(token)
	if v.pos != nil {
		now := v.cfg.Now().UnixNano()
		if c, ok := v.pos.get(k, now); ok {
			v.hits.Add(1)
			return v.checkAudience(c)
		}
		if _, ok := v.neg.get(k, now); ok {
			v.negHits.Add(1)
			return nil, notFound(kind)
		}
	}
	fl, err := v.join(k, kind, token)
	if err != nil {
		return nil, err
	}
	select {
	case <-fl.done:
	default:
		select {
		case <-fl.done:
		case <-ctx.Done():
			return nil, v.unexpected(kind, ctx.Err(), "gave up waiting for the Backend API")
		}
	}
	if fl.err != nil {
		e := *fl.err // a copy per caller: callers may annotate it
		return nil, &e
	}
	return v.checkAudience(fl.cred)
}

// join returns the call in flight for k, starting it if there is none.
func (v *Verifier) join(k key, kind Kind, token string) (*flight, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if fl := v.inflight[k]; fl != nil {
		v.joined.Add(1)
		return fl, nil
	}
	if v.closed {
		return nil, v.unexpected(kind, errors.New("closed"), "verifier closed")
	}
	fl := &flight{done: make(chan struct{})}
	v.inflight[k] = fl
	v.calls.Add(1)
	v.wg.Add(1)
	go v.run(fl, k, kind, token)
	return fl, nil
}

// run performs the call with its own deadline — not the first caller's
// ctx, which would fail every other caller with it — and caches the
// outcome before releasing the waiters, so a request arriving after the
// call finds the cache filled.
func (v *Verifier) run(fl *flight, k key, kind Kind, token string) {
	defer v.wg.Done()
	ctx, cancel := context.WithTimeout(v.life, v.cfg.Timeout)
	a, err := v.call(ctx, kind, token)
	cancel()
	now := v.cfg.Now()
	if err == nil {
		fl.cred, err = check(a, now)
	}
	switch {
	case err == nil:
		if v.pos != nil {
			deadline := now.Add(v.cfg.CacheTTL).UnixNano()
			if exp := fl.cred.Expiration; !exp.IsZero() {
				deadline = min(deadline, exp.UnixNano())
			}
			v.pos.put(k, fl.cred, fl.cred.cost(), deadline, now.UnixNano())
		}
	case err.Reason == clerkerr.TokenInvalid:
		if v.neg != nil {
			v.neg.put(k, struct{}{}, negativeOverhead, now.Add(v.cfg.NegativeTTL).UnixNano(), now.UnixNano())
		}
	default:
		v.log.Warn("Backend API verify call failed",
			slog.String("kind", string(kind)), slog.String("reason", err.Reason), slog.String("error", err.Message))
	}
	fl.err = err
	v.mu.Lock()
	delete(v.inflight, k)
	v.mu.Unlock()
	close(fl.done)
}

// Close cancels the calls in flight, waits for their goroutines, and closes
// the private transport's idle connections. Verify after Close answers from
// the cache or fails with unexpected-error. Close is idempotent.
func (v *Verifier) Close() {
	v.mu.Lock()
	v.closed = true
	v.mu.Unlock()
	v.stop()
	v.wg.Wait()
	if v.own != nil {
		v.own.CloseIdleConnections()
	}
}
