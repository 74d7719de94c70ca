package hub

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHTTPCacheSecondAudit: a second audit of an unchanged repository asks only for the info of
// each repository (revalidated by ETag, 304) and reads every pinned file, tree and header from
// disk; the snapshot is byte-identical.
func TestHTTPCacheSecondAudit(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	dir := t.TempDir()

	c1, _ := clientFor(h, "hf_good")
	c1.Cache = &HTTPCache{Dir: dir}
	first, err := audit(context.Background(), c1, "acme/tiny-chat")
	if err != nil {
		t.Fatal(err)
	}
	n1 := len(h.Requests())

	c2, _ := clientFor(h, "hf_good")
	c2.Cache = &HTTPCache{Dir: dir}
	second, err := audit(context.Background(), c2, "acme/tiny-chat")
	if err != nil {
		t.Fatal(err)
	}
	again := h.Requests()[n1:]
	// tiny-chat, its base and its two datasets: four info requests, nothing else.
	if len(again) != 4 {
		t.Errorf("second audit sent %d requests, want 4 info requests:\n%s", len(again), strings.Join(again, "\n"))
	}
	for _, r := range again {
		if !strings.HasPrefix(r, "GET /api/models/") && !strings.HasPrefix(r, "GET /api/datasets/") || strings.Contains(r, "/tree/") {
			t.Errorf("second audit asked for %s", r)
		}
	}
	if c2.Cache.Revalidated() != 4 || c2.Cache.Hits() == 0 {
		t.Errorf("revalidated %d, hits %d", c2.Cache.Revalidated(), c2.Cache.Hits())
	}
	a, _ := first.Marshal()
	b, _ := second.Marshal()
	if diff := cmp.Diff(string(a), string(b)); diff != "" {
		t.Errorf("cached audit differs (-first +second):\n%s", diff)
	}
	if n1 < 20 {
		t.Errorf("first audit sent only %d requests; the fixture should need more", n1)
	}
}

