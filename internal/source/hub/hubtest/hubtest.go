// Package hubtest is a fake Hugging Face Hub for tests: an httptest server that speaks the parts
// of the Hub API glassbox uses (info with expand, paginated trees, /resolve/ with redirects, ETag,
// Range and X-Repo-Commit, the real error headers, RateLimit faults, injectable latency), fixture
// repositories modelled on the real responses in ../testdata, and a hostile mode (Hostile) that
// misbehaves as a broken or malicious server would: huge or gzip-bombed answers, paths that
// climb out, endless or repeated cursors, redirects to other origins, loops, servers that never
// answer, 31 MB weights headers.
package hubtest

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

// Kind is what a repository holds.
type Kind string

// Repository kinds, as the hub package spells them.
const (
	KindModel   Kind = "model"
	KindDataset Kind = "dataset"
)

// File is one file of a fake repository; LFS files are served through a CDN redirect.
type File struct {
	Data []byte
	LFS  bool
}

// Repo is one repository of the fake Hub.
type Repo struct {
	Kind    Kind
	ID, SHA string
	Gated   string // "", "auto" or "manual": files other than the card need an accepted token
	Private bool   // only the good token sees it
	// Disabled repositories answer 403 with the Hub's message.
	Disabled bool
	Info     map[string]any // extra info fields (cardData, config, tags, …)
	Files    map[string]File
}

// Fault is a canned answer given before the real one.
type Fault struct {
	Status int
	Header map[string]string
}

// Hub speaks the parts of the Hub API glassbox uses, modelled on the real responses in
// testdata: info with expand, tree pages with Link headers, /resolve/ with X-Repo-Commit,
// ETag, Range and a redirect for LFS files, the real error headers, injectable latency and
// faults (429 with RateLimit, 503).
type Hub struct {
	// URL is the server's base URL, to use as HF_ENDPOINT.
	URL string
	// Latency is added to every response.
	Latency time.Duration
	// PageSize is how many tree entries a page holds.
	PageSize int
	// GoodToken reads private repositories and gated files.
	GoodToken string
	// Hostile turns on misbehaviours (see Hostile); set it before the first request.
	Hostile Hostile

	srv   *httptest.Server
	repos map[string]*Repo

	mu     sync.Mutex
	faults map[string][]Fault // by URL path
	log    []string           // "METHOD path?query range"
	agents []string
	auths  []string
}

// New starts a fake Hub serving repos; it stops when the test ends.
func New(tb testing.TB, repos ...*Repo) *Hub {
	tb.Helper()
	h := &Hub{repos: map[string]*Repo{}, PageSize: 1000, GoodToken: "hf_good", faults: map[string][]Fault{}}
	for _, r := range repos {
		h.repos[string(r.Kind)+":"+r.ID] = r
	}
	h.srv = httptest.NewServer(h)
	h.URL = h.srv.URL
	tb.Cleanup(h.srv.Close)
	return h
}

// Fail queues faults for a URL path; each is answered once, in order, before the real answer.
func (h *Hub) Fail(path string, f ...Fault) {
	h.mu.Lock()
	h.faults[path] = append(h.faults[path], f...)
	h.mu.Unlock()
}

// Requests returns the requests so far, each as "METHOD path?query range".
func (h *Hub) Requests() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.log)
}

// Agents returns the User-Agent of each request so far.
func (h *Hub) Agents() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.agents)
}

// Auths returns the Authorization header of each request so far.
func (h *Hub) Auths() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.auths)
}

