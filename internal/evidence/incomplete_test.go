package evidence_test

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// TestIncompleteRead: a README whose read failed makes the card-derived components unknown (not
// absent), raises incomplete-read listing it, and no finding claims the licence is missing.
func TestIncompleteRead(t *testing.T) {
	t.Parallel()
	rel := build(file("README.md"), weights("model.safetensors", 1000), file("config.json"))
	rel.FailedReads = []release.FailedRead{{Path: "README.md", Error: "HTTP 500"}, {Path: "config.json", Error: "stopped after 10 redirects"}}
	rel.Complete = false
	f := evidence.Detect(rel, license.Default())
	var got *evidence.Finding
	for i, x := range f.Findings {
		if x.ID == "incomplete-read" {
			got = &f.Findings[i]
		}
		if x.ID == "license-missing" {
			t.Errorf("license-missing raised though README.md was unread: %s", x.Message)
		}
	}
	if got == nil {
		t.Fatalf("no incomplete-read finding in %+v", f.Findings)
	}
	want := "2 files could not be read (README.md, config.json); their content is unknown, not missing: audit again once they can be read"
	if got.Severity != evidence.Medium || got.Message != want || len(got.Evidence) != 2 {
		t.Errorf("finding %+v", *got)
	}
	var ev evidence.Evidence
	for _, e := range f.Evidence {
		if e.ID == got.Evidence[0] {
			ev = e
		}
	}
	if ev.Location != "README.md" || !strings.Contains(ev.Excerpt, "HTTP 500") {
		t.Errorf("evidence %+v", ev)
	}
	if c := f.Component(component.ModelCard); c.Status != evidence.Unknown {
		t.Errorf("model card component %s: %s, want unknown", c.Name, c.Status)
	}
}

func TestIncompleteReadLowForOtherFiles(t *testing.T) {
	t.Parallel()
	rel := build(text("README.md", "---\nlicense: mit\n---\n# m\n"), file("train.py"))
	rel.FailedReads = []release.FailedRead{{Path: "train.py", Error: "HTTP 502"}}
	rel.Complete = false
	for _, x := range evidence.Detect(rel, license.Default()).Findings {
		if x.ID == "incomplete-read" && x.Severity != evidence.Low {
			t.Errorf("severity %s, want low", x.Severity)
		}
	}
}
