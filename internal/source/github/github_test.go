package github

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/source/github/githubtest"
)

func trainer() *githubtest.Repo {
	return &githubtest.Repo{Owner: "acme", Name: "trainer", License: "Apache-2.0", Files: map[string]string{
		"README.md":           "# trainer\nTraining code for acme/tiny.\n",
		"LICENSE":             "Apache License\nVersion 2.0, January 2004\n",
		"pyproject.toml":      "[project]\nname = \"trainer\"\n",
		"scripts/train.py":    "print('train')\n",
		"trainer/model.py":    "class Model: pass\n",
		"docs/big.md":         "not read\n",
		"configs/tiny.yaml":   "lr: 0.1\n",
		"scripts/LICENSE.txt": "not at the root, not read\n",
	}}
}

// newClient is a client of fake with a clock that never sleeps, recording the waits.
func newClient(api string, waits *[]time.Duration) *Client {
	c := &Client{API: api, UserAgent: "glassbox/test"}
	c.Sleep = func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }
	c.Now = func() time.Time { return time.Unix(1_700_000_000, 0) }
	return c
}

func TestFetchPinsEverythingToTheCommit(t *testing.T) {
	t.Parallel()
	repo := trainer()
	fake := githubtest.NewPrefixed(t, "/api/v3", repo)
	var waits []time.Duration
	c := newClient(fake.URL, &waits)
	rel, meta, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "trainer"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Revision != repo.SHA || rel.Target != "gh:acme/trainer@"+repo.SHA || !rel.Complete {
		t.Errorf("release = %s %s complete %v", rel.Target, rel.Revision, rel.Complete)
	}
	if meta.License != "Apache-2.0" || meta.DefaultBranch != "main" {
		t.Errorf("meta = %+v", meta)
	}
	if len(rel.Files) != 8 {
		t.Errorf("files = %d, want 8 blobs", len(rel.Files))
	}
	var texts []string
	for _, x := range rel.Texts {
		texts = append(texts, x.Path)
	}
	if diff := cmp.Diff([]string{"LICENSE", "README.md", "pyproject.toml"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if lic, _ := rel.Text("LICENSE"); !strings.HasPrefix(lic.Content, "Apache License") {
		t.Errorf("LICENSE = %q", lic.Content)
	}
	if f, _ := rel.File("LICENSE"); len(f.SHA256) != 64 {
		t.Errorf("LICENSE has no content hash: %+v", f)
	}
	want := []string{
		"/repos/acme/trainer", "/repos/acme/trainer/commits/main",
		"/repos/acme/trainer/git/trees/" + repo.SHA + "?recursive=1",
		"/repos/acme/trainer/contents/LICENSE?ref=" + repo.SHA,
		"/repos/acme/trainer/contents/README.md?ref=" + repo.SHA,
		"/repos/acme/trainer/contents/pyproject.toml?ref=" + repo.SHA,
	}
	if diff := cmp.Diff(want, fake.Requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestFetchTextEncodings(t *testing.T) {
	t.Parallel()
	repo := &githubtest.Repo{Owner: "acme", Name: "old", Files: map[string]string{
		"LICENSE":   "Copyright \xa9 1999 acme\n",
		"README.md": "binary\x00data",
	}}
	fake := githubtest.New(t, repo)
	var waits []time.Duration
	rel, _, err := Fetch(context.Background(), newClient(fake.URL, &waits), Target{Owner: "acme", Name: "old"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if lic, _ := rel.Text("LICENSE"); lic.Content != "Copyright © 1999 acme\n" {
		t.Errorf("Latin-1 LICENSE read as %q", lic.Content)
	}
	if _, ok := rel.Text("README.md"); ok || len(rel.Notes) != 1 || !strings.Contains(rel.Notes[0], "README.md not read: binary content") {
		t.Errorf("binary README kept, notes %q", rel.Notes)
	}
}

func TestFetchLinkedFolderAndTruncatedTree(t *testing.T) {
	t.Parallel()
	repo := trainer()
	repo.Truncated = true
	fake := githubtest.New(t, repo)
	var waits []time.Duration
	rel, _, err := Fetch(context.Background(), newClient(fake.URL, &waits), Target{Owner: "acme", Name: "trainer", Ref: "main", Path: "scripts"}, Options{MaxTree: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Complete || len(rel.Files) != 3 || len(rel.Notes) != 2 {
		t.Errorf("complete %v, %d files, notes %q; want incomplete, 3 files, 2 notes", rel.Complete, len(rel.Files), rel.Notes)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t, &githubtest.Repo{Owner: "acme", Name: "secret", Private: true, Files: map[string]string{"a": "b"}})
	var waits []time.Duration
	c := newClient(fake.URL, &waits)
	for _, name := range []string{"missing", "secret"} {
		_, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: name}, Options{})
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "github.com/acme/"+name+": repository or ref not found") {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}
	c.Token = "gh_good"
	if _, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "secret"}, Options{}); err != nil {
		t.Errorf("with the good token: %v", err)
	}
	if _, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "secret", Ref: "nope"}, Options{}); err == nil || !strings.Contains(err.Error(), "HTTP 422") {
		t.Errorf("bad ref: err = %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	reset := strconv.FormatInt(1_700_000_000+30, 10)
	tests := []struct {
		name    string
		fault   githubtest.Fault
		waits   []time.Duration
		failure string
	}{
		{"403 remaining 0, short reset", githubtest.Fault{Status: 403, Header: map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": reset}}, []time.Duration{31 * time.Second}, ""},
		{"429 retry-after", githubtest.Fault{Status: 429, Header: map[string]string{"Retry-After": "2"}}, []time.Duration{2 * time.Second}, ""},
		{"403 reset in an hour", githubtest.Fault{Status: 403, Header: map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": strconv.FormatInt(1_700_003_600, 10)}}, nil,
			"github.com/acme/trainer: GitHub API rate limit exhausted (resets in 1h0m1s, longer than the 2m0s glassbox waits; set GITHUB_TOKEN for 5,000 requests an hour)"},
		{"403 forbidden", githubtest.Fault{Status: 403}, nil, "github.com/acme/trainer: HTTP 403"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := githubtest.New(t, trainer())
			fake.Fail("/repos/acme/trainer", tt.fault)
			var waits []time.Duration
			var told []string
			c := newClient(fake.URL, &waits)
			c.Inform = func(s string) { told = append(told, s) }
			_, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "trainer"}, Options{})
			if tt.failure == "" && err != nil || tt.failure != "" && (err == nil || err.Error() != tt.failure) {
				t.Fatalf("err = %v, want %q", err, tt.failure)
			}
			if diff := cmp.Diff(tt.waits, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if long := len(tt.waits) > 0 && tt.waits[0] > 3*time.Second; long != (len(told) == 1) {
				t.Errorf("told %q; a wait over 3s must be announced once, a short one not", told)
			}
		})
	}
}

func TestTokenStaysWithTheAPIOrigin(t *testing.T) {
	t.Parallel()
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
		w.Write([]byte(`{"default_branch":"main"}`))
	}))
	defer other.Close()
	var here []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		here = append(here, r.Header.Get("Authorization"))
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer api.Close()
	var waits []time.Duration
	c := newClient(api.URL, &waits)
	c.Token = "secret"
	if _, err := c.get(context.Background(), "x", "/repos/a/b", ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Bearer secret"}, here); diff != "" {
		t.Errorf("API saw (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{""}, elsewhere); diff != "" {
		t.Errorf("the other origin saw (-want +got):\n%s", diff)
	}
}

func TestCacheAndOffline(t *testing.T) {
	t.Parallel()
	repo := trainer()
	fake := githubtest.New(t, repo)
	dir := t.TempDir()
	var waits []time.Duration
	read := func(c *Client) (int, error) {
		before := len(fake.Requests())
		_, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "trainer"}, Options{})
		return len(fake.Requests()) - before, err
	}
	cold := newClient(fake.URL, &waits)
	cold.Cache = &Cache{Dir: dir}
	if n, err := read(cold); err != nil || n != 6 {
		t.Fatalf("cold: %d requests, %v; want 6", n, err)
	}
	warm := newClient(fake.URL, &waits)
	warm.Cache = &Cache{Dir: dir}
	// Only the repository and the branch are asked again, conditionally; pinned answers are not.
	if n, err := read(warm); err != nil || n != 2 || warm.Cache.Revalidated() != 2 || warm.Cache.Hits() != 4 {
		t.Fatalf("warm: %d requests (%d revalidated, %d hits), %v; want 2, 2, 4", n, warm.Cache.Revalidated(), warm.Cache.Hits(), err)
	}
	off := newClient(fake.URL, &waits)
	off.Cache, off.Offline = &Cache{Dir: dir}, true
	if n, err := read(off); err != nil || n != 0 {
		t.Fatalf("offline with a cache: %d requests, %v; want 0", n, err)
	}
	empty := newClient(fake.URL, &waits)
	empty.Cache, empty.Offline = &Cache{Dir: t.TempDir()}, true
	if _, err := read(empty); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline without a cache: %v, want ErrOffline", err)
	}
}

