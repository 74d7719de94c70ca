// Package censustest is a fake Hugging Face Hub at census scale: an httptest server listing
// up to hundreds of thousands of models built lazily from a few hundred templates (real cards
// and licence texts from ../shared/eval, plus synthetic cases whose outcome is known), with the
// Hub's listing (expand, filters, sorts, cursor pagination), model and dataset info, file trees,
// /resolve/ downloads, per-request latency and the Hub's fixed-window rate limits.
//
// Conventions of the fake: the default listing order is creation order (IDs); sorts are
// descending unless direction=1. A listing without expand carries the Hub's short default
// fields (full=true adds author, sha, lastModified, gated, disabled, siblings); info without
// expand carries every field. Files of gated models other than README.md and .gitattributes
// need an Authorization header (any token counts as having accepted the terms); anonymous
// reads get 401 GatedRepo. LFS files are redirected to /cdn/<sha256>, which no bucket limits.
// RateLimit and RateLimit-Policy headers are sent for buckets that have a limit.
//
// Models are never stored: model i is computed from its index and template (see models.go), so
// the fake costs a few bytes per model beyond its templates. Files repeat byte for byte across
// the models of one template, so their git and LFS oids are shared, as a census's dedupe
// expects.
package censustest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Config says how large and how strict the fake Hub is.
type Config struct {
	// Models is how many models are listed (default 1000).
	Models int
	// Latency is added to every request; a request whose context ends first gets no answer.
	Latency time.Duration
	// Limits holds requests per window for the buckets "api" (paths under /api/),
	// "resolvers" (…/resolve/…) and "pages" (anything else); nil or a missing bucket is
	// unlimited. The CDN that LFS downloads are redirected to is never limited.
	Limits map[string]int
	// Window is the length of the fixed rate-limit windows (default 5 minutes).
	Window time.Duration
	// PageSize is the most entries a listing page holds (default 500).
	PageSize int
	// Seed picks the real cards used, the template order and every per-model value.
	Seed int64
}

// Hub is a running census fake Hub.
type Hub struct {
	cfg Config
	c   *content
	// relabel holds, per template, whether its models are relabelled fine-tunes; it depends
	// on which bases are listed, so on Models.
	relabel []bool
	srv     *httptest.Server

	mu      sync.Mutex
	bumped  map[int32]uint16   // bumps per model
	orders  map[string][]int32 // sort key → model indexes in descending order
	windows map[string]*window // rate-limit state per bucket

	violations atomic.Int64
	allow      atomic.Bool
	total      atomic.Int64
	buckets    sync.Map // bucket → *atomic.Int64
	kinds      sync.Map // kind → *atomic.Int64
}

// window counts a bucket's requests in the current fixed window.
type window struct {
	start time.Time
	count int
}

// New builds the templates from ../shared/eval (skipping the test when it is absent) and starts
// the server. When the test ends the server closes and the test fails if a client broke a
// rate limit, unless AllowViolations was called.
func New(tb testing.TB, cfg Config) *Hub {
	tb.Helper()
	if cfg.Models <= 0 {
		cfg.Models = 1000
	}
	if cfg.Window <= 0 {
		cfg.Window = 5 * time.Minute
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 500
	}
	h := &Hub{cfg: cfg, c: cachedContent(tb, cfg.Seed), bumped: map[int32]uint16{},
		orders: map[string][]int32{}, windows: map[string]*window{}}
	h.relabel = relabels(h.c, cfg.Models)
	h.srv = httptest.NewServer(h)
	tb.Cleanup(func() {
		h.srv.Close()
		if n := h.Violations(); n > 0 && !h.allow.Load() {
			tb.Errorf("census fake Hub: %d requests arrived while their rate-limit bucket was exhausted", n)
		}
	})
	return h
}

// URL is the server's base URL, to use as HF_ENDPOINT.
func (h *Hub) URL() string { return h.srv.URL }

// AllowViolations keeps rate-limit violations from failing the test (for tests that break
// limits on purpose).
func (h *Hub) AllowViolations() { h.allow.Store(true) }

// Violations counts requests that arrived while their bucket was exhausted.
func (h *Hub) Violations() int { return int(h.violations.Load()) }

