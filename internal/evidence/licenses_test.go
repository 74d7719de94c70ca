package evidence_test

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
)

// licenceText is a licence file of our own words that names its terms by SPDX identifier.
func licenceText(id string) string {
	return "SPDX-License-Identifier: " + id + "\nThese files are shared by the tiny model team under the terms named above.\n"
}

// TestLicenseScoping checks which licence covers which component.
func TestLicenseScoping(t *testing.T) {
	t.Parallel()
	type want struct {
		id      component.ID
		license string
		open    bool
	}
	tests := []struct {
		name  string
		files []spec
		want  []want
	}{
		{
			name: "one LICENSE covers everything",
			files: []spec{
				text("LICENSE", licenceText("Apache-2.0")), file("train.py"), weights("model.safetensors", 10),
				text("README.md", card("", "")),
			},
			want: []want{
				{component.TrainingCode, "Apache-2.0", true},
				{component.ModelParameters, "Apache-2.0", true},
				{component.ModelCard, "Apache-2.0", true},
			},
		},
		{
			name: "code and model licences split",
			files: []spec{
				text("LICENSE-CODE", licenceText("Apache-2.0")), text("LICENSE-MODEL", licenceText("CC-BY-NC-4.0")),
				file("train.py"), file("modeling_tiny.py"), weights("model.safetensors", 10), file("config.json"),
				weights("checkpoints/step-100/model.safetensors", 10),
			},
			want: []want{
				{component.TrainingCode, "Apache-2.0", true},
				{component.ModelArchitecture, "Apache-2.0", true},
				{component.ModelParameters, "CC-BY-NC-4.0", false},
				{component.IntermediateParameters, "CC-BY-NC-4.0", false},
				{component.ModelMetadata, "CC-BY-NC-4.0", false},
			},
		},
		{
			name: "scoped licence beats the release licence",
			files: []spec{
				text("LICENSE", licenceText("CC-BY-NC-4.0")), text("CODE_LICENSE", licenceText("MIT")),
				file("train.py"), weights("model.safetensors", 10),
			},
			want: []want{
				{component.TrainingCode, "MIT", true},
				{component.ModelParameters, "CC-BY-NC-4.0", false},
			},
		},
		{
			name: "data licence covers data",
			files: []spec{
				text("LICENSE", licenceText("MIT")), text("LICENSE-DATA", licenceText("CC-BY-4.0")),
				file("data/train.parquet"), file("eval/test.jsonl"), file("train.py"),
			},
			want: []want{
				{component.Datasets, "CC-BY-4.0", true},
				{component.EvaluationData, "CC-BY-4.0", true},
				{component.TrainingCode, "MIT", true},
			},
		},
		{
			name: "subfolder LICENSE covers only its folder",
			files: []spec{
				text("LICENSE", licenceText("MIT")), text("tools/LICENSE", licenceText("GPL-3.0-only")),
				file("tools/train.py"), file("inference.py"),
			},
			want: []want{
				{component.TrainingCode, "GPL-3.0-only", true},
				{component.InferenceCode, "MIT", true},
			},
		},
		{
			name: "SPDX lines cover the files that carry them",
			files: []spec{
				text("LICENSE", licenceText("Apache-2.0")),
				text("modeling_tiny.py", "# SPDX-License-Identifier: MIT\nimport math\n"),
				text("train.py", "import math\nprint(math.pi)\n"),
			},
			want: []want{
				{component.ModelArchitecture, "MIT", true},
				{component.TrainingCode, "Apache-2.0", true},
			},
		},
		{
			name: "SPDX line without a LICENSE file",
			files: []spec{
				text("inference.py", "# SPDX-License-Identifier: BSD-3-Clause\nprint('hi')\n"),
				file("train.py"),
			},
			want: []want{
				{component.InferenceCode, "BSD-3-Clause", true},
				{component.TrainingCode, "", false},
			},
		},
		{
			name: "card licence alone",
			files: []spec{
				text("README.md", card("license: apache-2.0", "")), file("train.py"), weights("model.safetensors", 10),
			},
			want: []want{
				{component.TrainingCode, "Apache-2.0", true},
				{component.ModelParameters, "Apache-2.0", true},
			},
		},
		{
			name: "model licences folder covers the weights",
			files: []spec{
				text("model_licenses/LICENSE", licenceText("CC-BY-NC-4.0")), text("LICENSE", licenceText("MIT")),
				weights("model.safetensors", 10), file("train.py"),
			},
			want: []want{
				{component.ModelParameters, "CC-BY-NC-4.0", false},
				{component.TrainingCode, "MIT", true},
			},
		},
		{
			name: "weights folder licence covers the weights in it",
			files: []spec{
				text("LICENSE", licenceText("MIT")), text("weights/LICENSE", licenceText("CC-BY-NC-4.0")),
				weights("weights/model.safetensors", 10),
			},
			want: []want{{component.ModelParameters, "CC-BY-NC-4.0", false}},
		},
		{
			name: "architecture from a library takes the library's licence",
			files: []spec{
				text("README.md", card("license: cc-by-nc-4.0\nlibrary_name: transformers", "")), weights("model.safetensors", 10),
			},
			want: []want{
				{component.ModelArchitecture, "Apache-2.0", true},
				{component.InferenceCode, "Apache-2.0", true},
				{component.ModelParameters, "CC-BY-NC-4.0", false},
			},
		},
		{
			name:  "no licence anywhere",
			files: []spec{file("train.py"), weights("model.safetensors", 10)},
			want: []want{
				{component.TrainingCode, "", false},
				{component.ModelParameters, "", false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			for _, w := range tt.want {
				c := f.Component(w.id)
				if c.Status != evidence.Present {
					t.Errorf("%s: status %q, want present", c.Name, c.Status)
					continue
				}
				if c.License != w.license || c.Open != w.open {
					t.Errorf("%s: licence %q open %v, want %q open %v", c.Name, c.License, c.Open, w.license, w.open)
				}
			}
		})
	}
}

// TestWeightsTerms checks the summary of the terms on the final weights.
func TestWeightsTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []spec
		want  evidence.Weights // Evidence is only checked for being non-empty when Known
	}{
		{
			name:  "open licence",
			files: []spec{text("README.md", card("license: apache-2.0", "")), weights("model.safetensors", 10)},
			want:  evidence.Weights{Present: true, Licenses: []string{"Apache-2.0"}, Open: true, Known: true, OSIApproved: true},
		},
		{
			name:  "open terms that are not OSI-approved",
			files: []spec{text("README.md", card("license: cc-by-4.0", "")), weights("model.safetensors", 10)},
			want:  evidence.Weights{Present: true, Licenses: []string{"CC-BY-4.0"}, Open: true, Known: true},
		},
		{
			name:  "non-commercial",
			files: []spec{text("README.md", card("license: cc-by-nc-4.0", "")), weights("model.safetensors", 10)},
			want:  evidence.Weights{Present: true, Licenses: []string{"CC-BY-NC-4.0"}, Known: true, Restrictions: []string{"non-commercial"}, RestrictionTerms: []string{"non-commercial"}},
		},
		{
			name: "use policy file binds the weights",
			files: []spec{
				text("README.md", card("license: apache-2.0", "")), text("USE_POLICY.md", "You may not use the tiny model to harm people.\n"),
				weights("model.safetensors", 10),
			},
			want: evidence.Weights{Present: true, Licenses: []string{"Apache-2.0"}, Known: true, Restrictions: []string{"use policy (USE_POLICY.md)"}, RestrictionTerms: []string{"use-policy"}},
		},
		{
			name: "licence in the weights' folder",
			files: []spec{
				text("LICENSE", licenceText("MIT")), text("weights/LICENSE", licenceText("CC-BY-NC-4.0")),
				weights("weights/model.safetensors", 10),
			},
			want: evidence.Weights{Present: true, Licenses: []string{"CC-BY-NC-4.0"}, Known: true, Restrictions: []string{"non-commercial"}, RestrictionTerms: []string{"non-commercial"}},
		},
		{
			name: "model licences folder",
			files: []spec{
				text("LICENSE", licenceText("MIT")), text("model_licenses/LICENSE", licenceText("CC-BY-NC-4.0")),
				weights("model.safetensors", 10),
			},
			want: evidence.Weights{Present: true, Licenses: []string{"CC-BY-NC-4.0"}, Known: true, Restrictions: []string{"non-commercial"}, RestrictionTerms: []string{"non-commercial"}},
		},
		{
			name:  "no licence",
			files: []spec{weights("model.safetensors", 10)},
			want:  evidence.Weights{Present: true},
		},
		{
			name:  "unknown card licence",
			files: []spec{text("README.md", card("license: other\nlicense_name: tiny-team-terms", "")), weights("model.safetensors", 10)},
			want:  evidence.Weights{Present: true, Licenses: []string{"LicenseRef-tiny-team-terms"}},
		},
		{
			name:  "no weights",
			files: []spec{text("README.md", card("license: mit", ""))},
			want:  evidence.Weights{Licenses: []string{"MIT"}, Open: true, Known: true, OSIApproved: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			got := f.Weights
			if got.Known && len(got.Evidence) == 0 {
				t.Errorf("known weights terms cite no evidence")
			}
			got.Evidence = nil
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("weights (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCardLicenses checks how card front matter maps to licences.
func TestCardLicenses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		front string
		want  []evidence.License // Evidence is only counted
		evs   []int              // number of evidence ids per licence
	}{
		{
			name:  "hub id apache-2.0",
			front: "license: apache-2.0",
			want:  []evidence.License{{Expression: "Apache-2.0", Key: "apache-2.0", Name: "Apache License 2.0", Scope: "release", Source: "card", HubID: "apache-2.0", OSIApproved: true, Open: true, Known: true}},
			evs:   []int{1},
		},
		{
			name:  "hub id llama3.1",
			front: "license: llama3.1",
			want: []evidence.License{{
				Expression: "LicenseRef-Llama-3.1-Community", Key: "llama3.1", Name: "Llama 3.1 Community License Agreement",
				Scope: "release", Source: "card", HubID: "llama3.1", Known: true,
				Restrictions: []string{"use policy (incorporated by reference)", "700M MAU cap"}, RestrictionTerms: []string{"policy-by-reference", "user-cap"},
			}},
			evs: []int{1},
		},
		{
			name:  "other with a known license_name",
			front: "license: other\nlicense_name: llama3.1",
			want: []evidence.License{{
				Expression: "LicenseRef-Llama-3.1-Community", Key: "llama3.1", Name: "Llama 3.1 Community License Agreement",
				Scope: "release", Source: "card", HubID: "other", Known: true,
				Restrictions: []string{"use policy (incorporated by reference)", "700M MAU cap"}, RestrictionTerms: []string{"policy-by-reference", "user-cap"},
			}},
			evs: []int{2},
		},
		{
			name:  "other with an unknown license_name",
			front: "license: other\nlicense_name: Tiny Team Terms v2",
			want:  []evidence.License{{Expression: "LicenseRef-Tiny-Team-Terms-v2", Scope: "release", Source: "card", HubID: "other"}},
			evs:   []int{2},
		},
		{
			name:  "other with nothing else",
			front: "license: other",
			want:  []evidence.License{{Expression: "LicenseRef-other", Scope: "release", Source: "card", HubID: "other"}},
			evs:   []int{1},
		},
		{
			name:  "unknown hub id",
			front: "license: tiny-terms",
			want:  []evidence.License{{Expression: "LicenseRef-tiny-terms", Scope: "release", Source: "card", HubID: "tiny-terms"}},
			evs:   []int{1},
		},
		{
			name:  "two licences",
			front: "license:\n- mit\n- cc-by-4.0",
			want: []evidence.License{
				{Expression: "MIT", Key: "mit", Name: "MIT License", Scope: "release", Source: "card", HubID: "mit", OSIApproved: true, Open: true, Known: true},
				{Expression: "CC-BY-4.0", Key: "cc-by-4.0", Name: "Creative Commons Attribution 4.0 International", Scope: "release", Source: "card", HubID: "cc-by-4.0", Open: true, Known: true},
			},
			evs: []int{1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(text("README.md", card(tt.front, ""))))
			var got []evidence.License
			var evs []int
			for _, l := range f.Licenses {
				evs = append(evs, len(l.Evidence))
				l.Evidence = nil
				got = append(got, l)
			}
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("licences (-want +got):\n%s", diff)
			}
			if diff := cmpDiff(tt.evs, evs); diff != "" {
				t.Errorf("evidence per licence (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFileLicenses checks the scope, path and source of licences found in files.
func TestFileLicenses(t *testing.T) {
	t.Parallel()
	type lic struct{ Expr, Scope, Path, Source string }
	tests := []struct {
		name  string
		files []spec
		want  []lic
	}{
		{"LICENSE", []spec{text("LICENSE", licenceText("MIT"))}, []lic{{"MIT", "release", "", "file"}}},
		{"LICENSE.md", []spec{text("LICENSE.md", licenceText("MIT"))}, []lic{{"MIT", "release", "", "file"}}},
		{"LICENSE-CODE", []spec{text("LICENSE-CODE", licenceText("MIT"))}, []lic{{"MIT", "code", "", "file"}}},
		{"LICENSE_MODEL.txt", []spec{text("LICENSE_MODEL.txt", licenceText("CC-BY-4.0"))}, []lic{{"CC-BY-4.0", "weights", "", "file"}}},
		{"MODEL_LICENSE", []spec{text("MODEL_LICENSE", licenceText("CC-BY-4.0"))}, []lic{{"CC-BY-4.0", "weights", "", "file"}}},
		{"LICENSE-DATA", []spec{text("LICENSE-DATA", licenceText("CC-BY-4.0"))}, []lic{{"CC-BY-4.0", "data", "", "file"}}},
		{"LICENSE-DOCS", []spec{text("LICENSE-DOCS", licenceText("CC-BY-4.0"))}, []lic{{"CC-BY-4.0", "docs", "", "file"}}},
		{"COPYING", []spec{text("COPYING", licenceText("GPL-3.0-only"))}, []lic{{"GPL-3.0-only", "release", "", "file"}}},
		{"subfolder", []spec{text("tools/LICENSE", licenceText("MIT"))}, []lic{{"MIT", "release", "tools", "file"}}},
		{"unidentified text", []spec{text("LICENSE", "All rights reserved by the tiny model team.\n")}, []lic{{"LicenseRef-LICENSE-unidentified", "release", "", "file"}}},
		{"use policy", []spec{text("USE_POLICY.md", "Do not use the tiny model to harm people.\n")}, []lic{{"LicenseRef-Use-Policy", "policy", "", "file"}}},
		{"SPDX lines in code", []spec{
			text("a.py", "# SPDX-License-Identifier: MIT\n"), text("b.py", "# SPDX-License-Identifier: MIT\n"),
			text("c.rs", "// SPDX-License-Identifier: Apache-2.0\n"),
		}, []lic{{"MIT", "code", "", "identifier"}, {"Apache-2.0", "code", "", "identifier"}}},
		{"SPDX line in a text file is not code", []spec{text("notes.md", "SPDX-License-Identifier: MIT\n")}, nil},
		{"GGUF header", []spec{{path: "tiny.gguf", header: `{"path":"tiny.gguf","format":"gguf","safety":"safe","license":"apache-2.0"}`}}, []lic{{"Apache-2.0", "weights", "", "gguf"}}},
		{"GGUF header other with a name", []spec{{path: "tiny.gguf", header: `{"path":"tiny.gguf","format":"gguf","safety":"safe","license":"other","license_name":"llama3.1"}`}}, []lic{{"LicenseRef-Llama-3.1-Community", "weights", "", "gguf"}}},
		{"GGUF header other unknown", []spec{{path: "tiny.gguf", header: `{"path":"tiny.gguf","format":"gguf","safety":"safe","license":"other","license_name":"acme terms"}`}}, []lic{{"LicenseRef-acme-terms", "weights", "", "gguf"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			var got []lic
			for _, l := range f.Licenses {
				got = append(got, lic{l.Expression, l.Scope, l.Path, l.Source})
			}
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("licences (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdentifierEvidenceCitesEachFile(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("a.py", "import os\n# SPDX-License-Identifier: MIT\n"), text("b.py", "# SPDX-License-Identifier: MIT\n")))
	if len(f.Licenses) != 1 {
		t.Fatalf("licences = %+v, want one", f.Licenses)
	}
	var locs []string
	for _, id := range f.Licenses[0].Evidence {
		for _, e := range f.Evidence {
			if e.ID == id {
				locs = append(locs, e.Location)
			}
		}
	}
	if diff := cmpDiff([]string{"a.py:2", "b.py:1"}, locs); diff != "" {
		t.Errorf("evidence locations (-want +got):\n%s", diff)
	}
}

func TestConsistencyFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		rel     []spec
		finding string // id: message prefix; "" = no license-mismatch or license-missing finding
	}{
		{
			name:    "card and LICENSE agree",
			rel:     []spec{text("README.md", card("license: mit", "# M\n\nA model.\n")), text("LICENSE", licenceText("MIT"))},
			finding: "",
		},
		{
			name:    "card and LICENSE disagree",
			rel:     []spec{text("README.md", card("license: mit", "# M\n\nA model.\n")), text("LICENSE", licenceText("Apache-2.0"))},
			finding: "license-mismatch: the card declares MIT but the licence file is Apache-2.0",
		},
		{
			name:    "a card with two licences agrees with a LICENSE holding one of them",
			rel:     []spec{text("README.md", card("license:\n- mit\n- cc-by-4.0", "# M\n\nA model.\n")), text("LICENSE", licenceText("MIT"))},
			finding: "",
		},
		{
			name:    "prose disagrees with the card",
			rel:     []spec{text("README.md", card("license: apache-2.0", "# M\n\nThis model is licensed under the MIT License.\n"))},
			finding: "license-mismatch: the card declares Apache-2.0 but the card's text says MIT",
		},
		{
			name:    "a licence named in passing is not the release's",
			rel:     []spec{text("README.md", card("license: apache-2.0", "# M\n\nWe thank the authors of a library released under GPL.\n"))},
			finding: "",
		},
		{
			name:    "license: other with nothing identifiable",
			rel:     []spec{text("README.md", card("license: other\nlicense_name: acme-terms", "# M\n\nA model.\n"))},
			finding: "license-missing: the card says license: other but neither",
		},
		{
			name:    "license: other with an identifiable LICENSE",
			rel:     []spec{text("README.md", card("license: other\nlicense_name: acme-terms", "# M\n\nA model.\n")), text("LICENSE", licenceText("MIT"))},
			finding: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.rel...))
			var got []string
			for _, id := range []string{"license-mismatch", "license-missing"} {
				for _, fi := range findings(f, id) {
					got = append(got, fi.ID+": "+fi.Message)
				}
			}
			switch {
			case tt.finding == "" && len(got) > 0:
				t.Errorf("unexpected findings %q", got)
			case tt.finding != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tt.finding)):
				t.Errorf("findings %q, want one starting %q", got, tt.finding)
			}
		})
	}
}

func TestProseLicenceCountsOnlyWithoutFormalOnes(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", "# M\n\nThe weights are released under the Apache 2.0 license.\n"), weights("model.safetensors", 10)))
	if got := strings.Join(f.Weights.Licenses, ","); got != "Apache-2.0" || !f.Weights.Open {
		t.Errorf("weights licences %q open=%v, want Apache-2.0 from prose", got, f.Weights.Open)
	}
	f = detect(t, build(text("README.md", card("license: llama3.1", "# M\n\nThe weights are released under the Apache 2.0 license.\n")), weights("model.safetensors", 10)))
	if got := strings.Join(f.Weights.Licenses, ","); got != "LicenseRef-Llama-3.1-Community" {
		t.Errorf("weights licences %q, want the card's licence to govern over prose", got)
	}
}