// closedURL is a loopback address nothing listens on any more.
func closedURL() string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

func TestUnreachableFailsFastOnce(t *testing.T) {
	t.Parallel()
	var waits []time.Duration
	c := newClient(closedURL(), &waits)
	for range 2 {
		_, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "trainer"}, Options{})
		if !errors.Is(err, ErrUnreachable) {
			t.Fatalf("err = %v, want unreachable", err)
		}
	}
	if c.Requests() != 1 || len(waits) != 0 {
		t.Errorf("%d requests, %d waits; want one attempt and no retry", c.Requests(), len(waits))
	}
}

func TestParseTarget(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Target{
		"gh:acme/trainer":                                {Owner: "acme", Name: "trainer"},
		"gh:acme/trainer@v1":                             {Owner: "acme", Name: "trainer", Ref: "v1"},
		"https://github.com/acme/trainer":                {Owner: "acme", Name: "trainer"},
		"https://github.com/acme/trainer/tree/dev/sub/x": {Owner: "acme", Name: "trainer", Ref: "dev", Path: "sub/x"},
	} {
		got, err := ParseTarget(in)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"gh:acme", "gh:acme/trainer@", "gh:a/b/c", "https://github.com/features/x", "gh:acme/../x"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) accepted", bad)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"tree":[{"path":"a/b.py","type":"blob","size":3},{"path":"../x","type":"blob"}],"truncated":true}`))
	f.Add([]byte(`{"type":"file","encoding":"base64","size":3,"content":"YWJj\n"}`))
	f.Add([]byte(`{"default_branch":"main","license":{"spdx_id":"NOASSERTION"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		DecodeRepo(raw)
		if tr, err := DecodeTree(raw); err == nil {
			for _, e := range tr.Entries {
				if !cleanPath(e.Path) {
					t.Fatalf("unsafe path %q kept", e.Path)
				}
			}
		}
		if b, err := DecodeContent(raw, 64); err == nil && len(b) > 64 {
			t.Fatalf("content of %d bytes past the cap", len(b))
		}
	})
}

func TestCacheStandsInWhenUnreachable(t *testing.T) {
	t.Parallel()
	repo := trainer()
	fake := githubtest.New(t, repo)
	// A proxy whose address stops answering once closed: the cache is keyed by URL.
	proxy := httptest.NewServer(fake)
	dir := t.TempDir()
	var waits []time.Duration
	c := newClient(proxy.URL, &waits)
	c.Cache = &Cache{Dir: dir}
	if _, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "trainer"}, Options{}); err != nil {
		t.Fatal(err)
	}
	proxy.Close()
	c2 := newClient(proxy.URL, &waits)
	c2.Cache = &Cache{Dir: dir}
	rel, _, err := Fetch(context.Background(), c2, Target{Owner: "acme", Name: "trainer"}, Options{})
	if err != nil || rel.Revision != repo.SHA {
		t.Fatalf("unreachable with a warm cache: %v", err)
	}
	if c2.Cache.Stale() != 2 || c2.Cache.Hits() != 4 || c2.Requests() != 1 {
		t.Errorf("stale %d, hits %d, requests %d; want 2 stale (repository, branch), 4 pinned hits, one failed attempt", c2.Cache.Stale(), c2.Cache.Hits(), c2.Requests())
	}
}

func TestNewClientFromEnvironment(t *testing.T) {
	t.Setenv("GITHUB_API_URL", "https://ghe.example/api/v3/")
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", " gh_tok ")
	c := NewClient("1.0")
	if c.API != "https://ghe.example/api/v3" || c.Token != "gh_tok" || c.UserAgent != "glassbox/1.0" {
		t.Errorf("client = %q %q %q", c.API, c.Token, c.UserAgent)
	}
	t.Setenv("GITHUB_TOKEN", "gh_first")
	t.Setenv("GITHUB_API_URL", "")
	if c := NewClient("1.0"); c.Token != "gh_first" || c.API != DefaultAPI {
		t.Errorf("GITHUB_TOKEN wins over GH_TOKEN and the API defaults to %s: got %q %q", DefaultAPI, c.Token, c.API)
	}
}

func TestTokenSentToThePrefixedAPI(t *testing.T) {
	t.Parallel()
	fake := githubtest.NewPrefixed(t, "/api/v3", trainer())
	var waits []time.Duration
	c := newClient(fake.URL, &waits)
	c.Token = "gh_good"
	if _, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "trainer"}, Options{}); err != nil {
		t.Fatal(err)
	}
	for i, a := range fake.Auths() {
		if a != "Bearer gh_good" {
			t.Errorf("request %d carried %q", i, a)
		}
	}
}

func TestExhaustedLimitIsNotAskedAgain(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t, trainer(), &githubtest.Repo{Owner: "acme", Name: "evals", Files: map[string]string{"a.py": ""}})
	hour := githubtest.Fault{Status: 429, Header: map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": strconv.FormatInt(1_700_003_600, 10)}}
	fake.Fail("/repos/acme/trainer", hour)
	var waits []time.Duration
	c := newClient(fake.URL, &waits)
	for _, name := range []string{"trainer", "evals"} {
		if _, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: name}, Options{}); !errors.Is(err, ErrRateLimited) {
			t.Errorf("%s: err = %v, want rate limited", name, err)
		}
	}
	if n := len(fake.Requests()); n != 1 || len(waits) != 0 {
		t.Errorf("%d requests, %d waits; want one request and no wait", n, len(waits))
	}
}

func TestUnreachableIsTriedOnceByParallelReads(t *testing.T) {
	t.Parallel()
	var waits []time.Duration
	c := newClient(closedURL(), &waits)
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, _, err := Fetch(context.Background(), c, Target{Owner: "acme", Name: "r" + strconv.Itoa(i)}, Options{})
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("err = %v, want unreachable with the first attempt's reason", err)
		}
	}
	if c.Requests() != 1 {
		t.Errorf("%d connection attempts, want 1", c.Requests())
	}
}
