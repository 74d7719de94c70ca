package hub

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// sharedLicence is one LICENSE blob two models ship.
const sharedLicence = "MIT License\n\nCopyright (c) 2025 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n"

// twins are two models sharing their LICENSE blob, with a listing safetensors summary.
func twins(t testing.TB) []*fakeRepo {
	weights := safetensorsFile(t, map[string]string{"format": "pt"})
	twin := func(id string) *fakeRepo {
		return &fakeRepo{Kind: hubtest.KindModel, ID: id, SHA: commit(id), Info: map[string]any{
			"cardData": map[string]any{"license": "mit"}, "library_name": "transformers",
			"safetensors": map[string]any{"parameters": map[string]int64{"F32": 128, "BF16": 128}, "total": 256},
		}, Files: map[string]fakeFile{
			"README.md":         hubtest.Card("license: mit\n", "# "+id+"\n\nTraining code: train.py."),
			"LICENSE":           text(sharedLicence),
			"config.json":       text(`{"model_type": "llama"}`),
			"train.py":          text("print('train')\n"),
			"model.safetensors": {Data: weights, LFS: true},
		}}
	}
	return []*fakeRepo{twin("acme/twin-a"), twin("acme/twin-b")}
}

// listed returns the metadata releases of q's listing.
func listed(t *testing.T, c *Client, q ListQuery) []*release.Release {
	t.Helper()
	var out []*release.Release
	err := c.ListAll(context.Background(), q, func(p *ListPage) error {
		for _, e := range p.Entries {
			rel, err := MetadataRelease(e)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeepenSharesBlobs(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, twins(t)...)
	c, _ := clientFor(h, "")
	rels := listed(t, c, ListQuery{})
	if len(rels) != 2 {
		t.Fatalf("%d releases listed", len(rels))
	}
	blobs := &MemoryBlobs{}
	want := []DeepStats{{Requests: 3, BlobMisses: 2}, {Requests: 2, BlobHits: 1, BlobMisses: 1}}
	for i, rel := range rels {
		before := len(h.Requests())
		st, err := Deepen(context.Background(), c, rel, blobs, Options{})
		if err != nil || st != want[i] {
			t.Errorf("%s: %+v, %v; want %+v", rel.Name, st, err, want[i])
		}
		if n := len(h.Requests()) - before; n != st.Requests {
			t.Errorf("%s: the fake saw %d requests, Deepen counted %d", rel.Name, n, st.Requests)
		}
	}
	if blobs.Len() != 3 {
		t.Errorf("%d blobs kept, want 3 (two cards, one licence)", blobs.Len())
	}
	fetched, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "acme/twin-b"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	compareDeep(t, rels[1], fetched)
}

// compareDeep checks that a deepened release reads as the fetched one: same inventory and
// hashes, the key texts alike, no metadata mark, and the same audit.
func compareDeep(t *testing.T, deep, fetched *release.Release) {
	t.Helper()
	if deep.Metadata || deep.Complete != fetched.Complete || len(deep.FailedReads) != len(fetched.FailedReads) {
		t.Errorf("deep: metadata %v complete %v failed %v; fetched complete %v failed %v",
			deep.Metadata, deep.Complete, deep.FailedReads, fetched.Complete, fetched.FailedReads)
	}
	if len(deep.Files) != len(fetched.Files) {
		t.Fatalf("deep files %v, fetched %v", deep.Files, fetched.Files)
	}
	for i, f := range deep.Files {
		g := fetched.Files[i]
		_, read := deep.Text(f.Path) // configuration and documentation files are not read deep
		if f.Path != g.Path || f.Size != g.Size || read && f.SHA256 != g.SHA256 || (f.LFS == nil) != (g.LFS == nil) {
			t.Errorf("file %+v, fetched %+v", f, g)
		}
	}
	for _, x := range deep.Texts {
		if y, ok := fetched.Text(x.Path); !ok || x != y {
			t.Errorf("text %s differs from the fetched one", x.Path)
		}
	}
	for _, p := range []string{"README.md", "LICENSE"} {
		if _, ok := deep.Text(p); !ok {
			t.Errorf("%s not read", p)
		}
	}
	cat := license.Default()
	a, b := assess.Run(deep, cat), assess.Run(fetched, cat)
	if a.Tier.Label != b.Tier.Label || a.Facts.MetadataOnly {
		t.Errorf("deep tier %s (metadata %v), fetched %s", a.Tier.Label, a.Facts.MetadataOnly, b.Tier.Label)
	}
}

func TestDeepenWeightsHeader(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	for _, tc := range []struct {
		search, header string
	}{
		{"tiny-gguf", "tiny.Q8_0.gguf"},    // GGUF: its licence metadata
		{"tiny-chat", ""},                  // the listing's safetensors summary tells
		{"acme/root", "model.safetensors"}, // no summary: the header is read
	} {
		rels := listed(t, c, ListQuery{Search: tc.search})
		if len(rels) != 1 {
			t.Fatalf("%s: %d releases", tc.search, len(rels))
		}
		rel := rels[0]
		st, err := Deepen(context.Background(), c, rel, &MemoryBlobs{}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.search, err)
		}
		var read []string
		for _, f := range rel.Files {
			if len(f.Header) > 0 {
				read = append(read, f.Path)
			}
		}
		if want := slices.DeleteFunc([]string{tc.header}, func(s string) bool { return s == "" }); !slices.Equal(read, want) {
			t.Errorf("%s: headers read %v, want %v", tc.search, read, want)
		}
		t.Logf("%s: %+v", tc.search, st)
		if tc.header == "tiny.Q8_0.gguf" && !strings.Contains(string(rel.Files[1].Header), "apache-2.0") {
			t.Errorf("gguf header %s", rel.Files[1].Header)
		}
	}
}

func TestDeepenGated(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	rel := listed(t, c, ListQuery{Author: "meta-llama"})[0]
	if _, err := Deepen(context.Background(), c, rel, &MemoryBlobs{}, Options{}); err != nil {
		t.Fatal(err)
	}
	fetched, err := Fetch(context.Background(), c, Target{Kind: KindModel, Repo: "meta-llama/Llama-3.2-1B"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Complete || fetched.Complete {
		t.Errorf("complete: deep %v fetched %v, want both false (gated files)", rel.Complete, fetched.Complete)
	}
	f, _ := rel.File("LICENSE.txt")
	if !f.Gated {
		t.Errorf("LICENSE.txt %+v, want gated", f)
	}
	cat := license.Default()
	if a, b := assess.Run(rel, cat).Tier.Label, assess.Run(fetched, cat).Tier.Label; a != b {
		t.Errorf("deep tier %s, fetched %s", a, b)
	}
}

// failingBlobs is a blob store that is down.
type failingBlobs struct{}

func (failingBlobs) Get(context.Context, string) ([]byte, bool, error) {
	return nil, false, errors.New("database down")
}
func (failingBlobs) Put(context.Context, string, []byte) error { return errors.New("database down") }

func TestDeepenFailures(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, twins(t)...)
	c, _ := clientFor(h, "")
	rel := listed(t, c, ListQuery{Search: "twin-a"})[0]
	st, err := Deepen(context.Background(), c, rel, failingBlobs{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "blob store: get") || rel.Metadata || st.Requests != 3 || st.BlobMisses != 2 {
		t.Errorf("%+v, %v: want the release deepened and the store's errors", st, err)
	}

	gone := listed(t, c, ListQuery{Search: "twin-b"})[0]
	gone.Hub.SHA = commit("elsewhere")
	st, err = Deepen(context.Background(), c, gone, &MemoryBlobs{}, Options{})
	if !errors.Is(err, ErrRevisionNotFound) || !gone.Metadata || st.Requests != 1 {
		t.Errorf("%+v, %v: want the revision error and the release left as it was", st, err)
	}
	for _, bad := range []*release.Release{{}, {Hub: &release.HubInfo{Kind: "dataset", ID: "a/b", SHA: commit("x")}}, {Hub: &release.HubInfo{Kind: "model", ID: "a/b", SHA: "main"}}} {
		if _, err := Deepen(context.Background(), c, bad, nil, Options{}); err == nil {
			t.Errorf("%+v: deepened", bad)
		}
	}
}

func TestMemoryBlobsBounded(t *testing.T) {
	t.Parallel()
	m := &MemoryBlobs{Max: 10}
	ctx := context.Background()
	m.Put(ctx, "a", []byte("12345"))
	m.Put(ctx, "b", []byte("12345"))
	m.Put(ctx, "c", []byte("123"))
	m.Put(ctx, "big", []byte("12345678901"))
	_, okA, _ := m.Get(ctx, "a")
	b, okB, _ := m.Get(ctx, "b")
	_, okBig, _ := m.Get(ctx, "big")
	if okA || !okB || string(b) != "12345" || okBig || m.Len() != 2 {
		t.Errorf("a %v, b %v %q, big %v, %d held", okA, okB, b, okBig, m.Len())
	}
}
