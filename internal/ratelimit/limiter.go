package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Limiter paces one process's requests to one Hub so that, with every other Limiter sharing
// its Store and prefix, no bucket goes over its limit in any window. Its exported fields may
// be changed after New and before the first request.
type Limiter struct {
	// Now tells the time; tests replace it with a fake clock.
	Now func() time.Time
	// Sleep waits for d or until ctx is done; tests replace it so waits cost no time.
	Sleep func(ctx context.Context, d time.Duration) error
	// Window is the length of the server's windows (the Hub's: Window).
	Window time.Duration
	// Unit is the unit of the RateLimit header's t (a second for the Hub; tests that scale
	// the Hub's windows down scale it too).
	Unit time.Duration
	// Guard is the end part of each window in which no request is let through, so that a
	// request cannot reach the server after its window has turned.
	Guard time.Duration
	// MaxBatch is the most tokens leased from the Store at once.
	MaxBatch int
	// SyncEvery is how often a RateLimit header that moves nothing is still passed on to
	// the Store, so that requests from outside the census lower everyone's availability.
	SyncEvery time.Duration

	store   Store
	prefix  string
	limits  Limits
	mu      sync.Mutex
	buckets map[Bucket]*bucket
	// onGrant, when set (by tests), is told of every grant at the time it was decided.
	onGrant func(name string, at time.Time)
}

// Defaults of a new Limiter's fields.
const (
	// DefaultGuard leaves the last two seconds of each window unused.
	DefaultGuard = 2 * time.Second
	// DefaultMaxBatch is the most tokens one Store round trip leases.
	DefaultMaxBatch = 8
	// DefaultSyncEvery passes a quiet header on to the Store every five seconds at most.
	DefaultSyncEvery = 5 * time.Second
	// observeTimeout bounds the Store call made for an answer's headers.
	observeTimeout = 10 * time.Second
)

// bucket is the local state of one bucket; its fields are guarded by Limiter.mu except turn.
type bucket struct {
	name    string
	lim     int
	limited bool
	// turn lets one goroutine at a time lease from the Store or sleep for the bucket.
	turn chan struct{}
	// wake is closed (and replaced) when an answer changes the window or blocks the bucket.
	wake chan struct{}
	// tokens leased and not used yet, valid until leaseEnd minus the guard.
	tokens   int
	leaseEnd time.Time
	// end is the window's end as last known; zero before the first lease or report.
	end time.Time
	// blocked: after a 429, nothing is sent before this time.
	blocked  time.Time
	lastSync time.Time
	// inflight counts requests sent through Transport and not answered yet.
	inflight int
	stats    Stats
}

// Stats is what a Limiter saw of one bucket, for progress lines and metrics.
type Stats struct {
	// Granted is how many requests Wait let through.
	Granted int64
	// Waits is how many Wait calls had to wait (asleep, or queued behind one that was),
	// and Waited their time waiting in all.
	Waits  int64
	Waited time.Duration
	// TooMany is how many 429 answers were observed.
	TooMany int64
	// Remaining is the requests left the server last reported (-1 before any report), and
	// Reset the end of its window as then estimated.
	Remaining int
	Reset     time.Time
	// StoreErrors counts reports the Store failed to record.
	StoreErrors int64
}

// New returns a Limiter leasing from st under the limits lim. prefix namespaces the bucket
// names in the Store (the Hub endpoint's host, say) so that two Hubs never share counts.
func New(st Store, prefix string, lim Limits) *Limiter {
	return &Limiter{
		Now:       time.Now,
		Sleep:     sleep,
		Window:    Window,
		Unit:      time.Second,
		Guard:     DefaultGuard,
		MaxBatch:  DefaultMaxBatch,
		SyncEvery: DefaultSyncEvery,
		store:     st,
		prefix:    prefix,
		limits:    lim,
		buckets:   map[Bucket]*bucket{},
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bucket returns b's state, made on first use.
func (l *Limiter) bucket(b Bucket) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	if bk, ok := l.buckets[b]; ok {
		return bk
	}
	name := string(b)
	if l.prefix != "" {
		name = l.prefix + "/" + name
	}
	lim, limited := l.limits[b]
	bk := &bucket{name: name, lim: max(lim, 0), limited: limited, turn: make(chan struct{}, 1),
		wake: make(chan struct{}), stats: Stats{Remaining: -1}}
	l.buckets[b] = bk
	return bk
}

// guard is the unused end of a window, never more than a quarter of it.
func (l *Limiter) guard() time.Duration { return min(max(l.Guard, 0), l.Window/4) }

// Stats returns what the Limiter saw of each bucket used so far.
func (l *Limiter) Stats() map[Bucket]Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[Bucket]Stats, len(l.buckets))
	for b, bk := range l.buckets {
		out[b] = bk.stats
	}
	return out
}
