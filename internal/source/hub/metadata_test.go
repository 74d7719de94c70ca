package hub

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// listEntry builds a listing entry from its fields.
func listEntry(t testing.TB, id string, fields map[string]any) ListEntry {
	t.Helper()
	m := map[string]any{"id": id, "sha": commit(id)}
	for k, v := range fields {
		m[k] = v
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return ListEntry{ID: id, SHA: commit(id), Raw: raw}
}

// siblings lists file names as a listing's siblings.
func siblings(names ...string) []map[string]any {
	var out []map[string]any
	for _, n := range names {
		out = append(out, map[string]any{"rfilename": n})
	}
	return out
}

func TestMetadataRelease(t *testing.T) {
	t.Parallel()
	cat := license.Default()
	for _, tc := range []struct {
		name   string
		fields map[string]any
		card   string // the synthetic README, "" for none
		tier   string
		gated  string
	}{
		{"apache card", map[string]any{
			"cardData": map[string]any{"license": "apache-2.0", "library_name": "transformers", "tags": []string{"yes", "no", "1.0"}},
			"siblings": siblings("README.md", "config.json", "model.safetensors"), "library_name": "transformers",
			"config":      map[string]any{"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama"},
			"safetensors": map[string]any{"parameters": map[string]int64{"BF16": 1000}, "total": 1000},
		}, "---\nlibrary_name: transformers\nlicense: apache-2.0\ntags:\n  - \"yes\"\n  - \"no\"\n  - \"1.0\"\n---\n", "open-weights", ""},
		{"no card data", map[string]any{
			"siblings": siblings("LICENSE", "README.md", "model.safetensors"), "library_name": "transformers",
		}, "", "insufficient-evidence", ""},
		{"gated llama", map[string]any{
			"cardData": map[string]any{"license": "llama3.2", "extra_gated_prompt": "You agree."},
			"gated":    "manual", "siblings": siblings("LICENSE.txt", "README.md", "model.safetensors"), "library_name": "transformers",
		}, "---\nextra_gated_prompt: You agree.\nlicense: llama3.2\n---\n", "weights-available", "manual"},
		{"gguf", map[string]any{
			"cardData": map[string]any{"license": "mit"}, "siblings": siblings("README.md", "tiny.Q8_0.gguf"),
			"gguf": map[string]any{"total": 16, "architecture": "llama", "context_length": 2048},
		}, "---\nlicense: mit\n---\n", "open-weights", ""},
		{"no siblings", map[string]any{"cardData": map[string]any{"license": "mit"}}, "---\nlicense: mit\n---\n", "insufficient-evidence", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rel, err := MetadataRelease(listEntry(t, "acme/m", tc.fields))
			if err != nil {
				t.Fatal(err)
			}
			if !rel.Metadata || rel.Complete || rel.Hub.SHA != commit("acme/m") || rel.Hub.Gated != tc.gated || !slices.Contains(rel.Notes, metadataNote) {
				t.Errorf("release %+v", rel)
			}
			x, ok := rel.Text("README.md")
			if tc.card == "" && ok || tc.card != "" && (x.Content != tc.card || !x.Truncated) {
				t.Errorf("card %q (truncated %v), want %q", x.Content, x.Truncated, tc.card)
			}
			a := assess.Run(rel, cat)
			if a.Tier.Label != tc.tier || !a.Facts.MetadataOnly {
				t.Errorf("tier %s (metadata %v), want %s", a.Tier.Label, a.Facts.MetadataOnly, tc.tier)
			}
			for _, f := range a.Facts.Findings {
				if f.ID == "license-missing" {
					t.Errorf("finding %s though the licence files were not read", f.Message)
				}
			}
		})
	}
}

func TestMetadataReleaseRefuses(t *testing.T) {
	t.Parallel()
	for _, e := range []ListEntry{
		{ID: "../x", Raw: []byte(`{}`)},
		{ID: "acme/x", Raw: []byte(`{"id":"acme/x","sha":"main"}`)},
		{ID: "acme/x", Raw: []byte(`[1]`)},
		{ID: "acme/x", Raw: []byte(`{"id":"acme/x","sha":"` + commit("x") + `","disabled":true}`)},
	} {
		if rel, err := MetadataRelease(e); err == nil || !strings.Contains(err.Error(), "listing entry") {
			t.Errorf("%s: %+v, %v", e.Raw, rel, err)
		}
	}
}

// TestMetadataNeverAboveFull: for real Hub cards, the tier judged from the listing (front
// matter as cardData) never ranks above the tier judged from the whole README.
func TestMetadataNeverAboveFull(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "..", "shared", "eval", "cards-hub")
	ids, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("no %s: %v", dir, err)
	}
	cat := license.Default()
	var equal, lower, n int
	tiers := map[string]int{} // "metadata tier / full tier": cards
	for i, d := range ids {
		if testing.Short() && i%5 != 0 {
			continue // a deterministic fifth of the cards
		}
		data, err := os.ReadFile(filepath.Join(dir, d.Name(), "README.md"))
		if err != nil {
			continue
		}
		n++
		meta, full := cardPair(t, d.Name(), data)
		mt, ft := assess.Run(meta, cat).Tier.Label, assess.Run(full, cat).Tier.Label
		tiers[mt+" / "+ft]++
		switch mr, fr := store.TierRank[mt], store.TierRank[ft]; {
		case mr > fr:
			t.Errorf("%s: metadata tier %s above the full card's %s", d.Name(), mt, ft)
		case mr == fr:
			equal++
		default:
			lower++
		}
	}
	t.Logf("%d cards: metadata tier equal %d, lower %d; by metadata / full tier: %v", n, equal, lower, tiers)
	if want := map[bool]int{false: 1500, true: 300}[testing.Short()]; n < want {
		t.Errorf("read %d cards, want %d", n, want)
	}
}

// cardPair builds the metadata release of a card's listing entry and the release with the whole
// card, both with the same inventory.
func cardPair(t *testing.T, name string, data []byte) (meta, full *release.Release) {
	t.Helper()
	fields := map[string]any{"siblings": siblings(".gitattributes", "README.md", "config.json", "model.safetensors")}
	if c := card.Parse("README.md", data); c.Raw != nil {
		if raw, err := json.Marshal(c.Raw); err == nil {
			fields["cardData"] = json.RawMessage(raw)
		}
	}
	id := "cards/" + strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, name), "-")
	id = id[:min(len(id), 90)]
	meta, err := MetadataRelease(listEntry(t, id, fields))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	full, _ = MetadataRelease(listEntry(t, id, fields))
	full.Metadata, full.Complete, full.Notes = false, true, nil
	full.Texts = []release.Text{{Path: "README.md", Content: string(data)}}
	for i := range full.Files { // as the tree gives them: sizes, and LFS for the weights
		f := &full.Files[i]
		f.Size = 1000
		if release.IsWeights(f.Path) {
			f.LFS = &release.LFS{OID: sha256hex([]byte(f.Path)), Size: 1000}
		}
	}
	return meta, full
}
