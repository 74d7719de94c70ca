package ratelimit

import (
	"context"
	"errors"
	"time"
)

// errNoStore: a Limiter made without a Store cannot count.
var errNoStore = errors.New("ratelimit: the Limiter has no Store")

// Wait blocks until one request of bucket b may be sent, never beyond the limit, or until
// ctx is done (returning its error). It fails when the Store does.
func (l *Limiter) Wait(ctx context.Context, b Bucket) error {
	_, err := l.wait(ctx, b)
	return err
}

// wait is Wait, also returning the end of the window the request was granted in (zero for
// an unlimited bucket), so that a late answer can be told from a current one.
func (l *Limiter) wait(ctx context.Context, b Bucket) (time.Time, error) {
	bk := l.bucket(b)
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	if l.store == nil && bk.limited {
		return time.Time{}, errNoStore
	}
	if ok, end := l.takeLocal(bk); ok {
		return end, nil
	}
	start := l.Now()
	queued, err := l.queue(ctx, bk)
	if err != nil {
		return time.Time{}, err
	}
	defer func() { <-bk.turn }()
	slept := false
	for {
		if ok, end := l.takeLocal(bk); ok {
			if d := l.Now().Sub(start); slept || (queued && d > 0) {
				l.recordWait(bk, d)
			}
			return end, nil
		}
		d, err := l.lease(ctx, bk)
		if err != nil {
			return time.Time{}, err
		}
		if d > 0 {
			slept = true
			if err := l.sleep(ctx, bk, d); err != nil {
				return time.Time{}, err
			}
		}
	}
}

// queue takes the bucket's turn to lease or sleep, telling whether it had to wait for it.
func (l *Limiter) queue(ctx context.Context, bk *bucket) (bool, error) {
	select {
	case bk.turn <- struct{}{}:
		return false, nil
	default:
	}
	select {
	case bk.turn <- struct{}{}:
		return true, nil
	case <-ctx.Done():
		return true, ctx.Err()
	}
}

// takeLocal uses one leased token if a valid one is left (any, for an unlimited bucket),
// dropping the lease once its window is over; it returns the lease's window end.
func (l *Limiter) takeLocal(bk *bucket) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !bk.limited {
		bk.stats.Granted++
		return true, time.Time{}
	}
	now := l.Now()
	if now.Before(bk.blocked) {
		return false, time.Time{}
	}
	if !now.Before(bk.leaseEnd.Add(-l.guard())) {
		bk.tokens = 0
	}
	if bk.tokens == 0 {
		return false, time.Time{}
	}
	bk.tokens--
	bk.stats.Granted++
	if l.onGrant != nil {
		l.onGrant(bk.name, now)
	}
	return true, bk.leaseEnd
}

// lease asks the Store for a batch of tokens; it returns how long to sleep first when none
// can be used now.
func (l *Limiter) lease(ctx context.Context, bk *bucket) (time.Duration, error) {
	l.mu.Lock()
	now := l.Now()
	if now.Before(bk.blocked) {
		l.mu.Unlock()
		return bk.blocked.Sub(now), nil
	}
	if g := bk.end.Add(-l.guard()); !now.Before(g) && now.Before(bk.end) {
		l.mu.Unlock()
		return bk.end.Sub(now), nil
	}
	n := l.batch(bk, now)
	l.mu.Unlock()
	granted, end, err := l.store.Take(ctx, bk.name, n, bk.lim, l.Window, now)
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	bk.end = end
	if granted > 0 && now.Before(end.Add(-l.guard())) {
		bk.tokens, bk.leaseEnd = granted, end
		return 0, nil
	}
	// Nothing granted, or granted in the guard: those tokens are dropped, counted as used.
	return max(end.Sub(now), time.Millisecond), nil
}

// batch is how many tokens to ask for: a sixteenth of the limit, at most MaxBatch, and at
// most a quarter of what the server last said remains in this window, so that no process
// holds tokens others could use when few are left.
func (l *Limiter) batch(bk *bucket, now time.Time) int {
	n := min(max(l.MaxBatch, 1), max(bk.lim/16, 1))
	if bk.stats.Remaining >= 0 && now.Before(bk.stats.Reset) {
		n = min(n, max(bk.stats.Remaining/4, 1))
	}
	return n
}

// sleep waits d, or less when an answer changes the bucket's window meanwhile.
func (l *Limiter) sleep(ctx context.Context, bk *bucket, d time.Duration) error {
	l.mu.Lock()
	wake := bk.wake
	l.mu.Unlock()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-wake:
			cancel()
		case <-sctx.Done():
		}
	}()
	err := l.Sleep(sctx, d)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil && sctx.Err() == nil {
		return err
	}
	return nil
}

// recordWait counts one Wait that slept for d.
func (l *Limiter) recordWait(bk *bucket, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	bk.stats.Waits++
	bk.stats.Waited += d
}
