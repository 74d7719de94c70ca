package hub

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/ratelimit"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

func TestParseTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Target
		wantErr string
	}{
		{"hf:acme/tiny", Target{KindModel, "acme/tiny", ""}, ""},
		{"hf:acme/tiny@v1.0", Target{KindModel, "acme/tiny", "v1.0"}, ""},
		{"hf:acme/tiny@refs/pr/3", Target{KindModel, "acme/tiny", "refs/pr/3"}, ""},
		{"hf:gpt2", Target{KindModel, "gpt2", ""}, ""},
		{"hf:models/acme/tiny", Target{KindModel, "acme/tiny", ""}, ""},
		{"hf:datasets/acme/mix", Target{KindDataset, "acme/mix", ""}, ""},
		{"hf:datasets/acme/mix@0123abc", Target{KindDataset, "acme/mix", "0123abc"}, ""},
		{"https://huggingface.co/meta-llama/Llama-3.2-1B", Target{KindModel, "meta-llama/Llama-3.2-1B", ""}, ""},
		{"https://huggingface.co/meta-llama/Llama-3.2-1B/", Target{KindModel, "meta-llama/Llama-3.2-1B", ""}, ""},
		{"https://huggingface.co/acme/tiny/tree/dev", Target{KindModel, "acme/tiny", "dev"}, ""},
		{"https://huggingface.co/acme/tiny/tree/refs%2Fpr%2F1", Target{KindModel, "acme/tiny", "refs/pr/1"}, ""},
		{"https://huggingface.co/acme/tiny/blob/main/README.md", Target{KindModel, "acme/tiny", "main"}, ""},
		{"https://huggingface.co/datasets/acme/mix/tree/v2", Target{KindDataset, "acme/mix", "v2"}, ""},
		{"https://hf.co/acme/tiny", Target{KindModel, "acme/tiny", ""}, ""},
		{"hf:", Target{}, "not ORG/NAME"},
		{"hf:a/b/c", Target{}, "not ORG/NAME"},
		{"hf:acme/tiny@", Target{}, "empty revision"},
		{"hf:acme/ti ny", Target{}, "character"},
		{"hf:acme/..", Target{}, "not ORG/NAME"},
		{"hf:-acme/tiny", Target{}, "not ORG/NAME"},
		{"https://huggingface.co/", Target{}, "not ORG/NAME"},
		{"https://huggingface.co/acme/tiny/tree", Target{}, "no revision"},
		{"https://huggingface.co/a/b/c", Target{}, "no ORG/NAME"},
		{"./acme/tiny", Target{}, "not a Hub target"},
		{"hf:acme/tiny@main/../../../../etc/hostname", Target{}, "not a branch, tag or commit"},
		{"hf:acme/tiny@/etc/hostname", Target{}, "not a branch, tag or commit"},
		{"hf:acme/tiny@main\\..\\x", Target{}, "not a branch, tag or commit"},
		{"hf:acme/tiny@ma\x00in", Target{}, "not a branch, tag or commit"},
		{"hf:acme/tiny@refs/\u2025/x", Target{}, "not a branch, tag or commit"},
		{"https://huggingface.co/acme/tiny/tree/..%2F..%2Fetc", Target{}, "not a branch, tag or commit"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTarget(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseTarget(%q) = %+v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseTarget(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			back, err := ParseTarget(got.String())
			if err != nil || back != got {
				t.Errorf("ParseTarget(%q.String() = %q) = %+v, %v", tt.in, got.String(), back, err)
			}
		})
	}
}

