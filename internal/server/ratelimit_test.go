package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

func TestLimiterSlidingWindow(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := &limiter{limit: 4, window: time.Minute, now: func() time.Time { return now }}
	var got []bool
	for range 5 {
		ok, _, _ := l.allow("a")
		got = append(got, ok)
	}
	if want := []bool{true, true, true, true, false}; !slices.Equal(got, want) {
		t.Fatalf("first window %v, want %v", got, want)
	}
	if ok, _, _ := l.allow("b"); !ok {
		t.Error("another client is limited by the first one's requests")
	}
	// A quarter into the next window, three quarters of the previous four still count: 3 + 1
	// reaches the limit after one more request.
	now = now.Add(75 * time.Second)
	ok, remaining, reset := l.allow("a")
	if !ok || remaining != 0 || !reset.Equal(time.Date(2026, 1, 1, 12, 2, 0, 0, time.UTC)) {
		t.Errorf("next window: ok %v remaining %d reset %v, want true 0 12:02", ok, remaining, reset)
	}
	if ok, _, _ := l.allow("a"); ok {
		t.Error("over the sliding limit, allowed")
	}
	// Two windows later everything is forgotten.
	now = now.Add(2 * time.Minute)
	if ok, remaining, _ := l.allow("a"); !ok || remaining != 3 {
		t.Errorf("after two windows: ok %v remaining %d, want true 3", ok, remaining)
	}
	if len(l.prev) != 0 || len(l.cur) != 1 {
		t.Errorf("old counts kept: prev %v cur %v", l.prev, l.cur)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	h := rateLimit(1, time.Minute, tooMany)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	codes := []int{}
	var last *httptest.ResponseRecorder
	for _, addr := range []string{"192.0.2.1:1000", "192.0.2.1:2000", "[2001:db8::1]:3000", "[2001:db8::2]:3000"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		codes = append(codes, w.Code)
		last = w
	}
	// The port does not make another client; an IPv6 /64 is one client.
	if want := []int{200, 429, 200, 429}; !slices.Equal(codes, want) {
		t.Errorf("statuses %v, want %v", codes, want)
	}
	if last.Header().Get("X-RateLimit-Limit") != "1" || last.Header().Get("X-RateLimit-Remaining") != "0" || last.Header().Get("Retry-After") == "" {
		t.Errorf("headers %v", last.Header())
	}
}
