// Package githubtest is a fake GitHub REST API for tests: an httptest server on loopback that
// answers the endpoints glassbox reads (repository, commits with the sha media type, recursive
// git trees with truncation, license, readme, contents in base64), with GitHub's 404s, ETags
// and 304s, queued faults (403 or 429 rate limits with x-ratelimit-* and retry-after headers),
// an optional base path prefix such as /api/v3 (GitHub Enterprise Server), and a log of the
// requests and the Authorization headers they carried.
package githubtest

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Repo is one repository of the fake API.
type Repo struct {
	Owner, Name string
	// Branch is the default branch (default "main"); SHA the commit it points to.
	Branch, SHA string
	// License is the spdx_id the repository answer gives ("" for no licence object).
	License string
	// Private repositories answer 404 unless the request carries GoodToken.
	Private bool
	// Truncated marks the tree as cut by GitHub.
	Truncated bool
	// Files maps paths to contents.
	Files map[string]string
}

// Fault is a canned answer given once before the real one.
type Fault struct {
	Status int
	Header map[string]string
}

// API is the fake server.
type API struct {
	// URL is the base to use as GITHUB_API_URL (with Prefix when one was given).
	URL string
	// GoodToken reads private repositories.
	GoodToken string

	prefix string
	srv    *httptest.Server
	repos  map[string]*Repo

	mu     sync.Mutex
	faults map[string][]Fault
	log    []string
	auths  []string
}

// New starts a fake API at the server root; it stops when the test ends.
func New(tb testing.TB, repos ...*Repo) *API { return NewPrefixed(tb, "", repos...) }

// NewPrefixed starts a fake API under prefix ("/api/v3"), as GitHub Enterprise Server serves it.
func NewPrefixed(tb testing.TB, prefix string, repos ...*Repo) *API {
	tb.Helper()
	a := &API{prefix: strings.TrimRight(prefix, "/"), repos: map[string]*Repo{}, faults: map[string][]Fault{}, GoodToken: "gh_good"}
	for _, r := range repos {
		a.Add(r)
	}
	a.srv = httptest.NewServer(a)
	a.URL = a.srv.URL + a.prefix
	tb.Cleanup(a.srv.Close)
	return a
}

// Add serves another repository.
func (a *API) Add(r *Repo) {
	if r.Branch == "" {
		r.Branch = "main"
	}
	if r.SHA == "" {
		r.SHA = Commit(r.Owner + "/" + r.Name)
	}
	a.mu.Lock()
	a.repos[strings.ToLower(r.Owner+"/"+r.Name)] = r
	a.mu.Unlock()
}

// Commit is a stable fake commit sha for a name.
func Commit(name string) string {
	s := sha1.Sum([]byte("commit " + name))
	return hex.EncodeToString(s[:])
}

// Fail queues faults for an API path (without the prefix, e.g. "/repos/acme/x").
func (a *API) Fail(p string, f ...Fault) {
	a.mu.Lock()
	a.faults[p] = append(a.faults[p], f...)
	a.mu.Unlock()
}

// Requests returns each request so far as "path?query" (without the prefix).
func (a *API) Requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.log)
}

// Auths returns the Authorization header of each request so far.
func (a *API) Auths() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.auths)
}

// ServeHTTP routes one request.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, a.prefix)
	a.mu.Lock()
	entry := p
	if r.URL.RawQuery != "" {
		entry += "?" + r.URL.RawQuery
	}
	a.log = append(a.log, entry)
	a.auths = append(a.auths, r.Header.Get("Authorization"))
	var f *Fault
	if q := a.faults[p]; len(q) > 0 {
		f, a.faults[p] = &q[0], q[1:]
	}
	a.mu.Unlock()
	if f != nil {
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		apiError(w, f.Status, "API rate limit exceeded")
		return
	}
	parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 4)
	if !ok || len(parts) < 3 || parts[0] != "repos" {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	a.mu.Lock()
	repo := a.repos[strings.ToLower(parts[1]+"/"+parts[2])]
	a.mu.Unlock()
	if repo == nil || repo.Private && r.Header.Get("Authorization") != "Bearer "+a.GoodToken {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	rest := ""
	if len(parts) == 4 {
		rest = parts[3]
	}
	a.route(w, r, repo, rest)
}

func (a *API) route(w http.ResponseWriter, r *http.Request, repo *Repo, rest string) {
	switch {
	case rest == "":
		a.repoInfo(w, r, repo)
	case strings.HasPrefix(rest, "commits/"):
		a.commit(w, r, repo, strings.TrimPrefix(rest, "commits/"))
	case strings.HasPrefix(rest, "git/trees/"):
		a.tree(w, r, repo, strings.TrimPrefix(rest, "git/trees/"))
	case rest == "license":
		a.special(w, r, repo, []string{"LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING"})
	case rest == "readme":
		a.special(w, r, repo, []string{"README.md", "README", "README.rst"})
	case strings.HasPrefix(rest, "contents/"):
		a.contents(w, r, repo, strings.TrimPrefix(rest, "contents/"), r.URL.Query().Get("ref"))
	default:
		apiError(w, http.StatusNotFound, "Not Found")
	}
}

func (a *API) repoInfo(w http.ResponseWriter, r *http.Request, repo *Repo) {
	info := map[string]any{
		"full_name": repo.Owner + "/" + repo.Name, "name": repo.Name, "default_branch": repo.Branch,
		"private": repo.Private, "archived": false, "fork": false,
		"html_url": "https://github.com/" + repo.Owner + "/" + repo.Name,
	}
	if repo.License != "" {
		info["license"] = map[string]any{"key": strings.ToLower(repo.License), "spdx_id": repo.License, "name": repo.License}
	} else {
		info["license"] = nil
	}
	writeJSON(w, r, info)
}

// resolves reports whether ref names the repository's one commit (its branch or sha).
func resolves(repo *Repo, ref string) bool { return ref == repo.Branch || ref == repo.SHA }

func (a *API) commit(w http.ResponseWriter, r *http.Request, repo *Repo, ref string) {
	if !resolves(repo, ref) {
		apiError(w, http.StatusUnprocessableEntity, "No commit found for SHA: "+ref)
		return
	}
	if r.Header.Get("Accept") == "application/vnd.github.sha" {
		etag := `"` + repo.SHA + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(repo.SHA))
		return
	}
	writeJSON(w, r, map[string]any{"sha": repo.SHA, "commit": map[string]any{"message": "fake"}})
}

func (a *API) tree(w http.ResponseWriter, r *http.Request, repo *Repo, sha string) {
	if sha != repo.SHA && sha != repo.Branch {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	var entries []map[string]any
	dirs := map[string]bool{}
	for _, p := range sortedPaths(repo) {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
			entries = append(entries, map[string]any{"path": d, "type": "tree", "sha": Commit("tree " + d)})
		}
		entries = append(entries, map[string]any{"path": p, "type": "blob", "size": len(repo.Files[p]), "sha": blobSHA(repo.Files[p])})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i]["path"].(string) < entries[j]["path"].(string) })
	if r.URL.Query().Get("recursive") == "" {
		entries = slices.DeleteFunc(entries, func(e map[string]any) bool { return strings.Contains(e["path"].(string), "/") })
	}
	writeJSON(w, r, map[string]any{"sha": repo.SHA, "tree": entries, "truncated": repo.Truncated})
}

func (a *API) contents(w http.ResponseWriter, r *http.Request, repo *Repo, p, ref string) {
	if ref != "" && !resolves(repo, ref) {
		apiError(w, http.StatusNotFound, "No commit found for the ref "+ref)
		return
	}
	data, ok := repo.Files[p]
	if !ok {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(w, r, contentAnswer(p, data))
}

// special answers /license and /readme with the first of names that exists.
func (a *API) special(w http.ResponseWriter, r *http.Request, repo *Repo, names []string) {
	for _, n := range names {
		if data, ok := repo.Files[n]; ok {
			ans := contentAnswer(n, data)
			if repo.License != "" && strings.HasPrefix(n, "L") {
				ans["license"] = map[string]any{"spdx_id": repo.License}
			}
			writeJSON(w, r, ans)
			return
		}
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

func contentAnswer(p, data string) map[string]any {
	enc := base64.StdEncoding.EncodeToString([]byte(data))
	// GitHub wraps the base64 text at 60 characters.
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	b.WriteString(enc)
	return map[string]any{"type": "file", "encoding": "base64", "path": p, "name": path.Base(p), "size": len(data), "sha": blobSHA(data), "content": b.String()}
}

func sortedPaths(repo *Repo) []string {
	out := make([]string, 0, len(repo.Files))
	for p := range repo.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// blobSHA is git's object id of a blob.
func blobSHA(data string) string {
	s := sha1.Sum([]byte(fmt.Sprintf("blob %d\x00%s", len(data), data)))
	return hex.EncodeToString(s[:])
}

// writeJSON answers with an ETag, and 304 when the client already has it.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	body, _ := json.Marshal(v)
	s := sha1.Sum(body)
	etag := `"` + hex.EncodeToString(s[:]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

func apiError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%q,"documentation_url":"https://docs.github.com/rest"}`, msg)
}
