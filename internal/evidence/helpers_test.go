package evidence_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// spec describes one file of an in-memory release: its path, and what the source would have
// read from it.
type spec struct {
	path   string
	text   string // kept as the file's text when non-empty
	header string // artifact.Facts JSON for a weights file
	lfs    bool   // the file is a Git LFS pointer
	gated  bool
}

// file is a file seen in the inventory only.
func file(p string) spec { return spec{path: p} }

// text is a small text file the source read.
func text(p, content string) spec { return spec{path: p, text: content} }

// weights is a safetensors file whose header the source read.
func weights(p string, params int64) spec {
	h, _ := json.Marshal(map[string]any{"path": p, "format": "safetensors", "parameters": params, "safety": "safe"})
	return spec{path: p, header: string(h)}
}

// pointer is a weights file present only as a Git LFS pointer.
func pointer(p string) spec { return spec{path: p, lfs: true} }

const lfsOID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"

// build makes a release out of specs, complete unless told otherwise.
func build(specs ...spec) *release.Release {
	rel := &release.Release{Name: "tiny", Target: "./tiny", Revision: "sha256:0000", Complete: true}
	for _, s := range specs {
		f := release.File{Path: s.path, Size: int64(len(s.text)) + 10, Gated: s.gated}
		if s.header != "" {
			f.Header = json.RawMessage(s.header)
		}
		if s.lfs {
			f.LFS = &release.LFS{OID: lfsOID, Size: 1 << 20}
		}
		if s.text != "" {
			f.SHA256 = strings.Repeat("ab", 32)
			rel.Texts = append(rel.Texts, release.Text{Path: s.path, Content: s.text})
		}
		rel.Files = append(rel.Files, f)
	}
	rel.Sort()
	return rel
}

func detect(t *testing.T, rel *release.Release) *evidence.Facts {
	t.Helper()
	f := evidence.Detect(rel, license.Default())
	checkEvidenceIDs(t, f)
	return f
}

// checkEvidenceIDs verifies that every evidence id a fact cites is defined in Facts.Evidence,
// and that the ids run E1, E2, … without gaps.
func checkEvidenceIDs(t *testing.T, f *evidence.Facts) {
	t.Helper()
	defined := map[string]bool{}
	for i, e := range f.Evidence {
		if want := "E" + strconv.Itoa(i+1); e.ID != want {
			t.Errorf("evidence[%d].ID = %q, want %q", i, e.ID, want)
		}
		if e.Location == "" || e.Kind == "" {
			t.Errorf("evidence %s has kind %q and location %q; both must be set", e.ID, e.Kind, e.Location)
		}
		defined[e.ID] = true
	}
	cite := func(what string, ids []string) {
		if ids == nil {
			t.Errorf("%s: evidence is nil, want a non-nil slice", what)
		}
		for _, id := range ids {
			if !defined[id] {
				t.Errorf("%s cites %s, which is not in Facts.Evidence", what, id)
			}
		}
	}
	for _, c := range f.Components {
		cite("component "+c.Name, c.Evidence)
	}
	for _, l := range f.Licenses {
		cite("licence "+l.Expression, l.Evidence)
	}
	for _, fi := range f.Findings {
		cite("finding "+fi.ID, fi.Evidence)
	}
	for _, p := range f.Lineage {
		cite("lineage "+p.Ref, p.Evidence)
	}
	for _, d := range f.Datasets {
		cite("dataset "+d.Ref, d.Evidence)
	}
	for _, a := range f.Artifacts {
		cite("artifact "+a.Path, a.Evidence)
	}
	for _, c := range f.Claims {
		cite("claim "+c.Kind, c.Evidence)
	}
	cite("weights", f.Weights.Evidence)
	if f.Library != nil {
		cite("library "+f.Library.Name, f.Library.Evidence)
	}
}

func findings(f *evidence.Facts, id string) []evidence.Finding {
	var out []evidence.Finding
	for _, fi := range f.Findings {
		if fi.ID == id {
			out = append(out, fi)
		}
	}
	return out
}

// card assembles a model card: front matter lines, then a body long enough to count as a card.
func card(front string, body string) string {
	s := ""
	if front != "" {
		s = "---\n" + front + "\n---\n"
	}
	return s + "# Tiny model\n\nA small model we trained to test our own tools; it writes short replies.\n" + body
}

// cmpDiff compares facts, treating nil and empty slices alike.
func cmpDiff(want, got any) string { return cmp.Diff(want, got, cmpopts.EquateEmpty()) }