// TestRealSamples checks that the real API responses in testdata decode into what glassbox keeps.
func TestRealSamples(t *testing.T) {
	t.Parallel()
	read := func(name string, v any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var bert repoInfo
	read("hf_api_model_bert-base-uncased.json", &bert)
	h := bert.hubInfo(KindModel)
	if h.ID != "google-bert/bert-base-uncased" || h.SHA != "86b5e0934494bd15c9632b12f734a8a67f723594" ||
		h.PipelineTag != "fill-mask" || h.LibraryName != "transformers" || h.Gated != "" || h.ParametersTotal != 110106428 ||
		h.Parameters["F32"] != 110106428 || len(bert.Siblings) != 16 {
		t.Errorf("bert info = %+v (%d siblings)", h, len(bert.Siblings))
	}
	if got, want := string(h.CardData), `{"datasets":["bookcorpus","wikipedia"],"language":"en","license":"apache-2.0","tags":["exbert"]}`; got != want {
		t.Errorf("bert cardData = %s, want %s", got, want)
	}
	if got := datasetRefs(h); !slices.Equal(got, []string{"bookcorpus", "wikipedia"}) {
		t.Errorf("bert datasets = %q", got)
	}

	var whisper repoInfo
	read("hf_api_model_whisper.cpp_blobs_expand_sha_siblings.json", &whisper)
	files := filesFromSiblings(whisper.Siblings)
	want := release.File{Path: "ggml-tiny.bin", Size: 77691713,
		LFS:      &release.LFS{OID: "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21", Size: 77691713},
		Expected: &release.Expected{SHA256: "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21", From: "hub lfs.sha256"}}
	if diff := cmp.Diff(want, files[3]); diff != "" || files[0].Size != 3196 || files[0].LFS != nil {
		t.Errorf("whisper siblings (-want +got):\n%s\nREADME: %+v", diff, files[0])
	}

	var entry treeEntry
	read("hf_api_tree_entry_whisper.cpp.json", &entry)
	want.Expected.From = "hub lfs.oid"
	if diff := cmp.Diff([]release.File{want}, filesFromTree([]treeEntry{entry})); diff != "" {
		t.Errorf("tree entry (-want +got):\n%s", diff)
	}
}

func TestFetchModel(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sha := commit("acme/tiny-chat")
	if rel.Revision != sha || rel.Name != "acme/tiny-chat" || rel.Target != "hf:acme/tiny-chat" || !rel.Complete || rel.Schema != release.Schema {
		t.Errorf("release = %q %q %q complete=%v", rel.Target, rel.Name, rel.Revision, rel.Complete)
	}
	var paths []string
	for _, f := range rel.Files {
		paths = append(paths, f.Path)
	}
	wantPaths := []string{".gitattributes", "LICENSE", "README.md", "config.json", "docs/TRAINING.md", "generation_config.json",
		"model.safetensors", "tokenizer.json", "tokenizer_config.json", "train.py"}
	if diff := cmp.Diff(wantPaths, paths); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	var texts []string
	for _, x := range rel.Texts {
		texts = append(texts, x.Path)
	}
	wantTexts := []string{"LICENSE", "README.md", "config.json", "docs/TRAINING.md", "generation_config.json", "tokenizer_config.json", "train.py"}
	if diff := cmp.Diff(wantTexts, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	readme, _ := rel.Text("README.md")
	if !strings.Contains(readme.Content, "base_model: meta-llama/Llama-3.2-1B") || readme.Truncated {
		t.Errorf("README = %+v", readme)
	}
	f, _ := rel.File("README.md")
	if f.SHA256 != sha256hex([]byte(readme.Content)) {
		t.Errorf("README sha256 = %q", f.SHA256)
	}
	w, _ := rel.File("model.safetensors")
	weights := safetensorsFile(t, map[string]string{"format": "pt"})
	if w.LFS == nil || w.LFS.OID != sha256hex(weights) || w.Size != int64(len(weights)) ||
		w.Expected == nil || *w.Expected != (release.Expected{SHA256: sha256hex(weights), From: "hub lfs.oid"}) || w.Gated {
		t.Errorf("model.safetensors = %+v", w)
	}
	var facts artifact.Facts
	if err := json.Unmarshal(w.Header, &facts); err != nil {
		t.Fatalf("header %s: %v", w.Header, err)
	}
	if facts.Format != artifact.FormatSafetensors || facts.Parameters != 256 || facts.Safety != artifact.SafetySafe || facts.Error != "" {
		t.Errorf("header facts = %+v", facts)
	}
	hub := rel.Hub
	if hub.Kind != "model" || hub.SHA != sha || hub.PipelineTag != "text-generation" || hub.LibraryName != "transformers" ||
		hub.ParametersTotal != 256 || hub.BaseModelRelation != "finetune" || !slices.Equal(hub.BaseModels, []string{"meta-llama/Llama-3.2-1B"}) ||
		string(hub.Config) != `{"architectures":["LlamaForCausalLM"],"model_type":"llama"}` || hub.GGUF != nil {
		t.Errorf("hub = %+v", hub)
	}
	// Everything after the info is pinned to the commit, never to a branch name.
	for _, r := range h.Requests() {
		if strings.Contains(r, "/resolve/") && !strings.Contains(r, "/resolve/"+sha+"/") || strings.Contains(r, "/tree/") && !strings.Contains(r, "/tree/"+sha) {
			t.Errorf("request not pinned to %s: %s", sha, r)
		}
	}
	if slices.ContainsFunc(h.Requests(), func(r string) bool { return strings.Contains(r, "tokenizer.json") }) {
		t.Errorf("tokenizer.json was downloaded")
	}
	if h.Agents()[0] != "glassbox/test" || h.Auths()[0] != "" {
		t.Errorf("User-Agent %q, Authorization %q", h.Agents()[0], h.Auths()[0])
	}
	// info, tree, 7 texts, and the weights header: one redirect and one range read.
	if got := c.Requests(); got != 11 || int(got) != len(h.Requests()) {
		t.Errorf("Requests() = %d (hub saw %d):\n%s", got, len(h.Requests()), strings.Join(h.Requests(), "\n"))
	}
}

func TestFetchRevisionAndBert(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "hf_good")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "google-bert/bert-base-uncased", Revision: "86b5e0934494bd15c9632b12f734a8a67f723594"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Revision != "86b5e0934494bd15c9632b12f734a8a67f723594" || rel.Hub.PipelineTag != "fill-mask" || rel.Hub.ParametersTotal != 110106428 {
		t.Errorf("bert = %+v", rel.Hub)
	}
	if !strings.HasPrefix(h.Requests()[0], "GET /api/models/google-bert/bert-base-uncased/revision/86b5e09") {
		t.Errorf("first request %q", h.Requests()[0])
	}
	if h.Auths()[0] != "Bearer hf_good" {
		t.Errorf("Authorization = %q", h.Auths()[0])
	}
	if _, ok := rel.Text("vocab.txt"); ok {
		t.Errorf("vocab.txt read as text")
	}
}

func TestFetchGGUFHeaderByRanges(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-gguf"}, Options{HeaderPrefix: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := rel.File("tiny.Q8_0.gguf")
	var facts artifact.Facts
	if err := json.Unmarshal(f.Header, &facts); err != nil {
		t.Fatal(err)
	}
	if facts.Format != artifact.FormatGGUF || facts.Error != "" || facts.Parameters != 16 || facts.Size != f.Size {
		t.Errorf("facts = %+v", facts)
	}
	var ranges []string
	for _, r := range h.Requests() {
		if strings.HasPrefix(r, "GET /cdn/") {
			ranges = append(ranges, r[strings.LastIndex(r, " ")+1:])
		}
	}
	// 16 KiB, then doubling chunks: the ~300 KiB header takes a handful of reads, not hundreds.
	if len(ranges) < 3 || len(ranges) > 6 || ranges[0] != "bytes=0-16383" {
		t.Errorf("range reads = %q", ranges)
	}
	if string(rel.Hub.GGUF) != `{"architecture":"llama","context_length":2048,"total":16}` {
		t.Errorf("gguf = %s", rel.Hub.GGUF)
	}
}

func TestRangeReader(t *testing.T) {
	t.Parallel()
	data := make([]byte, 100_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	repo := &fakeRepo{Kind: hubtest.KindModel, ID: "acme/blob", SHA: commit("blob"), Files: map[string]fakeFile{"w.bin": {Data: data, LFS: true}, "empty.bin": {}}}
	h := newFakeHub(t, repo)
	c, _ := clientFor(h, "")
	ctx := context.Background()
	u := c.resolveURL(Target{Kind: KindModel, Repo: "acme/blob"}, repo.SHA, "w.bin")
	r, err := newRangeReader(ctx, c, "w.bin", u, 1000, 50_000, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.size != int64(len(data)) {
		t.Fatalf("size = %d", r.size)
	}
	tests := []struct {
		off, n   int64
		wantReqs int64 // requests after the read, counting each redirect
		wantErr  string
	}{
		{0, 8, 2, ""},                // within the prefix: no request
		{500, 500, 2, ""},            // still the prefix
		{900, 400, 4, ""},            // extends the prefix by a 2000-byte chunk
		{2500, 400, 4, ""},           // served by the extension
		{90_000, 100, 6, ""},         // a new 4000-byte segment
		{93_000, 900, 6, ""},         // cached
		{20_000, 45_000, 6, "limit"}, // over the byte budget: no request
		{100_000, 1, 6, "EOF"},       // past the end: no request
		{99_995, 10, 8, "EOF"},       // short at the end
	}
	for _, tt := range tests {
		p := make([]byte, tt.n)
		n, err := r.ReadAt(p, tt.off)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ReadAt(%d, %d) = %d, %v; want error %q", tt.off, tt.n, n, err, tt.wantErr)
			}
		} else if err != nil || int64(n) != tt.n || string(p) != string(data[tt.off:tt.off+tt.n]) {
			t.Errorf("ReadAt(%d, %d) = %d, %v", tt.off, tt.n, n, err)
		}
		if got := c.Requests(); got != tt.wantReqs {
			t.Errorf("after ReadAt(%d, %d): %d requests, want %d", tt.off, tt.n, got, tt.wantReqs)
		}
	}
	if n, err := r.ReadAt(make([]byte, 10), 99_995); n != 5 || c.Requests() != 8 {
		t.Errorf("short read = %d, %v after %d requests", n, err, c.Requests())
	}
	e, err := newRangeReader(ctx, c, "empty.bin", c.resolveURL(Target{Kind: KindModel, Repo: "acme/blob"}, repo.SHA, "empty.bin"), 1000, 50_000, false)
	if err != nil || e.size != 0 {
		t.Errorf("empty file: %+v, %v", e, err)
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.PageSize = 10
	c, _ := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/many-files"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Files) != 25 || !rel.Complete {
		t.Errorf("%d files, complete %v", len(rel.Files), rel.Complete)
	}
	var pages int
	for _, r := range h.Requests() {
		if strings.Contains(r, "/tree/") {
			pages++
		}
	}
	if pages != 3 { // 25 files and 1 directory, 10 a page
		t.Errorf("%d tree pages:\n%s", pages, strings.Join(h.Requests(), "\n"))
	}

	capped, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/many-files"}, Options{MaxFiles: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(capped.Files) != 5 || capped.Complete || !slices.Contains(capped.Notes, "inventory capped at 5 files") {
		t.Errorf("capped: %d files, complete %v, notes %q", len(capped.Files), capped.Complete, capped.Notes)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	info := "/api/models/acme/tiny-chat"
	tests := []struct {
		name      string
		faults    []fault
		wantSleep []time.Duration
		wantErr   string
	}{
		{"429 with RateLimit r=0 waits t+1 s", []fault{{Status: 429, Header: map[string]string{"RateLimit": `"api";r=0;t=3`, "RateLimit-Policy": `"fixed window";"api";q=500;w=300`}}}, []time.Duration{4 * time.Second}, ""},
		{"429 with RateLimit r>0 then Retry-After", []fault{{Status: 429, Header: map[string]string{"RateLimit": `"api";r=5;t=30`, "Retry-After": "7"}}}, []time.Duration{7 * time.Second}, ""},
		{"429 with Retry-After only", []fault{{Status: 429, Header: map[string]string{"Retry-After": "2"}}}, []time.Duration{2 * time.Second}, ""},
		{"503 twice backs off", []fault{{Status: 503}, {Status: 503}}, []time.Duration{500 * time.Millisecond, time.Second}, ""},
		{"408, 500, 502, 504", []fault{{Status: 408}, {Status: 500}, {Status: 502}, {Status: 504}}, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}, ""},
		{"a reset past WaitLimit fails at once", []fault{{Status: 429, Header: map[string]string{"RateLimit": `"api";r=0;t=100000`}}}, nil, "rate-limited by the Hub until 2026-03-05 16:33 UTC (set --wait to wait)"},
		{"a Retry-After past WaitLimit fails at once", []fault{{Status: 429, Header: map[string]string{"Retry-After": "3600"}}}, nil, "rate-limited by the Hub until 13:46 UTC (set --wait to wait)"},
		{"gives up after MaxRetries", slices.Repeat([]fault{{Status: 503}}, 6), []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}, "HTTP 503"},
		{"400 is not retried", []fault{{Status: 400, Header: map[string]string{"X-Error-Message": "bad expand"}}}, nil, "HTTP 400: bad expand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newFakeHub(t, fixtures(t)...)
			h.Fail(info, tt.faults...)
			c, slept := clientFor(h, "")
			c.Now = func() time.Time { return time.Date(2026, 3, 4, 12, 45, 59, 0, time.UTC) }
			rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, source.ErrUnreadable) {
					t.Fatalf("Fetch = %v; want error containing %q", err, tt.wantErr)
				}
			} else if err != nil || rel.Revision != commit("acme/tiny-chat") {
				t.Fatalf("Fetch = %v", err)
			}
			if diff := cmp.Diff(tt.wantSleep, *slept); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetryOnFileRequests(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	sha := commit("acme/tiny-chat")
	h.Fail("/api/models/acme/tiny-chat/tree/"+sha, fault{Status: 503})
	h.Fail("/acme/tiny-chat/resolve/"+sha+"/README.md", fault{Status: 429, Header: map[string]string{"RateLimit": `"resolvers";r=0;t=1`}})
	c, slept := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rel.Text("README.md"); !ok || len(rel.Files) != 10 || !rel.Complete {
		t.Errorf("after retries: %d files, complete %v, notes %q", len(rel.Files), rel.Complete, rel.Notes)
	}
	slices.Sort(*slept)
	if diff := cmp.Diff([]time.Duration{500 * time.Millisecond, 2 * time.Second}, *slept); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestSleepHonoursContext(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.Fail("/api/models/acme/tiny-chat", fault{Status: 429, Header: map[string]string{"RateLimit": `"api";r=0;t=300`}})
	c := NewClient("test")
	c.Endpoint, c.WaitLimit = h.URL, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	c.Inform = func(string) { cancel() } // the wait is announced, then the user interrupts
	start := time.Now()
	_, err := Fetch(ctx, c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Errorf("Fetch = %v after %v", err, time.Since(start))
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		target Target
		token  string
		is     error
		msg    string
	}{
		{"missing anonymous", Target{KindModel, "acme/nope", ""}, "", ErrRepoNotFound, "hf:acme/nope: repository not found, or private (set HF_TOKEN"},
		{"missing with token", Target{KindModel, "acme/nope", ""}, "hf_other", ErrRepoNotFound, "hf:acme/nope: repository not found"},
		{"private", Target{KindModel, "acme/secret", ""}, "hf_other", ErrRepoNotFound, "hf:acme/secret: repository not found"},
		{"bad revision", Target{KindModel, "acme/tiny-chat", "v9"}, "", ErrRevisionNotFound, "hf:acme/tiny-chat@v9: revision not found"},
		{"disabled", Target{KindModel, "acme/disabled", ""}, "", ErrDisabled, "hf:acme/disabled: repository disabled"},
		{"dataset missing", Target{KindDataset, "acme/nope", ""}, "", ErrRepoNotFound, "hf:datasets/acme/nope: repository not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newFakeHub(t, fixtures(t)...)
			c, _ := clientFor(h, tt.token)
			rel, err := Fetch(context.Background(), c, tt.target, Options{})
			if rel != nil || !errors.Is(err, source.ErrUnreadable) || !errors.Is(err, tt.is) {
				t.Fatalf("Fetch = %v, %v; want ErrUnreadable and %v", rel, err, tt.is)
			}
			if !strings.HasPrefix(err.Error(), tt.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q; want one line starting %q", err, tt.msg)
			}
			if c.Requests() != 1 {
				t.Errorf("%d requests; errors are not retried", c.Requests())
			}
		})
	}
}

