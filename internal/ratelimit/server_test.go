package ratelimit

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

// hub is a test server that enforces fixed windows per bucket as a counter with an expiry
// does (a window starts at the first request after the last one ended) and answers RateLimit
// headers whose t is in milliseconds: the Hub's five minutes and seconds, scaled down.
type hub struct {
	w   time.Duration
	lim int

	mu      sync.Mutex
	windows map[Bucket]*serverWindow
}

// serverWindow is one bucket's count on the server.
type serverWindow struct {
	end              time.Time
	count            int
	served, over, nb int
}

func newHub(w time.Duration, lim int) *hub {
	return &hub{w: w, lim: lim, windows: map[Bucket]*serverWindow{}}
}

// ServeHTTP counts the request in its bucket and answers 429 beyond the limit.
func (h *hub) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	now := time.Now()
	b := BucketOf(r.URL)
	sw := h.windows[b]
	if sw == nil {
		sw = &serverWindow{}
		h.windows[b] = sw
	}
	if !now.Before(sw.end) {
		sw.end, sw.count = now.Add(h.w), 0
		sw.nb++
	}
	sw.count++
	left := sw.end.Sub(now) / time.Millisecond
	over := sw.count > h.lim
	if over {
		sw.over++
	} else {
		sw.served++
	}
	remaining := max(h.lim-sw.count, 0)
	h.mu.Unlock()
	rw.Header().Set("RateLimit", fmt.Sprintf(`"%s";r=%d;t=%d`, b, remaining, left))
	rw.Header().Set("RateLimit-Policy", fmt.Sprintf(`"fixed window";"%s";q=%d;w=%d`, b, h.lim, h.w/time.Millisecond))
	if over {
		rw.WriteHeader(http.StatusTooManyRequests)
	}
}

// TestTransportAgainstServer: goroutines sending for about a second through the Transports
// of Limiters sharing a Store (one process on memory, two "processes" on one SQLite file)
// never go over the server's limit, and get most of what it allows.
func TestTransportAgainstServer(t *testing.T) {
	t.Parallel()
	path := "sqlite:" + filepath.Join(t.TempDir(), "census.db")
	sqlite := func() Store { return NewSQL(openDB(t, path)) }
	mem := NewMemory()
	cases := map[string][]func() Store{
		"memory":               {func() Store { return mem }},
		"sqlite, two stores":   {sqlite, sqlite},
		"postgres, two stores": nil, // made inside the subtest, which skips without PostgreSQL
	}
	for name, procs := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if procs == nil {
				dsn := storetest.Postgres(t)
				procs = []func() Store{func() Store { return NewSQL(openDB(t, dsn)) }}
				procs = append(procs, procs[0])
			}
			var ts []http.RoundTripper
			for _, open := range procs {
				ts = append(ts, serverLimiter(open()).Transport(nil))
			}
			againstServer(t, ts)
		})
	}
}

// serverLimiter is a Limiter scaled down to the test server's windows.
func serverLimiter(st Store) *Limiter {
	l := New(st, "hub.test", Limits{API: serverLimit, Resolvers: serverLimit})
	l.Window, l.Unit, l.Guard, l.SyncEvery = serverWindowLen, time.Millisecond, 20*time.Millisecond, 20*time.Millisecond
	return l
}

// The test server's limit per window, and its window.
const (
	serverLimit     = 20
	serverWindowLen = 300 * time.Millisecond
)

// againstServer sends requests of two buckets through the transports, three goroutines on
// each, for a second, and checks the server's counts.
func againstServer(t *testing.T, ts []http.RoundTripper) {
	h := newHub(serverWindowLen, serverLimit)
	srv := httptest.NewServer(h)
	defer srv.Close()
	paths := []string{"/api/models/acme/tiny", "/acme/tiny/resolve/main/config.json"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for g := range 6 {
		client := &http.Client{Transport: ts[g%len(ts)]}
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+paths[(g+i)%2], nil)
				resp, err := client.Do(req)
				if err != nil {
					continue // the deadline, while waiting or sending
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	possible := serverLimit * int((elapsed+serverWindowLen-1)/serverWindowLen)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, b := range []Bucket{API, Resolvers} {
		sw := h.windows[b]
		t.Logf("%s: %d served in %d windows over %v (at most %d), %d over the limit",
			b, sw.served, sw.nb, elapsed.Round(time.Millisecond), possible, sw.over)
		if sw.over != 0 {
			t.Errorf("%s: %d requests over the limit", b, sw.over)
		}
		if sw.served*10 < possible*6 {
			t.Errorf("%s: %d served, want at least 60%% of %d", b, sw.served, possible)
		}
	}
}

// TestTransportRedirects: a download's hop to another host counts in the resolvers bucket,
// and a request refused by the limiter closes its body.
func TestTransportRedirects(t *testing.T) {
	t.Parallel()
	cdn := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	defer cdn.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, cdn.URL+"/repos/ab/cd/blob", http.StatusFound)
	}))
	defer origin.Close()
	l := New(NewMemory(), "hub.test", Limits{Resolvers: 10, Pages: 10})
	client := &http.Client{Transport: l.Transport(nil)}
	resp, err := client.Get(origin.URL + "/acme/tiny/resolve/main/model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	st := l.Stats()
	if st[Resolvers].Granted != 2 || st[Pages].Granted != 0 {
		t.Errorf("stats = %+v, want both hops in resolvers", st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	body := &closeRecorder{}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, origin.URL+"/api/x", body)
	if _, err := l.Transport(nil).RoundTrip(req); err == nil || !body.closed {
		t.Errorf("a cancelled request: err %v, body closed %v", err, body.closed)
	}
}

// closeRecorder is a request body that remembers being closed.
type closeRecorder struct{ closed bool }

func (c *closeRecorder) Read([]byte) (int, error) { return 0, io.EOF }
func (c *closeRecorder) Close() error {
	c.closed = true
	return nil
}