// ServeHTTP routes one request.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.Latency > 0 {
		time.Sleep(h.Latency)
	}
	p := r.URL.EscapedPath()
	h.mu.Lock()
	entry := r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		entry += "?" + r.URL.RawQuery
	}
	if rg := r.Header.Get("Range"); rg != "" {
		entry += " " + rg
	}
	h.log = append(h.log, entry)
	h.agents = append(h.agents, r.Header.Get("User-Agent"))
	h.auths = append(h.auths, r.Header.Get("Authorization"))
	var f *Fault
	if q := h.faults[r.URL.Path]; len(q) > 0 {
		f, h.faults[r.URL.Path] = &q[0], q[1:]
	}
	h.mu.Unlock()
	if f != nil {
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(f.Status)
		return
	}
	if h.hostile(w, r, p) {
		return
	}
	switch {
	case p == "/api/models":
		h.list(w, r)
	case strings.HasPrefix(p, "/api/models/"):
		h.api(w, r, KindModel, strings.TrimPrefix(p, "/api/models/"))
	case strings.HasPrefix(p, "/api/datasets/"):
		h.api(w, r, KindDataset, strings.TrimPrefix(p, "/api/datasets/"))
	case strings.HasPrefix(p, "/cdn/"):
		h.cdn(w, r, strings.TrimPrefix(p, "/cdn/"))
	case strings.HasPrefix(p, "/datasets/"):
		h.resolve(w, r, KindDataset, strings.TrimPrefix(p, "/datasets/"))
	default:
		h.resolve(w, r, KindModel, strings.TrimPrefix(p, "/"))
	}
}

// hubError writes an error the way the Hub does: status plus X-Error-Code and X-Error-Message.
func hubError(w http.ResponseWriter, status int, code, msg string) {
	if code != "" {
		w.Header().Set("X-Error-Code", code)
	}
	w.Header().Set("X-Error-Message", msg)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":%q}`, msg)
}

// split cuts an escaped path "org/name/<sep>/rest" at the first of seps.
func split(p string, seps ...string) (repo, sep, rest string) {
	best := -1
	for _, s := range seps {
		if i := strings.Index(p, "/"+s+"/"); i >= 0 && (best < 0 || i < best) {
			best, sep = i, s
		}
	}
	if best < 0 {
		return p, "", ""
	}
	return p[:best], sep, p[best+len(sep)+2:]
}

// repo finds a repository and checks access; it writes the error and returns nil when denied.
func (h *Hub) repo(w http.ResponseWriter, r *http.Request, kind Kind, id string) *Repo {
	repo := h.repos[string(kind)+":"+id]
	good := r.Header.Get("Authorization") == "Bearer "+h.GoodToken
	switch {
	case repo == nil && r.Header.Get("Authorization") == "":
		// The Hub answers 401 to anonymous callers for anything it will not show.
		hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository not found")
	case repo == nil, repo.Private && !good:
		if r.Header.Get("Authorization") == "" {
			hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository not found")
		} else {
			hubError(w, http.StatusNotFound, "RepoNotFound", "Repository not found")
		}
	case repo.Disabled:
		hubError(w, http.StatusForbidden, "", "Access to this resource is disabled.")
	default:
		return repo
	}
	return nil
}

// checkRev accepts the default branch and the repository's commit.
func checkRev(w http.ResponseWriter, repo *Repo, rev string) bool {
	if rev == "" || rev == "main" || rev == repo.SHA {
		return true
	}
	hubError(w, http.StatusNotFound, "RevisionNotFound", "Invalid rev id: "+rev)
	return false
}

// modelOnly lists expand fields the Hub refuses for datasets.
var modelOnly = []string{"baseModels", "config", "gguf", "library_name", "pipeline_tag", "safetensors"}

// api serves info and tree listings.
func (h *Hub) api(w http.ResponseWriter, r *http.Request, kind Kind, p string) {
	id, sep, rest := split(p, "revision", "tree")
	repo := h.repo(w, r, kind, id)
	if repo == nil {
		return
	}
	rev, _ := url.PathUnescape(rest)
	if sep == "tree" {
		rev, _, _ = strings.Cut(rest, "/")
		rev, _ = url.PathUnescape(rev)
	}
	if !checkRev(w, repo, rev) {
		return
	}
	if sep == "tree" {
		h.tree(w, r, repo)
		return
	}
	fields := r.URL.Query()["expand"]
	for _, f := range fields {
		if kind == KindDataset && slices.Contains(modelOnly, f) {
			hubError(w, http.StatusBadRequest, "", fmt.Sprintf(`"expand" must be one of the dataset fields, got %q`, f))
			return
		}
	}
	body, err := json.Marshal(pick(h.fullInfo(repo), fields))
	if err != nil {
		hubError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	// Like the Hub, a weak ETag of the answer; a matching If-None-Match gets 304.
	sum := sha1.Sum(body)
	etag := `W/"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if h.Hostile.InfoBytes > 0 && (len(h.Hostile.InfoRepos) == 0 || slices.Contains(h.Hostile.InfoRepos, repo.ID)) {
		h.Hostile.writeInfo(w, body)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(body, '\n'))
}

// fullInfo is everything the fake knows of a repository, as the info and listing answers
// spell it.
func (h *Hub) fullInfo(repo *Repo) map[string]any {
	full := map[string]any{"_id": "64f0" + clip(repo.SHA, 20), "id": repo.ID, "sha": repo.SHA, "private": repo.Private,
		"disabled": false, "gated": false, "lastModified": "2025-01-02T03:04:05.000Z"}
	if h.Hostile.SHA != "" {
		full["sha"] = h.Hostile.SHA
	}
	if repo.Gated != "" {
		full["gated"] = repo.Gated
	}
	var sibs []map[string]any
	for _, name := range sortedNames(repo) {
		sibs = append(sibs, map[string]any{"rfilename": name})
	}
	full["siblings"] = sibs
	for k, v := range repo.Info {
		full[k] = v
	}
	return full
}

// clip is s cut to n bytes.
func clip(s string, n int) string { return s[:min(len(s), n)] }

// pick keeps the id fields and the expanded fields of full; no fields means all of them.
func pick(full map[string]any, fields []string) map[string]any {
	if len(fields) == 0 {
		return full
	}
	out := map[string]any{"_id": full["_id"], "id": full["id"]}
	for _, f := range fields {
		if v, ok := full[f]; ok {
			out[f] = v
		}
	}
	return out
}

// sortedNames lists a repository's files in path order.
func sortedNames(repo *Repo) []string {
	names := make([]string, 0, len(repo.Files))
	for n := range repo.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// tree serves a recursive listing, a page at a time, with directories as the Hub lists them.
func (h *Hub) tree(w http.ResponseWriter, r *http.Request, repo *Repo) {
	if r.URL.Query().Get("recursive") != "true" {
		hubError(w, http.StatusBadRequest, "", "test hub only serves recursive listings")
		return
	}
	if h.hostileTree(w, r) {
		return
	}
	var entries []map[string]any
	dirs := map[string]bool{}
	for _, name := range sortedNames(repo) {
		for d := name; strings.Contains(d, "/"); {
			d = d[:strings.LastIndex(d, "/")]
			if !dirs[d] {
				dirs[d] = true
				entries = append(entries, map[string]any{"type": "directory", "oid": GitOID([]byte(d)), "size": 0, "path": d})
			}
		}
		f := repo.Files[name]
		e := map[string]any{"type": "file", "oid": GitOID(f.Data), "size": len(f.Data), "path": name}
		if f.LFS {
			e["lfs"] = map[string]any{"oid": SHA256Hex(f.Data), "size": len(f.Data), "pointerSize": 134}
			e["xetHash"] = SHA256Hex(append([]byte("xet"), f.Data...))
		}
		entries = append(entries, e)
	}
	for _, p := range h.Hostile.TreePaths {
		entries = append(entries, map[string]any{"type": "file", "oid": GitOID([]byte(p)), "size": 1, "path": p,
			"lfs": map[string]any{"oid": SHA256Hex([]byte(p)), "size": 1, "pointerSize": 134}})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i]["path"].(string) < entries[j]["path"].(string) })
	start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	end := min(start+h.PageSize, len(entries))
	if end < len(entries) {
		next := *r.URL
		q := next.Query()
		q.Set("cursor", strconv.Itoa(end))
		next.RawQuery = q.Encode()
		origin := h.srv.URL
		if h.Hostile.NextOrigin != "" {
			origin = h.Hostile.NextOrigin
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, origin, next.RequestURI()))
	}
	w.Header().Set("Content-Type", "application/json")
	page := entries[start:end]
	if page == nil {
		page = []map[string]any{}
	}
	json.NewEncoder(w).Encode(page)
}

// resolve serves raw files: small ones directly, LFS ones by a redirect to the CDN.
func (h *Hub) resolve(w http.ResponseWriter, r *http.Request, kind Kind, p string) {
	id, sep, rest := split(p, "resolve")
	if sep == "" {
		http.NotFound(w, r)
		return
	}
	repo := h.repo(w, r, kind, id)
	if repo == nil {
		return
	}
	rawRev, rawPath, _ := strings.Cut(rest, "/")
	rev, _ := url.PathUnescape(rawRev)
	name, _ := url.PathUnescape(rawPath)
	if !checkRev(w, repo, rev) {
		return
	}
	auth := r.Header.Get("Authorization")
	if repo.Gated != "" && name != "README.md" && name != ".gitattributes" && auth != "Bearer "+h.GoodToken {
		msg := "Access to model " + repo.ID + " is restricted. You must have access to it and be authenticated to access it. Please log in."
		if auth == "" {
			hubError(w, http.StatusUnauthorized, "GatedRepo", msg)
		} else {
			hubError(w, http.StatusForbidden, "GatedRepo", "Access to model "+repo.ID+" is restricted and you are not in the authorized list.")
		}
		return
	}
	f, ok := repo.Files[name]
	if !ok {
		hubError(w, http.StatusNotFound, "EntryNotFound", name+" does not exist on \"main\"")
		return
	}
	w.Header().Set("X-Repo-Commit", repo.SHA)
	if f.LFS {
		w.Header().Set("X-Linked-Etag", `"`+SHA256Hex(f.Data)+`"`)
		w.Header().Set("X-Linked-Size", strconv.Itoa(len(f.Data)))
		w.Header().Set("Location", h.srv.URL+"/cdn/"+SHA256Hex(f.Data))
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+GitOID(f.Data)+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.Data))
}

// cdn serves LFS content by sha256, as the Hub's storage does after the redirect.
func (h *Hub) cdn(w http.ResponseWriter, r *http.Request, oid string) {
	for _, repo := range h.repos {
		for _, f := range repo.Files {
			if f.LFS && SHA256Hex(f.Data) == oid {
				w.Header().Set("ETag", `"`+oid+`"`)
				http.ServeContent(w, r, oid, time.Time{}, bytes.NewReader(f.Data))
				return
			}
		}
	}
	http.NotFound(w, r)
}

// GitOID is the git blob sha1 of data, as the tree's oid.
func GitOID(data []byte) string {
	s := sha1.New()
	fmt.Fprintf(s, "blob %d\x00", len(data))
	s.Write(data)
	return hex.EncodeToString(s.Sum(nil))
}

// SHA256Hex is the LFS oid of data.
func SHA256Hex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// SafetensorsFile builds a small valid safetensors file with metadata.
func SafetensorsFile(tb testing.TB, meta map[string]string) []byte {
	tb.Helper()
	var b bytes.Buffer
	err := artifact.WriteSafetensors(&b, []artifact.Tensor{
		{Name: "embed.weight", DType: "F32", Shape: []int64{16, 8}},
		{Name: "lm_head.weight", DType: "BF16", Shape: []int64{8, 16}},
	}, meta)
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// GGUFFile builds a GGUF file whose metadata is larger than one range read.
func GGUFFile(tb testing.TB, vocab int) []byte {
	tb.Helper()
	tokens := make([]string, vocab)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("token-%06d", i)
	}
	var b bytes.Buffer
	err := artifact.WriteGGUF(&b, []artifact.KV{
		{Key: "general.architecture", Value: "llama"},
		{Key: "general.name", Value: "Tiny GGUF"},
		{Key: "general.license", Value: "apache-2.0"},
		{Key: "tokenizer.ggml.tokens", Value: tokens},
	}, []artifact.Tensor{{Name: "token_embd.weight", DType: "F32", Shape: []int64{4, 4}}})
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Card writes a README with YAML front matter.
func Card(front, body string) File {
	return File{Data: []byte("---\n" + front + "---\n\n" + body + "\n")}
}

// Text is a small non-LFS file.
func Text(s string) File { return File{Data: []byte(s)} }

// Commit makes a stable fake commit sha from a name.
func Commit(name string) string {
	s := sha1.Sum([]byte(name))
	return hex.EncodeToString(s[:])
}

// Fixtures is the fake Hub's content: a fine-tune of a gated base trained on two datasets, a
// merge of two parents sharing a root, a cycle, a GGUF repository, a repository with many
// files, a private and a disabled one, and bert modelled on the real sample.
func Fixtures(tb testing.TB) []*Repo {
	tb.Helper()
	weights := SafetensorsFile(tb, map[string]string{"format": "pt"})
	model := func(id string, info map[string]any, files map[string]File) *Repo {
		if info == nil {
			info = map[string]any{}
		}
		if _, ok := info["library_name"]; !ok {
			info["library_name"] = "transformers"
		}
		return &Repo{Kind: KindModel, ID: id, SHA: Commit(id), Info: info, Files: files}
	}
	llama := model("meta-llama/Llama-3.2-1B", map[string]any{
		"cardData":     map[string]any{"license": "llama3.2", "extra_gated_prompt": "You agree to the Llama 3.2 Community License."},
		"config":       map[string]any{"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama"},
		"pipeline_tag": "text-generation", "tags": []string{"transformers", "safetensors", "llama", "license:llama3.2"},
		"safetensors": map[string]any{"parameters": map[string]int64{"BF16": 1235814400}, "total": 1235814400},
	}, map[string]File{
		".gitattributes":       Text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"),
		"README.md":            Card("license: llama3.2\nextra_gated_prompt: You agree.\n", "# Llama 3.2"),
		"LICENSE.txt":          Text("LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\n"),
		"USE_POLICY.md":        Text("# Llama 3.2 Acceptable Use Policy\n"),
		"config.json":          Text(`{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}`),
		"model.safetensors":    {Data: weights, LFS: true},
		"original/params.json": Text(`{"dim": 2048}`),
	})
	llama.Gated = "manual"
	tiny := model("acme/tiny-chat", map[string]any{
		"cardData": map[string]any{"license": "llama3.2", "base_model": "meta-llama/Llama-3.2-1B",
			"base_model_relation": "finetune", "datasets": []string{"acme/instruct-mix", "HuggingFaceFW/fineweb-edu"}},
		"config":       map[string]any{"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama"},
		"pipeline_tag": "text-generation",
		"tags":         []string{"transformers", "safetensors", "llama", "dataset:acme/instruct-mix", "base_model:meta-llama/Llama-3.2-1B", "license:llama3.2"},
		"safetensors":  map[string]any{"parameters": map[string]int64{"BF16": 128, "F32": 128}, "total": 256},
		"baseModels":   map[string]any{"relation": "finetune", "models": []map[string]any{{"id": "meta-llama/Llama-3.2-1B"}}},
		"gguf":         nil,
	}, map[string]File{
		".gitattributes":         Text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"),
		"README.md":              Card("license: llama3.2\nbase_model: meta-llama/Llama-3.2-1B\ndatasets:\n- acme/instruct-mix\n- HuggingFaceFW/fineweb-edu\n", "# Tiny chat\n\nA fine-tune."),
		"LICENSE":                Text("LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\n"),
		"config.json":            Text(`{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}`),
		"generation_config.json": Text(`{"temperature": 0.6}`),
		"tokenizer_config.json":  Text(`{"chat_template": "{{ messages }}"}`),
		"tokenizer.json":         Text(`{"model": {"vocab": {}}}`),
		"docs/TRAINING.md":       Text("# Training\n\nTwo epochs.\n"),
		"train.py":               Text("print('train')\n"),
		"model.safetensors":      {Data: weights, LFS: true},
	})
	dataset := func(id, license string) *Repo {
		return &Repo{Kind: KindDataset, ID: id, SHA: Commit(id), Info: map[string]any{
			"cardData": map[string]any{"license": license, "language": []string{"en"}},
			"tags":     []string{"license:" + license, "language:en"},
		}, Files: map[string]File{
			"README.md":              Card("license: "+license+"\n", "# "+id),
			"data/train.jsonl":       {Data: bytes.Repeat([]byte(`{"text":"hi"}`+"\n"), 100), LFS: true},
			"data/notes.txt":         Text("not read: a data file"),
			"scripts/build.py":       Text("print('build')\n"),
			"LICENSE":                Text(license + "\n"),
			".gitattributes":         Text("*.jsonl filter=lfs\n"),
			"data/README_sources.md": Text("# Sources\n"),
		}}
	}
	simple := func(id string, bases ...string) *Repo {
		cd := map[string]any{"license": "apache-2.0"}
		switch len(bases) {
		case 0:
		case 1:
			cd["base_model"] = bases[0]
		default:
			cd["base_model"] = bases
			cd["base_model_relation"] = "merge"
		}
		return model(id, map[string]any{"cardData": cd}, map[string]File{
			"README.md":         Card("license: apache-2.0\n", "# "+id),
			"model.safetensors": {Data: weights, LFS: true},
		})
	}
	many := map[string]File{"README.md": Text("# many\n")}
	for i := range 24 {
		many[fmt.Sprintf("shards/part-%02d.txt", i)] = Text(strconv.Itoa(i))
	}
	bert := BertFixture(tb)
	secret := simple("acme/secret")
	secret.Private = true
	gone := simple("acme/disabled")
	gone.Disabled = true
	return []*Repo{
		llama, tiny, dataset("acme/instruct-mix", "cc-by-4.0"), dataset("HuggingFaceFW/fineweb-edu", "odc-by"),
		simple("acme/root"), simple("acme/parent-a", "acme/root"), simple("acme/parent-b", "acme/root"),
		simple("acme/merged", "acme/parent-a", "acme/parent-b"),
		simple("loop/a", "loop/b"), simple("loop/b", "loop/a"), simple("loop/self", "loop/self"),
		simple("acme/orphan", "acme/gone-parent", "not a valid id"),
		model("acme/tiny-gguf", map[string]any{"cardData": map[string]any{"license": "apache-2.0"},
			"gguf": map[string]any{"total": 16, "architecture": "llama", "context_length": 2048}},
			map[string]File{"README.md": Text("# gguf\n"), "tiny.Q8_0.gguf": {Data: GGUFFile(tb, 20000), LFS: true}}),
		model("acme/many-files", nil, many),
		secret, gone, bert,
	}
}

// BertFixture serves the real bert-base-uncased info sample, with a few of its files.
func BertFixture(tb testing.TB) *Repo {
	tb.Helper()
	_, self, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "testdata", "hf_api_model_bert-base-uncased.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var info map[string]any
	if err := json.Unmarshal(raw, &info); err != nil {
		tb.Fatal(err)
	}
	r := &Repo{Kind: KindModel, ID: info["id"].(string), SHA: info["sha"].(string), Info: map[string]any{}, Files: map[string]File{
		"README.md":   Card("language: en\nlicense: apache-2.0\ndatasets:\n- bookcorpus\n- wikipedia\n", "# BERT base model (uncased)"),
		"LICENSE":     Text("Apache License\nVersion 2.0, January 2004\n"),
		"config.json": Text(`{"architectures": ["BertForMaskedLM"], "model_type": "bert"}`),
		"vocab.txt":   Text("[PAD]\n[UNK]\n"),
	}}
	for k, v := range info {
		if k != "id" && k != "sha" && k != "siblings" && k != "_id" {
			r.Info[k] = v
		}
	}
	return r
}