func TestGated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, token string
		wantGated   []string
	}{
		{"anonymous", "", []string{"LICENSE.txt", "USE_POLICY.md", "config.json", "model.safetensors", "original/params.json"}},
		{"terms not accepted", "hf_other", []string{"LICENSE.txt", "USE_POLICY.md", "config.json", "model.safetensors", "original/params.json"}},
		{"terms accepted", "hf_good", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newFakeHub(t, fixtures(t)...)
			c, _ := clientFor(h, tt.token)
			rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "meta-llama/Llama-3.2-1B"}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var gated []string
			for _, f := range rel.Files {
				if f.Gated {
					gated = append(gated, f.Path)
				}
			}
			if diff := cmp.Diff(tt.wantGated, gated); diff != "" {
				t.Errorf("gated files (-want +got):\n%s", diff)
			}
			if rel.Hub.Gated != "manual" || !strings.Contains(string(rel.Hub.CardData), "extra_gated_prompt") {
				t.Errorf("hub = %+v", rel.Hub)
			}
			if _, ok := rel.Text("README.md"); !ok {
				t.Errorf("the card of a gated repository is readable")
			}
			w, _ := rel.File("model.safetensors")
			if w.LFS == nil || w.Expected == nil {
				t.Errorf("gated weights keep their LFS identity: %+v", w)
			}
			notes := strings.Join(rel.Notes, "\n")
			if tt.wantGated != nil {
				if rel.Complete || !strings.Contains(notes, "5 files need accepted terms") || !strings.Contains(notes, "HF_TOKEN") ||
					!strings.Contains(notes, h.URL+"/meta-llama/Llama-3.2-1B") || w.Header != nil {
					t.Errorf("complete %v, notes:\n%s", rel.Complete, notes)
				}
			} else if !rel.Complete || w.Header == nil || !strings.Contains(notes, "token in use has access") {
				t.Errorf("with access: complete %v, header %s, notes %q", rel.Complete, w.Header, rel.Notes)
			}
		})
	}
}

