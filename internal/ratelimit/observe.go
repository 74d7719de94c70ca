package ratelimit

import (
	"context"
	"net/http"
	"time"
)

// report is what one answer asks the Store to record.
type report struct {
	remaining int
	end       time.Time
}

// Observe feeds an answer of bucket b to the Limiter: its RateLimit header aligns the window
// with the server's and lowers availability when the server counts more than the Store; a
// 429 stops the bucket, in every process sharing the Store, until the reset the server gave
// (RateLimit's t, else Retry-After, else the window's end).
func (l *Limiter) Observe(b Bucket, h http.Header, status int) {
	l.observe(b, h, status, time.Time{})
}

// observe is Observe for a request granted in a window ending at granted (zero when not
// known): an answer read after that window ended is late, and its RateLimit header, which
// may describe a window already over, is ignored.
func (l *Limiter) observe(b Bucket, h http.Header, status int, granted time.Time) {
	bk := l.bucket(b)
	l.mu.Lock()
	rep, send := l.judge(bk, h, status, granted)
	if send {
		// The server has not counted our unused tokens nor requests still in flight.
		rep.remaining = max(rep.remaining-bk.tokens-bk.inflight, 0)
	}
	l.mu.Unlock()
	if !send || !bk.limited || l.store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), observeTimeout)
	defer cancel()
	if err := l.store.Observe(ctx, bk.name, rep.remaining, rep.end, bk.lim); err != nil {
		l.mu.Lock()
		bk.stats.StoreErrors++
		l.mu.Unlock()
	}
}

// judge updates the bucket's local state from an answer (l.mu held) and tells what, if
// anything, to pass on to the Store.
func (l *Limiter) judge(bk *bucket, h http.Header, status int, granted time.Time) (report, bool) {
	now := l.Now()
	r, t, ok := ParseHeader(h.Get("RateLimit"))
	// t is rounded to whole units and read late: one unit more is never before the true end.
	est := now.Add(time.Duration(t+1) * l.Unit)
	late := !granted.IsZero() && !now.Before(granted)
	var rep report
	var send bool
	if ok && !late {
		bk.stats.Remaining, bk.stats.Reset = r, est
		bk.tokens = min(bk.tokens, r)
		rep, send = l.fromHeader(bk, r, est, now)
	}
	if status == http.StatusTooManyRequests {
		// A refusal is news of the server's present, however late the request was granted.
		bk.stats.TooMany++
		rep, send = report{0, l.blockUntil(bk, h, ok, est, now)}, true
		bk.blocked, bk.tokens = laterOf(bk.blocked, rep.end), 0
	}
	if send && bk.limited {
		l.moveEnd(bk, rep.end, now)
	}
	return rep, send
}

// fromHeader decides whether a RateLimit report of r remaining until est is worth a Store
// round trip: always when the server's window ends later than ours (ours must never turn
// first) or clearly earlier (alignment), and now and then or near the limit to pass on the
// server's count.
func (l *Limiter) fromHeader(bk *bucket, r int, est, now time.Time) (report, bool) {
	switch {
	case bk.end.IsZero() || est.After(bk.end) || est.Before(bk.end.Add(-2*l.Unit)):
		return report{r, est}, true
	case r <= 2*max(l.MaxBatch, 1) || now.Sub(bk.lastSync) >= l.SyncEvery:
		return report{r, bk.end}, true
	}
	return report{}, false
}

// blockUntil is when a 429 lets the bucket go again.
func (l *Limiter) blockUntil(bk *bucket, h http.Header, headerOK bool, est, now time.Time) time.Time {
	if headerOK {
		return est
	}
	if d, ok := RetryAfter(h.Get("Retry-After"), now); ok {
		return now.Add(d)
	}
	if bk.end.After(now) {
		return bk.end
	}
	return now.Add(l.Window)
}

// moveEnd takes end as the window's end (l.mu held): leases never outlive it, and a
// goroutine asleep for the bucket wakes to look again.
func (l *Limiter) moveEnd(bk *bucket, end, now time.Time) {
	bk.lastSync = now
	if end.Before(bk.leaseEnd) {
		bk.leaseEnd = end
	}
	bk.end = end
	close(bk.wake)
	bk.wake = make(chan struct{})
}

// laterOf returns the later of two times.
func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Transport returns a RoundTripper that waits before every request by its URL's bucket and
// observes every answer. A redirect to another host (a download's CDN hop) counts in the
// bucket of the request that started the chain. base nil means http.DefaultTransport.
func (l *Limiter) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{l, base}
}

// transport is the RoundTripper Transport returns.
type transport struct {
	l    *Limiter
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	b := requestBucket(r)
	granted, err := t.l.wait(r.Context(), b)
	if err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	t.l.flight(b, 1)
	resp, err := t.base.RoundTrip(r)
	t.l.flight(b, -1)
	if err != nil {
		return nil, err
	}
	t.l.observe(b, resp.Header, resp.StatusCode, granted)
	return resp, nil
}

// flight counts the requests of bucket b sent and not answered yet.
func (l *Limiter) flight(b Bucket, d int) {
	bk := l.bucket(b)
	l.mu.Lock()
	bk.inflight += d
	l.mu.Unlock()
}

// requestBucket is r's bucket: its URL's, or its chain's first request's when a redirect
// took it to another host.
func requestBucket(r *http.Request) Bucket {
	first := r
	for first.Response != nil && first.Response.Request != nil {
		first = first.Response.Request
	}
	if first != r && first.URL != nil && r.URL != nil && first.URL.Host != r.URL.Host {
		return BucketOf(first.URL)
	}
	return BucketOf(r.URL)
}
