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
		if fw.Summary == nil || fw.Explain == nil || fw.Entry == nil {
			t.Errorf("%s: Summary %v, Explain %v, Entry %v; want all three", fw.Name, fw.Summary != nil, fw.Explain != nil, fw.Entry != nil)
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