func TestFetchDataset(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindDataset, Repo: "acme/instruct-mix"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, x := range rel.Texts {
		texts = append(texts, x.Path)
	}
	if diff := cmp.Diff([]string{"LICENSE", "README.md", "data/README_sources.md", "scripts/build.py"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if rel.Hub.Kind != "dataset" || rel.Target != "hf:datasets/acme/instruct-mix" || string(rel.Hub.CardData) != `{"language":["en"],"license":"cc-by-4.0"}` {
		t.Errorf("dataset = %q %+v", rel.Target, rel.Hub)
	}
	f, _ := rel.File("data/train.jsonl")
	if f.LFS == nil || f.Header != nil {
		t.Errorf("data file = %+v", f)
	}
	for _, r := range h.Requests() {
		if strings.Contains(r, "/resolve/") && !strings.HasPrefix(r, "GET /datasets/acme/instruct-mix/resolve/") {
			t.Errorf("dataset file read at %s", r)
		}
	}
}

// names lists the names of releases, with their own parents in brackets.
func names(rs []*release.Release) string {
	var out []string
	for _, r := range rs {
		s := r.Name
		if len(r.Files) == 0 {
			s += "(stub)"
		}
		if len(r.Parents) > 0 {
			s += "[" + names(r.Parents) + "]"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestLineage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, repo   string
		depth        int
		wantParents  string
		wantDatasets string
		wantNote     string // in the first parent's notes
	}{
		{"fine-tune of a gated base", "acme/tiny-chat", 3, "meta-llama/Llama-3.2-1B", "acme/instruct-mix HuggingFaceFW/fineweb-edu", "need accepted terms"},
		{"merge of two parents sharing a root", "acme/merged", 3, "acme/parent-a[acme/root] acme/parent-b[acme/root]", "", ""},
		{"depth 1 stops at the parents", "acme/merged", 1, "acme/parent-a acme/parent-b", "", "depth limit reached"},
		{"cycle", "loop/a", 5, "loop/b[loop/a(stub)]", "", ""},
		{"self reference", "loop/self", 5, "loop/self(stub)", "", "cycle: loop/self → loop/self"},
		{"unreadable and invalid parents", "acme/orphan", 3, "acme/gone-parent(stub) not a valid id(stub)", "", "base model could not be read: hf:acme/gone-parent: repository not found"},
		{"depth 0 reads nothing", "acme/tiny-chat", 0, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newFakeHub(t, fixtures(t)...)
			c, _ := clientFor(h, "")
			rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: tt.repo}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := FetchLineage(context.Background(), c, rel, tt.depth, Options{}); err != nil {
				t.Fatal(err)
			}
			if got := names(rel.Parents); got != tt.wantParents {
				t.Errorf("parents = %q, want %q", got, tt.wantParents)
			}
			if got := names(rel.Datasets); got != tt.wantDatasets {
				t.Errorf("datasets = %q, want %q", got, tt.wantDatasets)
			}
			if tt.wantNote != "" && !strings.Contains(strings.Join(rel.Parents[0].Notes, "\n"), tt.wantNote) {
				t.Errorf("first parent's notes %q; want %q", rel.Parents[0].Notes, tt.wantNote)
			}
			// Each repository is fetched once however often it appears.
			seen := map[string]int{}
			for _, r := range h.Requests() {
				if strings.HasPrefix(r, "GET /api/") && !strings.Contains(r, "/tree/") {
					seen[strings.SplitN(r, "?", 2)[0]]++
				}
			}
			for k, n := range seen {
				if n > 1 {
					t.Errorf("%s fetched %d times", k, n)
				}
			}
			// The lineage is part of the snapshot and serialises deterministically.
			a, err := rel.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := release.Unmarshal(a)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := back.Marshal()
			if string(a) != string(b) {
				t.Errorf("snapshot does not round-trip")
			}
		})
	}
}

func TestLineageDatasets(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	rel, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/tiny-chat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := FetchLineage(context.Background(), c, rel, 2, Options{}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"cc-by-4.0", "odc-by"} {
		d := rel.Datasets[i]
		readme, ok := d.Text("README.md")
		if !ok || !strings.Contains(readme.Content, "license: "+want) || d.Hub.Kind != "dataset" || d.Revision == "" {
			t.Errorf("dataset %d = %s: %+v", i, d.Name, d.Hub)
		}
	}
	base := rel.Parents[0]
	if base.Hub.Gated != "manual" || base.Complete || base.Revision != commit("meta-llama/Llama-3.2-1B") {
		t.Errorf("base = %+v", base.Hub)
	}
}

func TestCardLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		card, key string
		want      []string
	}{
		{`{"base_model": "a/b"}`, "base_model", []string{"a/b"}},
		{`{"base_model": ["a/b", " c/d ", "a/b", "A/B", 3, null, ""]}`, "base_model", []string{"a/b", "c/d"}},
		{`{"base_model": {"x": 1}}`, "base_model", nil},
		{`{"datasets": []}`, "datasets", nil},
		{`not json`, "datasets", nil},
		{``, "datasets", nil},
	}
	for _, tt := range tests {
		if got := cardList(json.RawMessage(tt.card), tt.key); !slices.Equal(got, tt.want) {
			t.Errorf("cardList(%s, %s) = %q, want %q", tt.card, tt.key, got, tt.want)
		}
	}
	rel, ids := parseBaseModels(json.RawMessage(`["x/y", {"id": "z/w"}]`))
	if rel != "" || !slices.Equal(ids, []string{"x/y", "z/w"}) {
		t.Errorf("parseBaseModels list = %q %q", rel, ids)
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		h      string
		r, t   int
		ok     bool
		link   string
		wantNx string
	}{
		{`"api";r=0;t=55`, 0, 55, true, `<https://hf.co/api/models?cursor=abc>; rel="next"`, "https://hf.co/api/models?cursor=abc"},
		{`"resolvers";r=12;t=3`, 12, 3, true, `</api/x?cursor=2>; rel="next", </api/x?cursor=0>; rel="first"`, "https://base.test/api/x?cursor=2"},
		{`"api"`, -1, -1, false, `<https://x/prev>; rel="prev"`, ""},
		{``, 0, 0, false, ``, ""},
	}
	base, _ := url.Parse("https://base.test/api/models")
	for _, tt := range tests {
		r, tr, ok := ratelimit.ParseHeader(tt.h)
		if r != tt.r || tr != tt.t || ok != tt.ok {
			t.Errorf("ratelimit.ParseHeader(%q) = %d, %d, %v", tt.h, r, tr, ok)
		}
		if got := nextLink(tt.link, base); got != tt.wantNx {
			t.Errorf("nextLink(%q) = %q, want %q", tt.link, got, tt.wantNx)
		}
	}
}

func TestToken(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte("hf_file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HF_HOME", dir)
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_ENDPOINT", "https://mirror.test/")
	c := NewClient("1.2.3")
	if c.Token != "hf_file" || c.Endpoint != "https://mirror.test" || c.UserAgent != "glassbox/1.2.3" {
		t.Errorf("client = %q %q %q", c.Token, c.Endpoint, c.UserAgent)
	}
	t.Setenv("HF_TOKEN", "hf_env")
	t.Setenv("HF_ENDPOINT", "")
	if c := NewClient("x"); c.Token != "hf_env" || c.Endpoint != DefaultEndpoint {
		t.Errorf("client = %q %q", c.Token, c.Endpoint)
	}
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HOME", filepath.Join(dir, "none"))
	if got := Token(); got != "" {
		t.Errorf("Token() = %q", got)
	}
}

// audit is what the benchmark measures: a model, its lineage and its datasets.
func audit(ctx context.Context, c *Client, repo string) (*release.Release, error) {
	return Audit(ctx, c, Target{Kind: KindModel, Repo: repo}, 3, Options{})
}

// TestAuditMatchesFetchLineage: overlapping the lineage with the file reads changes nothing in
// the snapshot.
func TestAuditMatchesFetchLineage(t *testing.T) {
	t.Parallel()
	for _, repo := range []string{"acme/tiny-chat", "acme/merged", "loop/a", "acme/orphan", "google-bert/bert-base-uncased"} {
		t.Run(repo, func(t *testing.T) {
			t.Parallel()
			h := newFakeHub(t, fixtures(t)...)
			c, _ := clientFor(h, "")
			a, err := audit(context.Background(), c, repo)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: repo}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := FetchLineage(context.Background(), c, b, 3, Options{}); err != nil {
				t.Fatal(err)
			}
			ja, _ := a.Marshal()
			jb, _ := b.Marshal()
			if diff := cmp.Diff(string(jb), string(ja)); diff != "" {
				t.Errorf("Audit differs from Fetch+FetchLineage (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAuditWithLatency: with 50 ms per request the audit still gathers the whole lineage. Its
// wall-time budget (8 round trips) is checked by BenchmarkAudit, not here.
func TestAuditWithLatency(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.Latency = 50 * time.Millisecond
	c, _ := clientFor(h, "hf_good")
	start := time.Now()
	rel, err := audit(context.Background(), c, "acme/tiny-chat")
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Parents) != 1 || len(rel.Datasets) != 2 || len(rel.Parents[0].Files) == 0 {
		t.Fatalf("lineage = %s / %s", names(rel.Parents), names(rel.Datasets))
	}
	t.Logf("audit with 50 ms latency: %d requests in %v", c.Requests(), time.Since(start))
}

// BenchmarkAudit measures a full audit (a fine-tune, its base, two datasets) against the fake
// Hub at 50 ms per request, and fails above the budget of 8 round trips (400 ms) per audit.
func BenchmarkAudit(b *testing.B) {
	h := newFakeHub(b, fixtures(b)...)
	h.Latency = 50 * time.Millisecond
	var reqs int64
	var total time.Duration
	for b.Loop() {
		c, _ := clientFor(h, "hf_good")
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
	b.ReportMetric(float64(total)/float64(b.N)/float64(50*time.Millisecond), "round-trips/op")
	if per := total / time.Duration(b.N); per > 8*50*time.Millisecond {
		b.Errorf("an audit took %v on average, budget %v", per, 8*50*time.Millisecond)
	}
}

// FuzzParseTarget: whatever ParseTarget accepts writes back as a target that parses the same.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"hf:acme/tiny", "hf:acme/tiny@refs/pr/1", "hf:datasets/a/b", "https://huggingface.co/a/b/tree/x", "https://hf.co/datasets/a/b", "hf:a/b/c", "hf:@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTarget(s)
		if err != nil {
			return
		}
		back, err := ParseTarget(got.String())
		if err != nil || back != got {
			t.Errorf("ParseTarget(%q) = %+v; its String %q parses as %+v, %v", s, got, got.String(), back, err)
		}
	})
}