// Requests counts the requests of one bucket ("api", "resolvers", "pages"), refused ones too.
func (h *Hub) Requests(bucket string) int64 { return load(&h.buckets, bucket) }

// TotalRequests counts every request.
func (h *Hub) TotalRequests() int64 { return h.total.Load() }

// RequestsByKind counts requests by what they asked for: "list", "info", "tree", "resolve",
// "cdn", "dataset" or "other".
func (h *Hub) RequestsByKind() map[string]int64 {
	out := map[string]int64{}
	h.kinds.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// IDs lists every model id in the default listing order (creation order).
func (h *Hub) IDs() []string {
	out := make([]string, h.cfg.Models)
	for i := range out {
		out[i] = h.id(i)
	}
	return out
}

// Bump gives each named model a new commit: listing and info show the new sha and files are
// served at it (and still at the old ones). Unknown ids are ignored.
func (h *Hub) Bump(ids ...string) {
	for _, id := range ids {
		if i := h.index(id); i >= 0 {
			h.mu.Lock()
			h.bumped[int32(i)]++
			delete(h.orders, "lastModified")
			h.mu.Unlock()
		}
	}
}

// load reads a counter of m.
func load(m *sync.Map, key string) int64 {
	if v, ok := m.Load(key); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

// inc adds one to a counter of m.
func inc(m *sync.Map, key string) {
	v, _ := m.LoadOrStore(key, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// commitOf is a model's commit after b bumps.
func commitOf(seed int64, i, b int) string {
	s := sha1.Sum(fmt.Appendf(nil, "census %d %d %d", seed, i, b))
	return hex.EncodeToString(s[:])
}

// ServeHTTP counts the request, waits the latency, applies the rate limit and routes.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bucket, kind := classify(r.URL.Path)
	h.total.Add(1)
	inc(&h.kinds, kind)
	if bucket != "" {
		inc(&h.buckets, bucket)
	}
	if !h.wait(r) || !h.admit(w, bucket) {
		return
	}
	h.route(w, r, kind)
}

// wait sleeps the configured latency; false when the request's context ended first.
func (h *Hub) wait(r *http.Request) bool {
	if h.cfg.Latency <= 0 {
		return true
	}
	t := time.NewTimer(h.cfg.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// admit applies the bucket's fixed-window limit and writes the RateLimit headers; a request
// beyond the limit gets 429 and counts as a violation.
func (h *Hub) admit(w http.ResponseWriter, bucket string) bool {
	limit, ok := h.cfg.Limits[bucket]
	if !ok || bucket == "" {
		return true
	}
	now := time.Now()
	h.mu.Lock()
	win := h.windows[bucket]
	if win == nil || now.Sub(win.start) >= h.cfg.Window {
		// Windows are aligned on the first request of the bucket, then follow each other.
		start := now
		if win != nil {
			start = win.start.Add(now.Sub(win.start) / h.cfg.Window * h.cfg.Window)
		}
		win = &window{start: start}
		h.windows[bucket] = win
	}
	over := win.count >= limit
	if !over {
		win.count++
	}
	remaining, reset := limit-win.count, win.start.Add(h.cfg.Window).Sub(now)
	h.mu.Unlock()
	secs := ceilSeconds(reset)
	w.Header().Set("RateLimit", fmt.Sprintf("%q;r=%d;t=%d", bucket, remaining, secs))
	w.Header().Set("RateLimit-Policy", fmt.Sprintf("\"fixed window\";%q;q=%d;w=%d", bucket, limit, ceilSeconds(h.cfg.Window)))
	if over {
		h.violations.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		hubError(w, http.StatusTooManyRequests, "", "You have exceeded our hourly quotas for action: "+bucket)
	}
	return !over
}

// hubError writes an error as the Hub does: status, X-Error-Code, X-Error-Message, JSON body.
func hubError(w http.ResponseWriter, status int, code, msg string) {
	if code != "" {
		w.Header().Set("X-Error-Code", code)
	}
	w.Header().Set("X-Error-Message", msg)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, "{\"error\":%q}\n", msg)
}

// ceilSeconds rounds d up to whole seconds, as the RateLimit headers count.
func ceilSeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }
