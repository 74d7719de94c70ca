package hub

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

// fakeFile is one file of a fake repository; lfs files are served through a CDN redirect.
type fakeFile struct {
	data []byte
	lfs  bool
}

// fakeRepo is one repository of the fake Hub.
type fakeRepo struct {
	kind    Kind
	id, sha string
	gated   string // "", "auto" or "manual": files other than the card need an accepted token
	private bool   // only the good token sees it
	// disabled repositories answer 403 with the Hub's message.
	disabled bool
	info     map[string]any // extra info fields (cardData, config, tags, …)
	files    map[string]fakeFile
}

// fault is a canned answer given before the real one.
type fault struct {
	status int
	header map[string]string
}

// fakeHub speaks the parts of the Hub API glassbox uses, modelled on the real responses in
// testdata: info with expand, tree pages with Link headers, /resolve/ with X-Repo-Commit,
// ETag, Range and a redirect for LFS files, the real error headers, injectable latency and
// faults (429 with RateLimit, 503).
type fakeHub struct {
	srv      *httptest.Server
	repos    map[string]*fakeRepo
	latency  time.Duration
	pageSize int
	// goodToken reads private repositories and gated files.
	goodToken string

	mu     sync.Mutex
	faults map[string][]fault // by URL path
	log    []string           // "METHOD path?query range"
	agents []string
	auths  []string
}

// newFakeHub starts a fake Hub serving repos.
func newFakeHub(tb testing.TB, repos ...*fakeRepo) *fakeHub {
	tb.Helper()
	h := &fakeHub{repos: map[string]*fakeRepo{}, pageSize: 1000, goodToken: "hf_good", faults: map[string][]fault{}}
	for _, r := range repos {
		h.repos[string(r.kind)+":"+r.id] = r
	}
	h.srv = httptest.NewServer(h)
	tb.Cleanup(h.srv.Close)
	return h
}

// client returns a client for the fake Hub that never sleeps for real; sleeps are recorded.
func (h *fakeHub) client(token string) (*Client, *[]time.Duration) {
	c := NewClient("test")
	c.Endpoint, c.Token = h.srv.URL, token
	var mu sync.Mutex
	slept := new([]time.Duration)
	c.Sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		*slept = append(*slept, d)
		mu.Unlock()
		return nil
	}
	return c, slept
}

// fail queues faults for a path.
func (h *fakeHub) fail(path string, f ...fault) {
	h.mu.Lock()
	h.faults[path] = append(h.faults[path], f...)
	h.mu.Unlock()
}

// requests returns the log so far.
func (h *fakeHub) requests() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.log)
}

// ServeHTTP routes one request.
func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.latency > 0 {
		time.Sleep(h.latency)
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
	var f *fault
	if q := h.faults[r.URL.Path]; len(q) > 0 {
		f, h.faults[r.URL.Path] = &q[0], q[1:]
	}
	h.mu.Unlock()
	if f != nil {
		for k, v := range f.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(f.status)
		return
	}
	switch {
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
func (h *fakeHub) repo(w http.ResponseWriter, r *http.Request, kind Kind, id string) *fakeRepo {
	repo := h.repos[string(kind)+":"+id]
	good := r.Header.Get("Authorization") == "Bearer "+h.goodToken
	switch {
	case repo == nil && r.Header.Get("Authorization") == "":
		// The Hub answers 401 to anonymous callers for anything it will not show.
		hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository not found")
	case repo == nil, repo.private && !good:
		if r.Header.Get("Authorization") == "" {
			hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository not found")
		} else {
			hubError(w, http.StatusNotFound, "RepoNotFound", "Repository not found")
		}
	case repo.disabled:
		hubError(w, http.StatusForbidden, "", "Access to this resource is disabled.")
	default:
		return repo
	}
	return nil
}

// checkRev accepts the default branch and the repository's commit.
func checkRev(w http.ResponseWriter, repo *fakeRepo, rev string) bool {
	if rev == "" || rev == "main" || rev == repo.sha {
		return true
	}
	hubError(w, http.StatusNotFound, "RevisionNotFound", "Invalid rev id: "+rev)
	return false
}

// modelOnly lists expand fields the Hub refuses for datasets.
var modelOnly = []string{"baseModels", "config", "gguf", "library_name", "pipeline_tag", "safetensors"}

// api serves info and tree listings.
func (h *fakeHub) api(w http.ResponseWriter, r *http.Request, kind Kind, p string) {
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
	full := map[string]any{"_id": "64f0" + repo.sha[:20], "id": repo.id, "sha": repo.sha, "private": repo.private,
		"disabled": false, "gated": false, "lastModified": "2025-01-02T03:04:05.000Z"}
	if repo.gated != "" {
		full["gated"] = repo.gated
	}
	var sibs []map[string]any
	for _, name := range sortedNames(repo) {
		sibs = append(sibs, map[string]any{"rfilename": name})
	}
	full["siblings"] = sibs
	for k, v := range repo.info {
		full[k] = v
	}
	out := full
	if len(fields) > 0 {
		out = map[string]any{"_id": full["_id"], "id": full["id"]}
		for _, f := range fields {
			if v, ok := full[f]; ok {
				out[f] = v
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// sortedNames lists a repository's files in path order.
func sortedNames(repo *fakeRepo) []string {
	names := make([]string, 0, len(repo.files))
	for n := range repo.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// tree serves a recursive listing, a page at a time, with directories as the Hub lists them.
func (h *fakeHub) tree(w http.ResponseWriter, r *http.Request, repo *fakeRepo) {
	if r.URL.Query().Get("recursive") != "true" {
		hubError(w, http.StatusBadRequest, "", "test hub only serves recursive listings")
		return
	}
	var entries []map[string]any
	dirs := map[string]bool{}
	for _, name := range sortedNames(repo) {
		for d := name; strings.Contains(d, "/"); {
			d = d[:strings.LastIndex(d, "/")]
			if !dirs[d] {
				dirs[d] = true
				entries = append(entries, map[string]any{"type": "directory", "oid": gitOID([]byte(d)), "size": 0, "path": d})
			}
		}
		f := repo.files[name]
		e := map[string]any{"type": "file", "oid": gitOID(f.data), "size": len(f.data), "path": name}
		if f.lfs {
			e["lfs"] = map[string]any{"oid": sha256hex(f.data), "size": len(f.data), "pointerSize": 134}
			e["xetHash"] = sha256hex(append([]byte("xet"), f.data...))
		}
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i]["path"].(string) < entries[j]["path"].(string) })
	start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	end := min(start+h.pageSize, len(entries))
	if end < len(entries) {
		next := *r.URL
		q := next.Query()
		q.Set("cursor", strconv.Itoa(end))
		next.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, h.srv.URL, next.RequestURI()))
	}
	w.Header().Set("Content-Type", "application/json")
	page := entries[start:end]
	if page == nil {
		page = []map[string]any{}
	}
	json.NewEncoder(w).Encode(page)
}

// resolve serves raw files: small ones directly, LFS ones by a redirect to the CDN.
func (h *fakeHub) resolve(w http.ResponseWriter, r *http.Request, kind Kind, p string) {
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
	if repo.gated != "" && name != "README.md" && name != ".gitattributes" && auth != "Bearer "+h.goodToken {
		msg := "Access to model " + repo.id + " is restricted. You must have access to it and be authenticated to access it. Please log in."
		if auth == "" {
			hubError(w, http.StatusUnauthorized, "GatedRepo", msg)
		} else {
			hubError(w, http.StatusForbidden, "GatedRepo", "Access to model "+repo.id+" is restricted and you are not in the authorized list.")
		}
		return
	}
	f, ok := repo.files[name]
	if !ok {
		hubError(w, http.StatusNotFound, "EntryNotFound", name+" does not exist on \"main\"")
		return
	}
	w.Header().Set("X-Repo-Commit", repo.sha)
	if f.lfs {
		w.Header().Set("X-Linked-Etag", `"`+sha256hex(f.data)+`"`)
		w.Header().Set("X-Linked-Size", strconv.Itoa(len(f.data)))
		w.Header().Set("Location", h.srv.URL+"/cdn/"+sha256hex(f.data))
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitOID(f.data)+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
}

// cdn serves LFS content by sha256, as the Hub's storage does after the redirect.
func (h *fakeHub) cdn(w http.ResponseWriter, r *http.Request, oid string) {
	for _, repo := range h.repos {
		for _, f := range repo.files {
			if f.lfs && sha256hex(f.data) == oid {
				w.Header().Set("ETag", `"`+oid+`"`)
				http.ServeContent(w, r, oid, time.Time{}, bytes.NewReader(f.data))
				return
			}
		}
	}
	http.NotFound(w, r)
}

// gitOID is the git blob sha1 of data, as the tree's oid.
func gitOID(data []byte) string {
	s := sha1.New()
	fmt.Fprintf(s, "blob %d\x00", len(data))
	s.Write(data)
	return hex.EncodeToString(s.Sum(nil))
}

// sha256hex is the LFS oid of data.
func sha256hex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// safetensorsFile builds a small valid safetensors file with metadata.
func safetensorsFile(tb testing.TB, meta map[string]string) []byte {
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

// ggufFile builds a GGUF file whose metadata is larger than one range read.
func ggufFile(tb testing.TB, vocab int) []byte {
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

// card writes a README with YAML front matter.
func card(front, body string) fakeFile {
	return fakeFile{data: []byte("---\n" + front + "---\n\n" + body + "\n")}
}

// text is a small non-LFS file.
func text(s string) fakeFile { return fakeFile{data: []byte(s)} }

// commit makes a stable fake commit sha from a name.
func commit(name string) string {
	s := sha1.Sum([]byte(name))
	return hex.EncodeToString(s[:])
}

// fixtures is the fake Hub's content: a fine-tune of a gated base trained on two datasets, a
// merge of two parents sharing a root, a cycle, a GGUF repository, a repository with many
// files, a private and a disabled one, and bert modelled on the real sample.
func fixtures(tb testing.TB) []*fakeRepo {
	tb.Helper()
	weights := safetensorsFile(tb, map[string]string{"format": "pt"})
	model := func(id string, info map[string]any, files map[string]fakeFile) *fakeRepo {
		if info == nil {
			info = map[string]any{}
		}
		if _, ok := info["library_name"]; !ok {
			info["library_name"] = "transformers"
		}
		return &fakeRepo{kind: KindModel, id: id, sha: commit(id), info: info, files: files}
	}
	llama := model("meta-llama/Llama-3.2-1B", map[string]any{
		"cardData":     map[string]any{"license": "llama3.2", "extra_gated_prompt": "You agree to the Llama 3.2 Community License."},
		"config":       map[string]any{"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama"},
		"pipeline_tag": "text-generation", "tags": []string{"transformers", "safetensors", "llama", "license:llama3.2"},
		"safetensors": map[string]any{"parameters": map[string]int64{"BF16": 1235814400}, "total": 1235814400},
	}, map[string]fakeFile{
		".gitattributes":       text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"),
		"README.md":            card("license: llama3.2\nextra_gated_prompt: You agree.\n", "# Llama 3.2"),
		"LICENSE.txt":          text("LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\n"),
		"USE_POLICY.md":        text("# Llama 3.2 Acceptable Use Policy\n"),
		"config.json":          text(`{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}`),
		"model.safetensors":    {data: weights, lfs: true},
		"original/params.json": text(`{"dim": 2048}`),
	})
	llama.gated = "manual"
	tiny := model("acme/tiny-chat", map[string]any{
		"cardData": map[string]any{"license": "llama3.2", "base_model": "meta-llama/Llama-3.2-1B",
			"base_model_relation": "finetune", "datasets": []string{"acme/instruct-mix", "HuggingFaceFW/fineweb-edu"}},
		"config":       map[string]any{"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama"},
		"pipeline_tag": "text-generation",
		"tags":         []string{"transformers", "safetensors", "llama", "dataset:acme/instruct-mix", "base_model:meta-llama/Llama-3.2-1B", "license:llama3.2"},
		"safetensors":  map[string]any{"parameters": map[string]int64{"BF16": 128, "F32": 128}, "total": 256},
		"baseModels":   map[string]any{"relation": "finetune", "models": []map[string]any{{"id": "meta-llama/Llama-3.2-1B"}}},
		"gguf":         nil,
	}, map[string]fakeFile{
		".gitattributes":         text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"),
		"README.md":              card("license: llama3.2\nbase_model: meta-llama/Llama-3.2-1B\ndatasets:\n- acme/instruct-mix\n- HuggingFaceFW/fineweb-edu\n", "# Tiny chat\n\nA fine-tune."),
		"LICENSE":                text("LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\n"),
		"config.json":            text(`{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}`),
		"generation_config.json": text(`{"temperature": 0.6}`),
		"tokenizer_config.json":  text(`{"chat_template": "{{ messages }}"}`),
		"tokenizer.json":         text(`{"model": {"vocab": {}}}`),
		"docs/TRAINING.md":       text("# Training\n\nTwo epochs.\n"),
		"train.py":               text("print('train')\n"),
		"model.safetensors":      {data: weights, lfs: true},
	})
	dataset := func(id, license string) *fakeRepo {
		return &fakeRepo{kind: KindDataset, id: id, sha: commit(id), info: map[string]any{
			"cardData": map[string]any{"license": license, "language": []string{"en"}},
			"tags":     []string{"license:" + license, "language:en"},
		}, files: map[string]fakeFile{
			"README.md":              card("license: "+license+"\n", "# "+id),
			"data/train.jsonl":       {data: bytes.Repeat([]byte(`{"text":"hi"}`+"\n"), 100), lfs: true},
			"data/notes.txt":         text("not read: a data file"),
			"scripts/build.py":       text("print('build')\n"),
			"LICENSE":                text(license + "\n"),
			".gitattributes":         text("*.jsonl filter=lfs\n"),
			"data/README_sources.md": text("# Sources\n"),
		}}
	}
	simple := func(id string, bases ...string) *fakeRepo {
		cd := map[string]any{"license": "apache-2.0"}
		switch len(bases) {
		case 0:
		case 1:
			cd["base_model"] = bases[0]
		default:
			cd["base_model"] = bases
			cd["base_model_relation"] = "merge"
		}
		return model(id, map[string]any{"cardData": cd}, map[string]fakeFile{
			"README.md":         card("license: apache-2.0\n", "# "+id),
			"model.safetensors": {data: weights, lfs: true},
		})
	}
	many := map[string]fakeFile{"README.md": text("# many\n")}
	for i := range 24 {
		many[fmt.Sprintf("shards/part-%02d.txt", i)] = text(strconv.Itoa(i))
	}
	bert := bertFixture(tb)
	secret := simple("acme/secret")
	secret.private = true
	gone := simple("acme/disabled")
	gone.disabled = true
	return []*fakeRepo{
		llama, tiny, dataset("acme/instruct-mix", "cc-by-4.0"), dataset("HuggingFaceFW/fineweb-edu", "odc-by"),
		simple("acme/root"), simple("acme/parent-a", "acme/root"), simple("acme/parent-b", "acme/root"),
		simple("acme/merged", "acme/parent-a", "acme/parent-b"),
		simple("loop/a", "loop/b"), simple("loop/b", "loop/a"), simple("loop/self", "loop/self"),
		simple("acme/orphan", "acme/gone-parent", "not a valid id"),
		model("acme/tiny-gguf", map[string]any{"cardData": map[string]any{"license": "apache-2.0"},
			"gguf": map[string]any{"total": 16, "architecture": "llama", "context_length": 2048}},
			map[string]fakeFile{"README.md": text("# gguf\n"), "tiny.Q8_0.gguf": {data: ggufFile(tb, 20000), lfs: true}}),
		model("acme/many-files", nil, many),
		secret, gone, bert,
	}
}

// bertFixture serves the real bert-base-uncased info sample, with a few of its files.
func bertFixture(tb testing.TB) *fakeRepo {
	tb.Helper()
	raw, err := os.ReadFile("testdata/hf_api_model_bert-base-uncased.json")
	if err != nil {
		tb.Fatal(err)
	}
	var info map[string]any
	if err := json.Unmarshal(raw, &info); err != nil {
		tb.Fatal(err)
	}
	r := &fakeRepo{kind: KindModel, id: info["id"].(string), sha: info["sha"].(string), info: map[string]any{}, files: map[string]fakeFile{
		"README.md":   card("language: en\nlicense: apache-2.0\ndatasets:\n- bookcorpus\n- wikipedia\n", "# BERT base model (uncased)"),
		"LICENSE":     text("Apache License\nVersion 2.0, January 2004\n"),
		"config.json": text(`{"architectures": ["BertForMaskedLM"], "model_type": "bert"}`),
		"vocab.txt":   text("[PAD]\n[UNK]\n"),
	}}
	for k, v := range info {
		if k != "id" && k != "sha" && k != "siblings" && k != "_id" {
			r.info[k] = v
		}
	}
	return r
}
