package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/report"
)

// TestRegistryPresents: every registered framework supplies its summary, explanation and JSON
// entry, so the renderers need nothing framework-specific.
func TestRegistryPresents(t *testing.T) {
	t.Parallel()
	for _, fw := range assess.Registry {
		if fw.Summary == nil || fw.Explain == nil || fw.Entry == nil || fw.Standing == nil {
			t.Errorf("%s: Summary %v, Explain %v, Entry %v, Standing %v; want all four", fw.Name, fw.Summary != nil, fw.Explain != nil, fw.Entry != nil, fw.Standing != nil)
		}
	}
}

// TestRenderersNameNoFramework: the renderers' sources name no framework of the registry, so
// adding one needs no change here.
func TestRenderersNameNoFramework(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fw := range assess.Registry {
			if regexp.MustCompile(`"` + fw.Name + `"|framework/` + fw.Name + `"`).Match(src) {
				t.Errorf("%s names the %s framework", f, fw.Name)
			}
		}
	}
}

// TestUnregisteredFramework: a verdict of a framework outside the registry still renders, in
// the generic forms (name: label; its reasons; the verdict as its JSON entry).
func TestUnregisteredFramework(t *testing.T) {
	t.Parallel()
	a := &assess.Assessment{Facts: &evidence.Facts{Name: "x", Target: "./x"}, Tier: framework.Verdict{Framework: "g7", Label: "closed"}}
	a.Verdicts = []framework.Verdict{{Framework: "newfw", Label: "good", Reasons: []framework.Reason{{Criterion: "c1", Result: framework.Pass, Detail: "fine", Evidence: []string{}}}}}
	var txt, js bytes.Buffer
	if err := report.Text(&txt, a, report.TextOptions{Explain: true}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"newfw: good\n", "\nnewfw: good\n  ✓ c1: fine\n"} {
		if !strings.Contains(txt.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, txt.String())
		}
	}
	if err := report.JSON(&js, a); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Frameworks map[string]framework.Verdict `json:"frameworks"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Frameworks["newfw"].Label != "good" {
		t.Errorf("frameworks = %+v (%v)", doc.Frameworks, err)
	}
}

// TestStandingReadsEntry: every framework reads its own JSON entry back as its label, and ranks
// a more open release higher.
func TestStandingReadsEntry(t *testing.T) {
	t.Parallel()
	rank := map[string]map[string]float64{}
	for _, name := range []string{"open-weights", "closed"} {
		a := run(name)
		for _, fw := range assess.Registry {
			v, _ := a.Verdict(fw.Name)
			raw, err := json.Marshal(fw.JSONEntry(v))
			if err != nil {
				t.Fatal(err)
			}
			var entry map[string]any
			if err := json.Unmarshal(raw, &entry); err != nil {
				t.Fatal(err)
			}
			label, r, ok := fw.Standing(entry)
			if !ok || label != v.Label {
				t.Errorf("%s over %s: Standing = %q, %v; want the verdict's label %q", fw.Name, name, label, ok, v.Label)
			}
			if rank[fw.Name] == nil {
				rank[fw.Name] = map[string]float64{}
			}
			rank[fw.Name][name] = r
		}
	}
	for fw, r := range rank {
		if r["open-weights"] < r["closed"] {
			t.Errorf("%s ranks the open release %v below the closed one %v", fw, r["open-weights"], r["closed"])
		}
	}
	if _, _, ok := assess.Registry[0].Standing(map[string]any{"label": 3}); ok {
		t.Error("a malformed entry reads as ok")
	}
}

// TestMetadataOnlyLine: an audit from listing metadata says so once in every format; a normal
// audit does not.
func TestMetadataOnlyLine(t *testing.T) {
	t.Parallel()
	for _, meta := range []bool{true, false} {
		a := &assess.Assessment{Facts: &evidence.Facts{Name: "acme/m", MetadataOnly: meta}, Tier: framework.Verdict{Label: "insufficient-evidence"}}
		var txt, md, js bytes.Buffer
		if err := report.Text(&txt, a, report.TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := report.Markdown(&md, a); err != nil {
			t.Fatal(err)
		}
		if err := report.JSON(&js, a); err != nil {
			t.Fatal(err)
		}
		want := map[bool]int{true: 1, false: 0}[meta]
		if n := strings.Count(txt.String(), report.MetadataOnlyLine); n != want {
			t.Errorf("metadata %v: text has the line %d times", meta, n)
		}
		if n := strings.Count(md.String(), report.MetadataOnlyLine); n != want {
			t.Errorf("metadata %v: Markdown has the line %d times", meta, n)
		}
		if n := strings.Count(js.String(), `"metadata_only": true`); n != want {
			t.Errorf("metadata %v: JSON has metadata_only %d times", meta, n)
		}
	}
}