// TestHTTPCacheChangedRepo: a repository whose info changed is read again, not replayed.
func TestHTTPCacheChangedRepo(t *testing.T) {
	t.Parallel()
	repos := fixtures(t)
	h := newFakeHub(t, repos...)
	dir := t.TempDir()
	c, _ := clientFor(h, "")
	c.Cache = &HTTPCache{Dir: dir}
	if _, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/root"}, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range repos {
		if r.ID == "acme/root" {
			r.SHA = commit("acme/root v2")
			r.Info["pipeline_tag"] = "text-generation"
		}
	}
	c2, _ := clientFor(h, "")
	c2.Cache = &HTTPCache{Dir: dir}
	rel, err := Fetch(context.Background(), c2, Target{Kind: KindModel, Repo: "acme/root"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Revision != commit("acme/root v2") || c2.Cache.Revalidated() != 0 {
		t.Errorf("revision %s, revalidated %d: the changed info was not refetched", rel.Revision, c2.Cache.Revalidated())
	}
}

// TestHTTPCacheStaleWhenUnreachable: with the Hub gone, answers on disk stand in, so a model
// audited once can be audited again without a network.
func TestHTTPCacheStaleWhenUnreachable(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	dir := t.TempDir()
	c, _ := clientFor(h, "")
	c.Cache = &HTTPCache{Dir: dir}
	want, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The cache is keyed by URL, so the same endpoint is asked, through a transport that fails
	// as a refused connection does.
	off, _ := clientFor(h, "")
	off.Transport = failingTransport{}
	off.Cache = &HTTPCache{Dir: dir}
	got, err := Fetch(context.Background(), off, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if err != nil {
		t.Fatalf("offline fetch with a warm cache: %v", err)
	}
	a, _ := want.Marshal()
	b, _ := got.Marshal()
	if string(a) != string(b) {
		t.Error("stale replay differs from the original fetch")
	}
	if off.Cache.Stale() == 0 || off.Cache.Hits() == 0 {
		t.Errorf("stale %d, hits %d: the info should be stale, the pinned files plain hits", off.Cache.Stale(), off.Cache.Hits())
	}
	// Nothing cached for another repository: the error says the Hub is unreachable.
	_, err = Fetch(context.Background(), off, Target{Kind: KindModel, Repo: "acme/root"}, Options{})
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("err = %v, want ErrUnreachable", err)
	}
}

// TestHTTPCacheCorruptEntry: a damaged entry is ignored and rewritten.
func TestHTTPCacheCorruptEntry(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	dir := t.TempDir()
	c, _ := clientFor(h, "")
	c.Cache = &HTTPCache{Dir: dir}
	if _, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/root"}, Options{}); err != nil {
		t.Fatal(err)
	}
	bodies, _ := filepath.Glob(filepath.Join(dir, "*.body"))
	metas, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(bodies) == 0 || len(bodies) != len(metas) {
		t.Fatalf("%d bodies, %d metas", len(bodies), len(metas))
	}
	for _, b := range bodies {
		os.WriteFile(b, []byte("garbage"), 0o644)
	}
	for _, m := range metas[:1] {
		os.WriteFile(m, []byte("{not json"), 0o644)
	}
	c2, _ := clientFor(h, "")
	c2.Cache = &HTTPCache{Dir: dir}
	rel, err := Fetch(context.Background(), c2, Target{Kind: KindModel, Repo: "acme/root"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Cache.Hits() != 0 || c2.Cache.Revalidated() != 0 || len(rel.Files) != 2 {
		t.Errorf("hits %d, revalidated %d, files %d", c2.Cache.Hits(), c2.Cache.Revalidated(), len(rel.Files))
	}
	if _, err := Fetch(context.Background(), c2, Target{Kind: KindModel, Repo: "acme/root"}, Options{}); err != nil || c2.Cache.Hits() == 0 {
		t.Errorf("entries were not rewritten: hits %d, %v", c2.Cache.Hits(), err)
	}
}

// TestUnreachableFailsFast: a refused connection is tried twice, not MaxRetries+1 times, and the
// error names the endpoint without the request's query string.
func TestUnreachableFailsFast(t *testing.T) {
	t.Parallel()
	c := NewClient("test")
	c.Endpoint = closedEndpoint(t)
	var slept int
	c.Sleep = func(context.Context, time.Duration) error { slept++; return nil }
	_, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	if slept != 1 || c.Requests() != 2 {
		t.Errorf("slept %d times, %d requests; want 1 and 2", slept, c.Requests())
	}
	if strings.Contains(msg, "expand") || !strings.Contains(msg, "connection refused") || !strings.Contains(msg, c.Endpoint) || !strings.Contains(msg, "hf:acme/tiny-chat: the Hub could not be reached: dial tcp") {
		t.Errorf("error line: %s", msg)
	}
}

// closedEndpoint is the URL of a port nothing listens on.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// failingTransport fails every request as a refused dial does.
type failingTransport struct{}

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
}

// BenchmarkAuditCached measures a re-audit of an unchanged model (a fine-tune, its base, two
// datasets) with a warm HTTP cache at 50 ms per request: only the four info requests go out.
func BenchmarkAuditCached(b *testing.B) {
	h := newFakeHub(b, fixtures(b)...)
	h.Latency = 50 * time.Millisecond
	dir := b.TempDir()
	warm, _ := clientFor(h, "hf_good")
	warm.Cache = &HTTPCache{Dir: dir}
	if _, err := audit(context.Background(), warm, "acme/tiny-chat"); err != nil {
		b.Fatal(err)
	}
	var reqs int64
	var total time.Duration
	for b.Loop() {
		c, _ := clientFor(h, "hf_good")
		c.Cache = &HTTPCache{Dir: dir}
		start := time.Now()
		rel, err := audit(context.Background(), c, "acme/tiny-chat")
		total += time.Since(start)
		if err != nil || len(rel.Datasets) != 2 || len(rel.Parents) != 1 {
			b.Fatal(err)
		}
		reqs = c.Requests()
	}
	b.ReportMetric(float64(reqs), "requests/op")
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "wall-ms/op")
}
