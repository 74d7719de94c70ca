package server

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// rateLimit lets each client (by address, see clientKey) make at most limit requests per
// window, counted over a sliding window: the requests of the current window plus those of the
// previous one weighted by how much of it the sliding window still covers. A client over the
// limit gets over(w, r) and a Retry-After header; every answer says the limit and what remains
// in X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.
//
// glassbox keeps its own limiter, small as it is, rather than a library: the one it used pulled
// in a hash and a CPU-feature detector whose start-up work every command paid.
func rateLimit(limit int, window time.Duration, over http.HandlerFunc) func(http.Handler) http.Handler {
	l := &limiter{limit: limit, window: window, now: time.Now}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ok, remaining, reset := l.allow(clientKey(r))
			h := w.Header()
			h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
			h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
			h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			if !ok {
				h.Set("Retry-After", strconv.Itoa(int(math.Ceil(time.Until(reset).Seconds()))))
				over(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// limiter counts requests per client in the current and the previous window.
type limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	start     time.Time // start of the current window
	cur, prev map[string]int
}

// allow counts a request of client key if it is under the limit, and says how many more it may
// make now and when the current window ends.
func (l *limiter) allow(key string) (ok bool, remaining int, reset time.Time) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.advance(now)
	reset = l.start.Add(l.window)
	covered := 1 - float64(now.Sub(l.start))/float64(l.window)
	used := float64(l.prev[key])*covered + float64(l.cur[key])
	if used >= float64(l.limit) {
		return false, 0, reset
	}
	l.cur[key]++
	return true, max(0, int(float64(l.limit)-used-1)), reset
}

// advance moves the windows on to the one that holds now, forgetting older counts.
func (l *limiter) advance(now time.Time) {
	start := now.Truncate(l.window)
	switch {
	case l.cur == nil || start.Sub(l.start) > l.window:
		l.cur, l.prev = map[string]int{}, map[string]int{}
	case start.After(l.start):
		l.cur, l.prev = map[string]int{}, l.cur
	}
	l.start = start
}

// clientKey is the address a request comes from; an IPv6 address counts by its /64 network,
// which one host usually holds whole.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
