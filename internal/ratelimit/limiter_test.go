package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// clock is a fake time: Sleep moves it forward at once, by at most step when step is set
// (two sleepers then cannot skip a window between them).
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// Now returns the fake time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep moves the clock to at least d after the time it was called at.
func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.step > 0 {
		d = min(d, c.step)
	}
	c.t = c.t.Add(d)
	return nil
}

// advance moves the clock forward by d.
func (c *clock) advance(d time.Duration) { _ = c.Sleep(context.Background(), d) }

// fake returns a Limiter on a fake clock starting at t0.
func fake(st Store, lim Limits) (*Limiter, *clock) {
	c := &clock{t: t0}
	l := New(st, "hub.test", lim)
	l.Now, l.Sleep = c.Now, c.Sleep
	return l, c
}

// wait calls l.Wait and fails the test on error.
func wait(t *testing.T, l *Limiter, b Bucket) {
	t.Helper()
	if err := l.Wait(context.Background(), b); err != nil {
		t.Fatalf("Wait(%s): %v", b, err)
	}
}

// rateHeader is an answer's RateLimit header.
func rateHeader(bucket string, r, secs int) http.Header {
	h := http.Header{}
	h.Set("RateLimit", fmt.Sprintf(`"%s";r=%d;t=%d`, bucket, r, secs))
	return h
}

// TestLimiterNeverOver: goroutines of two Limiters ("processes") sharing one Store, on one
// fake clock, never get more than the limit in a window, and use most of it.
func TestLimiterNeverOver(t *testing.T) {
	for kind, open := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			o := open(t)
			const lim, windows = 50, 6
			c := &clock{t: t0, step: time.Second}
			var mu sync.Mutex
			perWindow := map[int64]int{}
			var ls []*Limiter
			for range 2 {
				l := New(o(), "hub.test", Limits{API: lim})
				l.Now, l.Sleep, l.Window = c.Now, c.Sleep, time.Minute
				l.onGrant = func(_ string, at time.Time) {
					mu.Lock()
					perWindow[int64(at.Sub(t0)/time.Minute)]++
					mu.Unlock()
				}
				ls = append(ls, l)
			}
			var wg sync.WaitGroup
			for g := range 6 {
				wg.Go(func() {
					for c.Now().Before(t0.Add(windows * time.Minute)) {
						if err := ls[g%2].Wait(context.Background(), API); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			t.Logf("grants per window: %v", perWindow)
			for w := range int64(windows) {
				if n := perWindow[w]; n > lim || n < lim*3/4 {
					t.Errorf("window %d: %d grants, want between %d and %d", w, n, lim*3/4, lim)
				}
			}
		})
	}
}

// TestObserveAligns: a report of fewer remaining than the Store counts is trusted, and the
// window moves to the server's end (now + t + 1 s).
func TestObserveAligns(t *testing.T) {
	t.Parallel()
	st := NewMemory()
	l, c := fake(st, Limits{API: 100})
	wait(t, l, API)
	c.advance(10 * time.Second)
	l.Observe(API, rateHeader("api", 3, 20), http.StatusOK)
	// Another process sharing the Store finds nothing left until the server's end.
	if g, end := take(t, st, "hub.test/api", 1, 100, Window, c.Now()); g != 0 || !end.Equal(t0.Add(31*time.Second)) {
		t.Errorf("another process got %d until %v, want 0 until 31s", g, end.Sub(t0))
	}
	if s := l.Stats()[API]; s.Remaining != 3 || !s.Reset.Equal(t0.Add(31*time.Second)) {
		t.Errorf("stats after the report: remaining %d, reset %v", s.Remaining, s.Reset.Sub(t0))
	}
	got := 0
	for c.Now().Before(t0.Add(31 * time.Second)) {
		wait(t, l, API)
		got++
	}
	// Three remain (of the tokens leased before the report), then one in the next window.
	if got != 4 {
		t.Errorf("granted %d until the server's reset, want 3 + 1", got)
	}
	if now := c.Now(); !now.Equal(t0.Add(31 * time.Second)) {
		t.Errorf("the wait ended at %v, want the server's end, 31s", now.Sub(t0))
	}
	s := l.Stats()[API]
	if s.Granted != 5 || s.Waits != 1 || s.Waited != 21*time.Second {
		t.Errorf("stats = %+v, want 5 granted, 1 wait of 21s", s)
	}
}

// TestObserveIgnoresLateAnswers: an answer from the previous window, read after the next
// began, neither moves the window back nor takes its availability.
func TestObserveIgnoresLateAnswers(t *testing.T) {
	t.Parallel()
	l, c := fake(NewMemory(), Limits{API: 100})
	wait(t, l, API)
	c.advance(5*time.Minute + time.Second) // the next window, [5:00, 10:00)
	wait(t, l, API)
	// A request granted in the first window is answered now: "0 left until 5:03".
	l.observe(API, rateHeader("api", 0, 1), http.StatusOK, t0.Add(5*time.Minute))
	for range 50 {
		wait(t, l, API)
	}
	if now := c.Now(); !now.Equal(t0.Add(5*time.Minute + time.Second)) {
		t.Errorf("a late answer made Wait sleep until %v", now.Sub(t0))
	}
}

// TestTooMany: a 429 stops the bucket until the reset the server gave: RateLimit's t, else
// Retry-After, else the end of the window.
func TestTooMany(t *testing.T) {
	t.Parallel()
	retry := http.Header{}
	retry.Set("Retry-After", "42")
	tests := []struct {
		name  string
		h     http.Header
		until time.Duration
	}{
		{"ratelimit", rateHeader("api", 0, 99), 110 * time.Second},
		{"retry-after", retry, 52 * time.Second},
		{"window end", http.Header{}, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := NewMemory()
			l, c := fake(st, Limits{API: 1000, Pages: 10})
			wait(t, l, API)
			c.advance(10 * time.Second)
			l.Observe(API, tt.h, http.StatusTooManyRequests)
			// The other process sharing the store is stopped too.
			other, oc := fake(st, Limits{API: 1000})
			oc.advance(11 * time.Second)
			wait(t, other, API)
			if now := oc.Now(); !now.Equal(t0.Add(tt.until)) {
				t.Errorf("the other process went on at %v, want %v", now.Sub(t0), tt.until)
			}
			wait(t, l, Pages) // other buckets go on
			if now := c.Now(); !now.Equal(t0.Add(10 * time.Second)) {
				t.Errorf("Pages waited until %v", now.Sub(t0))
			}
			wait(t, l, API)
			if now := c.Now(); !now.Equal(t0.Add(tt.until)) {
				t.Errorf("API waited until %v, want %v", now.Sub(t0), tt.until)
			}
			if s := l.Stats()[API]; s.TooMany != 1 {
				t.Errorf("TooMany = %d", s.TooMany)
			}
		})
	}
}

