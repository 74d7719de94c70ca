package hub

import (
	"context"
	"errors"
	"fmt"
	"github.com/glassbox-dev/glassbox/internal/artifact"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
	"github.com/glassbox-dev/glassbox/internal/source/web"
)

// tinyTarget is the fixture most hostile cases read.
var tinyTarget = Target{Kind: KindModel, Repo: "acme/tiny-chat"}

// hostileHub is the fixtures behind a fake Hub with the given misbehaviour.
func hostileHub(t *testing.T, x hubtest.Hostile) *fakeHub {
	h := newFakeHub(t, fixtures(t)...)
	h.Hostile = x
	return h
}

func TestHostileTreePathsLeftOut(t *testing.T) {
	t.Parallel()
	bad := []string{"../../etc/passwd", "/etc/passwd", `a\..\b`, "a/\x00b", "x/\u2025/y", "./c", "a//b", "C:/x"}
	h := hostileHub(t, hubtest.Hostile{TreePaths: bad})
	c, _ := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, tinyTarget, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rel.Files {
		if CheckPath(f.Path) != nil {
			t.Errorf("inventory holds %q", f.Path)
		}
	}
	if len(rel.Files) != 10 || rel.Complete {
		t.Errorf("%d files, complete %v; want the 10 real files, incomplete", len(rel.Files), rel.Complete)
	}
	want := fmt.Sprintf("left out %d file tree entries", len(bad))
	if !slices.ContainsFunc(rel.Notes, func(n string) bool { return strings.Contains(n, want) }) {
		t.Errorf("notes %q lack %q", rel.Notes, want)
	}
}

func TestCheckPath(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"README.md", "original/params.json", "a b/ünïcode.txt", "refs/pr/1", ".gitattributes", "a..b"} {
		if err := CheckPath(p); err != nil {
			t.Errorf("CheckPath(%q) = %v", p, err)
		}
	}
	for _, p := range []string{"", "..", "../x", "a/../b", "/abs", `a\b`, "a\x00", "a/\x1b[2J", "\u2025/x", "a/", "./a", "C:/x"} {
		if CheckPath(p) == nil {
			t.Errorf("CheckPath(%q) accepted", p)
		}
	}
}

func TestHostileSHARefused(t *testing.T) {
	t.Parallel()
	for _, sha := range []string{"../../../etc", "main", strings.Repeat("g", 40), strings.Repeat("a", 41)} {
		h := hostileHub(t, hubtest.Hostile{SHA: sha})
		c, _ := clientFor(h, "")
		_, err := Fetch(context.Background(), c, tinyTarget, Options{})
		if err == nil || !strings.Contains(err.Error(), "not 40 hex digits") {
			t.Errorf("sha %q: err %v, want a refusal", sha, err)
		}
		for _, r := range h.Requests() {
			if strings.Contains(r, "/resolve/") || strings.Contains(r, "/tree/") {
				t.Errorf("sha %q: request %q sent after a bad sha", sha, r)
			}
		}
	}
}

// authServer records the Authorization header of every request it gets.
type authServer struct {
	URL   string
	mu    sync.Mutex
	auths []string
}

func newAuthServer(t *testing.T) *authServer {
	s := &authServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("[]"))
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *authServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.auths)
}

func TestTokenStaysOnItsOrigin(t *testing.T) {
	t.Parallel()
	// Another port on the same host is another origin.
	other := newAuthServer(t)
	other.URL = strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	h := hostileHub(t, hubtest.Hostile{RedirectTo: other.URL})
	c, _ := clientFor(h, "hf_good")
	if _, err := Fetch(context.Background(), c, tinyTarget, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(other.got()) == 0 {
		t.Fatal("the redirect target got no request")
	}
	for _, a := range other.got() {
		if a != "" {
			t.Errorf("the redirect target got Authorization %q", a)
		}
	}
	if !slices.Contains(h.Auths(), "Bearer hf_good") {
		t.Error("the Hub itself never got the token")
	}
}

func TestTokenScopeSamePortOnly(t *testing.T) {
	t.Parallel()
	s := &web.ScopedAuth{Origin: "http://127.0.0.1:8080", Header: "Authorization", Value: "Bearer x", Next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Got": {r.Header.Get("Authorization")}}, Body: http.NoBody}, nil
	})}
	for u, want := range map[string]string{
		"http://127.0.0.1:8080/a": "Bearer x", "http://127.0.0.1:8081/a": "", "https://127.0.0.1:8080/a": "",
		"http://127.0.0.2:8080/a": "", "http://127.0.0.1/a": "",
	} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer leaked")
		resp, _ := s.RoundTrip(req)
		if got := resp.Header.Get("Got"); got != want {
			t.Errorf("%s: Authorization %q, want %q", u, got, want)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNextLinkToAnotherOriginNotFollowed(t *testing.T) {
	t.Parallel()
	other := newAuthServer(t)
	h := hostileHub(t, hubtest.Hostile{NextOrigin: other.URL})
	h.PageSize = 3
	c, _ := clientFor(h, "hf_good")
	rel, err := Fetch(context.Background(), c, tinyTarget, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(other.got()); n != 0 {
		t.Errorf("the other origin got %d requests", n)
	}
	if rel.Complete || !hasNote(rel.Notes, "points to another origin") {
		t.Errorf("complete %v, notes %q", rel.Complete, rel.Notes)
	}
}

func hasNote(notes []string, s string) bool {
	return slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, s) })
}

