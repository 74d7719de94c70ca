package evidence_test

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

const linkedSHA = "1111111111111111111111111111111111111111"

// linkedRepo is a read linked repository holding files (path → text; "" for a file seen in
// the tree only).
func linkedRepo(name string, roles []string, hint string, files map[string]string) *release.Linked {
	r := &release.Release{Target: "gh:acme/" + name + "@" + linkedSHA, Name: "acme/" + name, Revision: linkedSHA, Complete: true}
	for p, content := range files {
		r.Files = append(r.Files, release.File{Path: p, Size: int64(len(content))})
		if content != "" {
			r.Texts = append(r.Texts, release.Text{Path: p, Content: content})
		}
	}
	r.Sort()
	return &release.Linked{Repo: "github.com/acme/" + name, URL: "https://github.com/acme/" + name, Where: "README.md:5",
		Roles: roles, Own: true, LicenseHint: hint, Release: r}
}

func TestLinkedCredits(t *testing.T) {
	t.Parallel()
	card := text("README.md", "---\nlicense: apache-2.0\n---\n# tiny\n\nlinks\n")
	tests := []struct {
		name   string
		own    []spec
		linked *release.Linked
		id     component.ID
		status evidence.Status
		lic    string
		open   bool
	}{
		{"NOASSERTION hint, MIT text: MIT", nil,
			linkedRepo("t", []string{"training"}, "NOASSERTION", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "train.py": ""}),
			component.TrainingCode, evidence.Present, "MIT", true},
		{"Apache hint, unidentified text: licence unknown", nil,
			linkedRepo("t", []string{"training"}, "Apache-2.0", map[string]string{"LICENSE": "All rights reserved by acme.\n", "train.py": ""}),
			component.TrainingCode, evidence.Present, "", false},
		{"no licence file at all", nil,
			linkedRepo("t", nil, "", map[string]string{"scripts/train.py": ""}),
			component.TrainingCode, evidence.Present, "", false},
		{"an evaluation harness is not training code", nil,
			linkedRepo("e", []string{"evaluation"}, "MIT", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "eval/run.py": "", "train_split.py": ""}),
			component.TrainingCode, evidence.Absent, "", false},
		{"the card's role counts when file names do not show it", nil,
			linkedRepo("p", []string{"data-processing"}, "MIT", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "src/main.rs": ""}),
			component.DataPreprocessingCode, evidence.Present, "MIT", true},
		{"a role without any code is not credited", nil,
			linkedRepo("p", []string{"data-processing"}, "MIT", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "notes.md": ""}),
			component.DataPreprocessingCode, evidence.Absent, "", false},
		{"open linked code replaces restricted own code", []spec{text("LICENSE-CODE", "SPDX-License-Identifier: CC-BY-NC-4.0\n"), file("train.py")},
			linkedRepo("t", []string{"training"}, "MIT", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "train.py": ""}),
			component.TrainingCode, evidence.Present, "MIT", true},
		{"only under the linked folder", nil,
			func() *release.Linked {
				l := linkedRepo("m", nil, "MIT", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "other/train.py": "", "tiny/eval.py": ""})
				l.Path = "tiny"
				return l
			}(),
			component.TrainingCode, evidence.Absent, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rel := build(append([]spec{card}, tt.own...)...)
			rel.Linked = []*release.Linked{tt.linked}
			f := evidence.Detect(rel, license.Default())
			c := f.Component(tt.id)
			if c.Status != tt.status || c.License != tt.lic || c.Open != tt.open {
				t.Errorf("%s = %s %q open %v (note %q), want %s %q open %v", c.Name, c.Status, c.License, c.Open, c.Note, tt.status, tt.lic, tt.open)
			}
			if c.Status == evidence.Present && !strings.HasPrefix(c.Locations[0], "github.com/acme/") {
				t.Errorf("locations %q do not point at the linked repository", c.Locations)
			}
			if len(f.Linked) != 1 || !f.Linked[0].Read || f.Linked[0].Revision != linkedSHA {
				t.Errorf("linked = %+v", f.Linked)
			}
		})
	}
}

func TestTruncatedLinkedTreeLeavesTheRestUnknown(t *testing.T) {
	t.Parallel()
	rel := build(text("README.md", "---\nlicense: apache-2.0\n---\n# tiny\n"), file("model.safetensors"))
	l := linkedRepo("big", nil, "MIT", map[string]string{"LICENSE": "SPDX-License-Identifier: MIT\n", "train.py": ""})
	l.Release.Complete = false
	rel.Linked = []*release.Linked{l}
	f := evidence.Detect(rel, license.Default())
	if c := f.Component(component.TrainingCode); c.Status != evidence.Present || c.License != "MIT" {
		t.Errorf("training code = %+v, want present under MIT", c)
	}
	if c := f.Component(component.EvaluationCode); c.Status != evidence.Unknown || !strings.Contains(c.Note, "tree truncated") {
		t.Errorf("evaluation code = %+v, want unknown: the cut tree may hold it", c)
	}
	if f.Linked[0].Complete {
		t.Error("linked repository reported complete")
	}
}

func TestUnreadLinkLeavesItsComponentsUnknown(t *testing.T) {
	t.Parallel()
	rel := build(text("README.md", "---\nlicense: apache-2.0\n---\n# tiny\n"), file("model.safetensors"))
	rel.Linked = []*release.Linked{{Repo: "github.com/acme/evals", URL: "https://github.com/acme/evals", Where: "README.md:5",
		Roles: []string{"evaluation"}, Own: true, Unread: "offline and not in the on-disk cache"}}
	f := evidence.Detect(rel, license.Default())
	if c := f.Component(component.EvaluationCode); c.Status != evidence.Unknown || c.Note != "linked github.com/acme/evals not read: offline and not in the on-disk cache" {
		t.Errorf("evaluation code = %+v, want unknown with the reason", c)
	}
	if c := f.Component(component.TrainingCode); c.Status != evidence.Absent {
		t.Errorf("training code = %s, want absent: the link was not said to hold it", c.Status)
	}
	if len(f.Linked) != 1 || f.Linked[0].Read || f.Linked[0].Unread == "" {
		t.Errorf("linked = %+v", f.Linked)
	}
}