// TestUnlimited: a bucket the Limits do not name never waits and never asks the Store.
func TestUnlimited(t *testing.T) {
	t.Parallel()
	l, c := fake(failing{}, Limits{API: 1})
	for range 1000 {
		wait(t, l, Resolvers)
	}
	if !c.Now().Equal(t0) || l.Stats()[Resolvers].Granted != 1000 {
		t.Errorf("unlimited bucket: clock %v, stats %+v", c.Now().Sub(t0), l.Stats()[Resolvers])
	}
	if err := l.Wait(context.Background(), API); !errors.Is(err, errStore) {
		t.Errorf("a failing store gave %v", err)
	}
	l.Observe(API, rateHeader("api", 0, 5), http.StatusTooManyRequests)
	if s := l.Stats()[API]; s.StoreErrors != 1 || s.TooMany != 1 {
		t.Errorf("stats after a failed report: %+v", s)
	}
}

// TestNoStore: a Limiter made without a Store fails its limited buckets clearly.
func TestNoStore(t *testing.T) {
	t.Parallel()
	l := New(nil, "", Limits{API: 5})
	if err := l.Wait(context.Background(), API); !errors.Is(err, errNoStore) {
		t.Errorf("Wait = %v", err)
	}
	wait(t, l, Pages)
	l.Observe(API, rateHeader("api", 0, 5), http.StatusTooManyRequests)
	if s := l.Stats()[API]; s.TooMany != 1 {
		t.Errorf("stats = %+v", s)
	}
}

// failing is a Store whose every call fails.
type failing struct{}

var errStore = errors.New("database unreachable")

func (failing) Take(context.Context, string, int, int, time.Duration, time.Time) (int, time.Time, error) {
	return 0, time.Time{}, errStore
}

func (failing) Observe(context.Context, string, int, time.Time, int) error { return errStore }

// TestWaitCancelled: a Wait blocked on an exhausted bucket returns when its context ends,
// and so do the Waits queued behind it.
func TestWaitCancelled(t *testing.T) {
	t.Parallel()
	l := New(NewMemory(), "", Limits{Pages: 1})
	wait(t, l, Pages)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- l.Wait(ctx, Pages) }()
	}
	for range 3 {
		if err := <-errs; !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait = %v, want the deadline", err)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelled Waits took %v", d)
	}
}