func TestUserInfoNeverShown(t *testing.T) {
	t.Parallel()
	c := NewClient("test")
	c.Endpoint = strings.Replace(closedEndpoint(t), "http://", "http://user:s3cretpw@", 1)
	c.Sleep = func(context.Context, time.Duration) error { return nil }
	_, err := Fetch(context.Background(), c, tinyTarget, Options{})
	if err == nil || strings.Contains(err.Error(), "s3cretpw") || strings.Contains(c.Endpoint, "s3cretpw") {
		t.Errorf("err %v, endpoint %q", err, c.Endpoint)
	}
	if got := web.Redact("see http://u:pw@h:1/x and https://tok@h2/y?q=a@b"); got != "see http://h:1/x and https://h2/y?q=a@b" {
		t.Errorf("Redact = %q", got)
	}
}

func TestUserInfoBecomesScopedBasicAuth(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	c.Endpoint = strings.Replace(h.URL, "http://", "http://user:pw@", 1)
	if _, err := Fetch(context.Background(), c, tinyTarget, Options{}); err != nil {
		t.Fatal(err)
	}
	if a := h.Auths(); len(a) == 0 || !strings.HasPrefix(a[0], "Basic ") {
		t.Errorf("auths %q, want basic authentication from the endpoint's user-info", a)
	}
}

func TestAnswerCaps(t *testing.T) {
	t.Parallel()
	for name, x := range map[string]hubtest.Hostile{
		"2 GB info":     {InfoBytes: 2 << 30},
		"gzip bomb":     {InfoBytes: 64 << 20, GzipInfo: true},
		"9 MB info":     {InfoBytes: 9 << 20},
		"64 MB gzipped": {InfoBytes: 64 << 20, GzipInfo: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := hostileHub(t, x)
			c, _ := clientFor(h, "")
			_, err := Fetch(context.Background(), c, tinyTarget, Options{})
			if err == nil || !strings.Contains(err.Error(), "answer over 8 MB") {
				t.Errorf("err %v, want answer over 8 MB", err)
			}
		})
	}
}

func TestSharedMemoryBudget(t *testing.T) {
	t.Parallel()
	files := map[string]fakeFile{"README.md": text("---\nlicense: mit\n---\n")}
	for i := range 32 {
		files[fmt.Sprintf("model-%05d-of-00032.safetensors", i+1)] = fakeFile{Data: []byte("x"), LFS: true}
	}
	repo := &fakeRepo{Kind: hubtest.KindModel, ID: "acme/big", SHA: commit("acme/big"), Files: files}
	h := newFakeHub(t, repo)
	h.Hostile = hubtest.Hostile{HeaderBytes: 1500 << 10}
	c, _ := clientFor(h, "")
	c.Budget = &web.Budget{Limit: 20 << 20}
	c.MaxAnswer = 1 << 20
	opts := Options{MaxHeaderBytes: 2 << 20, MaxTextFile: 1 << 20, MaxDocFile: 1 << 20}
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/big"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Budget.Peak(); p > 20<<20 || p < 6<<20 {
		t.Errorf("peak reserved %d bytes, budget %d", p, 20<<20)
	}
	read := 0
	for _, f := range rel.Files {
		if len(f.Header) > 0 && strings.Contains(string(f.Header), `"format":"safetensors"`) && !strings.Contains(string(f.Header), "error") {
			read++
		}
		if len(f.Header) > artifact.MaxMetaValue+1024 {
			t.Errorf("%s: %d bytes of header facts kept; metadata values are clipped at %d", f.Path, len(f.Header), artifact.MaxMetaValue)
		}
	}
	if read != 32 || len(rel.FailedReads) != 0 {
		t.Errorf("%d of 32 headers read, failed %v", read, rel.FailedReads)
	}
}

func TestTreeListingBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x    hubtest.Hostile
		opts Options
		want string
		max  int // requests to the tree at most
	}{
		{"empty pages with next links", hubtest.Hostile{EmptyPages: true}, Options{}, "empty page with a next link", 1},
		{"repeated cursor", hubtest.Hostile{RepeatCursor: true}, Options{}, "repeated a page cursor", 2},
		{"pages of directories", hubtest.Hostile{DirPages: 10_000}, Options{MaxTreePages: 20}, "page limit of 20 reached", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := hostileHub(t, tt.x)
			c, _ := clientFor(h, "")
			rel, err := Fetch(context.Background(), c, tinyTarget, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range h.Requests() {
				if strings.Contains(r, "/tree/") {
					n++
				}
			}
			if n > tt.max || rel.Complete || !hasNote(rel.Notes, tt.want) {
				t.Errorf("%d tree requests (max %d), complete %v, notes %q", n, tt.max, rel.Complete, rel.Notes)
			}
		})
	}
}

func TestLineageFanOutBounded(t *testing.T) {
	t.Parallel()
	var parents, datasets []string
	var repos []*fakeRepo
	for i := range 40 {
		p := fmt.Sprintf("acme/base-%02d", i)
		parents = append(parents, p)
		datasets = append(datasets, fmt.Sprintf("acme/data-%02d", i))
		repos = append(repos, &fakeRepo{Kind: hubtest.KindModel, ID: p, SHA: commit(p), Files: map[string]fakeFile{"README.md": text("# base\n")}})
	}
	root := &fakeRepo{Kind: hubtest.KindModel, ID: "acme/merge", SHA: commit("acme/merge"),
		Info:  map[string]any{"cardData": map[string]any{"base_model": parents, "datasets": datasets}},
		Files: map[string]fakeFile{"README.md": text("# merge\n")}}
	h := newFakeHub(t, append(repos, root)...)
	c, _ := clientFor(h, "")
	rel, err := Audit(context.Background(), c, Target{Kind: KindModel, Repo: "acme/merge"}, 3, Options{MaxParents: 8, MaxDatasets: 4, MaxRepos: 6})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(rel.Notes, "followed the first 8 of 40 base models") || !hasNote(rel.Notes, "followed the first 4 of 40 datasets") {
		t.Errorf("notes %q", rel.Notes)
	}
	if !hasNote(rel.Notes, "followed 5 of 12 base models and datasets: the audit's limit of 6 repositories was reached") {
		t.Errorf("notes %q", rel.Notes)
	}
	if len(rel.Parents) != 5 || len(rel.Datasets) != 0 || len(rel.Parents[0].Parents) != 0 {
		t.Errorf("%d parents, %d datasets; want the first 5 parents only", len(rel.Parents), len(rel.Datasets))
	}
}

func TestHeaderTimeout(t *testing.T) {
	t.Parallel()
	h := hostileHub(t, hubtest.Hostile{HangHeaders: true})
	c, _ := clientFor(h, "")
	c.HeaderTimeout = 20 * time.Millisecond // the server never answers: no timing luck involved
	_, err := Fetch(context.Background(), c, tinyTarget, Options{})
	if err == nil || !strings.Contains(err.Error(), "no answer from the server within the header timeout") {
		t.Errorf("err %v", err)
	}
	if n := c.Requests(); n != 2 {
		t.Errorf("%d requests, want 2 (one retry)", n)
	}
}

func TestLongWaitAnnounced(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.Fail("/api/models/acme/tiny-chat", fault{Status: 429, Header: map[string]string{"RateLimit": `"api";r=0;t=9`}})
	c, slept := clientFor(h, "")
	c.Now = func() time.Time { return time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC) }
	var said []string
	c.Inform = func(m string) { said = append(said, m) }
	if _, err := Fetch(context.Background(), c, tinyTarget, Options{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"hf:acme/tiny-chat: waiting 10s for the Hub (until 12:00:10 UTC)"}
	if !slices.Equal(said, want) || !slices.Equal(*slept, []time.Duration{10 * time.Second}) {
		t.Errorf("said %q, slept %v", said, *slept)
	}
}

func TestNegativeWaitLimitNeverWaits(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.Fail("/api/models/acme/tiny-chat", fault{Status: 429, Header: map[string]string{"Retry-After": "1"}})
	c, slept := clientFor(h, "")
	c.WaitLimit = -1
	_, err := Fetch(context.Background(), c, tinyTarget, Options{})
	if !errors.Is(err, ErrRateLimited) || len(*slept) != 0 {
		t.Errorf("err %v, slept %v", err, *slept)
	}
}

func TestWaitPastDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.Fail("/api/models/acme/tiny-chat", fault{Status: 429, Header: map[string]string{"Retry-After": "20"}})
	c, slept := clientFor(h, "")
	c.Now = func() time.Time { return time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC) }
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(10*time.Second))
	defer cancel()
	_, err := Fetch(ctx, c, tinyTarget, Options{})
	if !errors.Is(err, ErrRateLimited) || len(*slept) != 0 {
		t.Errorf("err %v, slept %v", err, *slept)
	}
}

func TestFailedReadsRecorded(t *testing.T) {
	t.Parallel()
	for name, x := range map[string]hubtest.Hostile{"500": {FileStatus: 500}, "redirect loop": {RedirectLoop: true}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := hostileHub(t, x)
			c, _ := clientFor(h, "")
			rel, err := Audit(context.Background(), c, tinyTarget, 1, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if p := rel.Parents[0]; p.Complete || len(p.FailedReads) == 0 {
				t.Errorf("parent %s: complete %v, failed %v", p.Name, p.Complete, p.FailedReads)
			}
			if rel.Complete || len(rel.Texts) != 0 || len(rel.FailedReads) == 0 {
				t.Fatalf("complete %v, %d texts, failed %v", rel.Complete, len(rel.Texts), rel.FailedReads)
			}
			var paths []string
			for _, f := range rel.FailedReads {
				paths = append(paths, f.Path)
			}
			if !slices.Contains(paths, "README.md") || !slices.Contains(paths, "model.safetensors") {
				t.Errorf("failed reads %q lack README.md and model.safetensors", paths)
			}
			if x.RedirectLoop && c.Requests() > 300 { // 11 per file read; retrying would be 6 times that
				t.Errorf("%d requests: redirect loops are retried", c.Requests())
			}
		})
	}
}

func TestPinnedRuleNotFooledByName(t *testing.T) {
	t.Parallel()
	name := "tree/" + strings.Repeat("a", 40)
	repo := &fakeRepo{Kind: hubtest.KindModel, ID: name, SHA: commit("v1"), Files: map[string]fakeFile{"README.md": text("# v1\n")}}
	h := newFakeHub(t, repo)
	dir := t.TempDir()
	c, _ := clientFor(h, "")
	c.Cache = &HTTPCache{Dir: dir}
	if _, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: name}, Options{}); err != nil {
		t.Fatal(err)
	}
	repo.SHA = commit("v2") // a new commit on the default branch
	c2, _ := clientFor(h, "")
	c2.Cache = &HTTPCache{Dir: dir}
	rel, err := Fetch(context.Background(), c2, Target{Kind: KindModel, Repo: name}, Options{})
	if err != nil || rel.Revision != commit("v2") {
		t.Errorf("second audit: revision %q, err %v; want the new commit", rel.Revision, err)
	}
}

func TestHTTPCacheIgnoresNonRegularEntries(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	dir := t.TempDir()
	c, _ := clientFor(h, "")
	c.Cache = &HTTPCache{Dir: dir}
	if _, err := Fetch(context.Background(), c, tinyTarget, Options{}); err != nil {
		t.Fatal(err)
	}
	bodies, _ := filepath.Glob(filepath.Join(dir, "*.body"))
	for _, b := range bodies {
		must(t, os.Remove(b))
		must(t, os.Symlink("/dev/zero", b))
	}
	c2, _ := clientFor(h, "")
	c2.Cache = &HTTPCache{Dir: dir}
	rel, err := Fetch(context.Background(), c2, tinyTarget, Options{})
	if err != nil || c2.Cache.Hits() != 0 || len(rel.Texts) == 0 {
		t.Errorf("err %v, %d hits from links to /dev/zero, %d texts", err, c2.Cache.Hits(), len(rel.Texts))
	}
}

// TestHTTPCacheLeavesNoTemporaryFiles: answers cut short (over the cap) or read in full leave
// only finished entries in the cache folder.
func TestHTTPCacheLeavesNoTemporaryFiles(t *testing.T) {
	t.Parallel()
	for name, x := range map[string]hubtest.Hostile{"normal": {}, "info over the cap": {InfoBytes: 9 << 20}} {
		h := hostileHub(t, x)
		dir := t.TempDir()
		c, _ := clientFor(h, "")
		c.Cache = &HTTPCache{Dir: dir}
		Audit(context.Background(), c, tinyTarget, 1, Options{})
		tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
		bodies, _ := filepath.Glob(filepath.Join(dir, "*.body"))
		metas, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(tmp) != 0 || len(bodies) != len(metas) || name == "normal" && len(bodies) == 0 {
			t.Errorf("%s: %d temporary files, %d bodies, %d metadata files", name, len(tmp), len(bodies), len(metas))
		}
	}
}
