package evidence_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

const llama = "LicenseRef-Llama-3.1-Community"

func TestLineage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		front        string
		lineage      []evidence.Parent // Evidence is only counted
		conflict     bool
		weightsOpen  bool
		weightsTerms []string
	}{
		{
			name:  "apache fine-tune of a Llama base",
			front: "license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B",
			lineage: []evidence.Parent{{
				Ref: "hf:meta-llama/Llama-3.1-8B", Relation: "finetune", License: llama, Key: "llama3.1",
				Restrictions: []string{"use policy (incorporated by reference)", "700M MAU cap"}, RestrictionTerms: []string{"policy-by-reference", "user-cap"},
			}},
			conflict:     true,
			weightsTerms: []string{"Apache-2.0", llama},
		},
		{
			name:  "Llama fine-tune that keeps the Llama licence",
			front: "license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B",
			lineage: []evidence.Parent{{
				Ref: "hf:meta-llama/Llama-3.1-8B", Relation: "finetune", License: llama, Key: "llama3.1",
				Restrictions: []string{"use policy (incorporated by reference)", "700M MAU cap"}, RestrictionTerms: []string{"policy-by-reference", "user-cap"},
			}},
			weightsTerms: []string{llama},
		},
		{
			name:  "same-family licence of another version",
			front: "license: llama3\nbase_model: meta-llama/Llama-3.1-8B",
			lineage: []evidence.Parent{{
				Ref: "hf:meta-llama/Llama-3.1-8B", Relation: "finetune", License: llama, Key: "llama3.1",
				Restrictions: []string{"use policy (incorporated by reference)", "700M MAU cap"}, RestrictionTerms: []string{"policy-by-reference", "user-cap"},
			}},
			weightsTerms: []string{"LicenseRef-Llama-3-Community", llama},
		},
		{
			name:         "apache fine-tune of an apache base",
			front:        "license: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1",
			lineage:      []evidence.Parent{{Ref: "hf:mistralai/Mistral-7B-v0.1", Relation: "finetune", License: "Apache-2.0", Key: "apache-2.0", Open: true}},
			weightsOpen:  true,
			weightsTerms: []string{"Apache-2.0"},
		},
		{
			name:         "unknown base",
			front:        "license: mit\nbase_model: acme/tiny-base",
			lineage:      []evidence.Parent{{Ref: "hf:acme/tiny-base", Relation: "finetune"}},
			weightsOpen:  true,
			weightsTerms: []string{"MIT"},
		},
		{
			name:  "merge of two bases",
			front: "license: mit\nbase_model:\n- acme/left\n- acme/right",
			lineage: []evidence.Parent{
				{Ref: "hf:acme/left", Relation: "merge"},
				{Ref: "hf:acme/right", Relation: "merge"},
			},
			weightsOpen:  true,
			weightsTerms: []string{"MIT"},
		},
		{
			name:         "declared relation",
			front:        "license: mit\nbase_model: acme/tiny-base\nbase_model_relation: quantized",
			lineage:      []evidence.Parent{{Ref: "hf:acme/tiny-base", Relation: "quantized"}},
			weightsOpen:  true,
			weightsTerms: []string{"MIT"},
		},
		{
			name:  "no card licence over a Llama base inherits its terms",
			front: "base_model: meta-llama/Llama-3.1-8B",
			lineage: []evidence.Parent{{
				Ref: "hf:meta-llama/Llama-3.1-8B", Relation: "finetune", License: llama, Key: "llama3.1",
				Restrictions: []string{"use policy (incorporated by reference)", "700M MAU cap"}, RestrictionTerms: []string{"policy-by-reference", "user-cap"},
			}},
			weightsTerms: []string{llama},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(text("README.md", card(tt.front, "")), weights("model.safetensors", 10)))
			var got []evidence.Parent
			for _, p := range f.Lineage {
				want := 1
				if p.License != "" {
					want = 2 // the card field and the catalogue's table of bases
				}
				if len(p.Evidence) != want {
					t.Errorf("%s: evidence %v, want %d ids", p.Ref, p.Evidence, want)
				}
				p.Evidence = nil
				got = append(got, p)
			}
			if diff := cmpDiff(tt.lineage, got); diff != "" {
				t.Errorf("lineage (-want +got):\n%s", diff)
			}
			conflicts := findings(f, "license-conflict")
			if got := len(conflicts) > 0; got != tt.conflict {
				t.Errorf("license-conflict = %+v, want present %v", conflicts, tt.conflict)
			}
			for _, c := range conflicts {
				if c.Severity != evidence.High || !strings.Contains(c.Message, "meta-llama/Llama-3.1-8B") {
					t.Errorf("conflict finding %+v: want high severity naming the base", c)
				}
			}
			if f.Weights.Open != tt.weightsOpen {
				t.Errorf("Weights.Open = %v, want %v", f.Weights.Open, tt.weightsOpen)
			}
			if diff := cmpDiff(tt.weightsTerms, f.Weights.Licenses); diff != "" {
				t.Errorf("Weights.Licenses (-want +got):\n%s", diff)
			}
			if p := f.Component(component.ModelParameters); p.Open != tt.weightsOpen {
				t.Errorf("parameters component Open = %v, want %v", p.Open, tt.weightsOpen)
			}
		})
	}
}

func TestInheritedRestrictionsNameTheBase(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", card("license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B", "")), weights("model.safetensors", 10)))
	want := []string{
		"use policy (incorporated by reference) (inherited from meta-llama/Llama-3.1-8B)",
		"700M MAU cap (inherited from meta-llama/Llama-3.1-8B)",
	}
	if diff := cmpDiff(want, f.Weights.Restrictions); diff != "" {
		t.Errorf("restrictions (-want +got):\n%s", diff)
	}
	// The names stay the base's term names, without the text's provenance.
	if diff := cmpDiff([]string{"policy-by-reference", "user-cap"}, f.Weights.RestrictionTerms); diff != "" {
		t.Errorf("restriction terms (-want +got):\n%s", diff)
	}
	if !f.Weights.Known || f.Weights.OSIApproved {
		t.Errorf("Weights Known %v OSIApproved %v, want true false", f.Weights.Known, f.Weights.OSIApproved)
	}
}

func TestDatasets(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", card("datasets:\n- acme/corpus\n- datasets/acme/more\n- https://example.org/data", ""))))
	var refs []string
	for _, d := range f.Datasets {
		refs = append(refs, d.Ref)
	}
	if diff := cmpDiff([]string{"hf:datasets/acme/corpus", "hf:datasets/acme/more", "https://example.org/data"}, refs); diff != "" {
		t.Errorf("datasets (-want +got):\n%s", diff)
	}
	c := f.Component(component.Datasets)
	if c.Status != evidence.Present || c.License != "" || c.Note == "" {
		t.Errorf("datasets component %+v: want present, no licence, a note that the datasets carry their own", c)
	}
}

// TestFindings checks which findings each release raises.
func TestFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []spec
		want  []string // "id/severity", in report order
	}{
		{
			name:  "clean open release",
			files: []spec{text("README.md", card("license: apache-2.0", "")), text("LICENSE", licenceText("Apache-2.0")), weights("model.safetensors", 10)},
			want:  nil,
		},
		{
			name:  "open source claim over restrictive terms",
			files: []spec{text("README.md", card("license: llama3.1", "The tiny model is fully open source.\n")), weights("model.safetensors", 10)},
			want:  []string{"openwashing/medium"},
		},
		{
			name:  "open source claim over open terms",
			files: []spec{text("README.md", card("license: apache-2.0", "The tiny model is fully open source.\n")), weights("model.safetensors", 10)},
			want:  nil,
		},
		{
			name:  "open weights is not an open source claim",
			files: []spec{text("README.md", card("license: llama3.1", "We release the tiny model with open weights.\n")), weights("model.safetensors", 10)},
			want:  nil,
		},
		{
			name:  "open source claim over inherited terms",
			files: []spec{text("README.md", card("license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B", "The tiny model is fully open source.\n")), weights("model.safetensors", 10)},
			want:  []string{"license-conflict/high", "openwashing/medium"},
		},
		{
			name:  "card and LICENSE disagree",
			files: []spec{text("README.md", card("license: apache-2.0", "")), text("LICENSE", licenceText("MIT")), weights("model.safetensors", 10)},
			want:  []string{"license-mismatch/medium"},
		},
		{
			name:  "card and GGUF header disagree",
			files: []spec{text("README.md", card("license: apache-2.0", "")), {path: "tiny.gguf", header: `{"path":"tiny.gguf","format":"gguf","safety":"safe","license":"mit"}`}},
			want:  []string{"license-mismatch/medium"},
		},
		{
			name:  "weights without any licence",
			files: []spec{text("README.md", card("", "")), weights("model.safetensors", 10)},
			want:  []string{"license-missing/medium"},
		},
		{
			name:  "gated downloads",
			files: []spec{text("README.md", card("license: mit\nextra_gated_prompt: Tell us who you are.", "")), weights("model.safetensors", 10)},
			want:  []string{"gated/info"},
		},
		{
			name:  "broken front matter",
			files: []spec{text("README.md", card("license: [mit", "")), weights("model.safetensors", 10)},
			want:  []string{"card-unparseable/low", "license-missing/medium"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			var got []string
			for _, fi := range f.Findings {
				got = append(got, fi.ID+"/"+fi.Severity)
				if fi.Message == "" || len(fi.Evidence) == 0 {
					t.Errorf("finding %s: message %q evidence %v; want both", fi.ID, fi.Message, fi.Evidence)
				}
			}
			// Findings are ordered by severity; compare as sets and check the order separately.
			if diff := cmpDiff(sortStrings(tt.want), sortStrings(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for i := 1; i < len(f.Findings); i++ {
				if rank(f.Findings[i-1].Severity) > rank(f.Findings[i].Severity) {
					t.Errorf("findings not ordered by severity: %v", got)
				}
			}
		})
	}
}

func rank(sev string) int {
	return map[string]int{evidence.High: 0, evidence.Medium: 1, evidence.Low: 2, evidence.Info: 3}[sev]
}

func sortStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestClaims(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", card("license: mit", "The tiny model is fully open source.\n"))))
	if len(f.Claims) != 1 || f.Claims[0].Kind != "open-source" {
		t.Fatalf("claims = %+v, want one open-source claim", f.Claims)
	}
	for _, e := range f.Evidence {
		if e.ID == f.Claims[0].Evidence[0] && e.Location != "README.md:7" {
			t.Errorf("claim evidence at %q, want README.md:7", e.Location)
		}
	}
}

// TestStatusWithoutEvidence: "not found" means absent only when the whole release was seen.
func TestStatusWithoutEvidence(t *testing.T) {
	t.Parallel()
	t.Run("empty release", func(t *testing.T) {
		t.Parallel()
		for _, complete := range []bool{true, false} {
			f := detect(t, &release.Release{Complete: complete})
			if len(f.Components) != 17 {
				t.Fatalf("complete=%v: %d components, want 17", complete, len(f.Components))
			}
			for _, c := range f.Components {
				if c.Status != evidence.Unknown {
					t.Errorf("complete=%v: %s is %q, want unknown", complete, c.Name, c.Status)
				}
			}
			if f.HasCard || f.FilesSeen != 0 || f.Weights.Present || f.Weights.Known {
				t.Errorf("complete=%v: HasCard %v FilesSeen %d Weights %+v, want nothing", complete, f.HasCard, f.FilesSeen, f.Weights)
			}
			if len(f.Findings) != 0 {
				t.Errorf("complete=%v: findings %+v, want none", complete, f.Findings)
			}
		}
	})
	t.Run("incomplete inventory", func(t *testing.T) {
		t.Parallel()
		rel := build(text("README.md", card("license: mit", "")), weights("model.safetensors", 10), file("train.py"))
		rel.Complete = false
		f := detect(t, rel)
		want := map[component.ID]evidence.Status{
			component.ModelParameters: evidence.Present,
			component.TrainingCode:    evidence.Present,
			component.ModelCard:       evidence.Present,
		}
		for _, c := range f.Components {
			w, ok := want[c.ID]
			if !ok {
				w = evidence.Unknown
			}
			if c.Status != w {
				t.Errorf("%s: %q, want %q", c.Name, c.Status, w)
			}
		}
		if f.Complete {
			t.Errorf("Facts.Complete = true for an incomplete inventory")
		}
	})
	t.Run("complete inventory", func(t *testing.T) {
		t.Parallel()
		f := detect(t, build(text("README.md", card("license: mit", "")), weights("model.safetensors", 10)))
		for _, c := range f.Components {
			if c.ID != component.ModelParameters && c.ID != component.ModelCard && c.Status != evidence.Absent {
				t.Errorf("%s: %q, want absent", c.Name, c.Status)
			}
		}
	})
}

func TestComponentOrderAndNames(t *testing.T) {
	t.Parallel()
	f := detect(t, build(file("x.txt")))
	if len(f.Components) != len(component.All) {
		t.Fatalf("%d components, want %d", len(f.Components), len(component.All))
	}
	for i, info := range component.All {
		c := f.Components[i]
		if c.ID != info.ID || c.Name != info.Name || c.Type != string(info.Type) {
			t.Errorf("component %d = %d %q %q, want %d %q %q", i, c.ID, c.Name, c.Type, info.ID, info.Name, info.Type)
		}
	}
}

// richRelease exercises most detectors at once.
func richRelease() *release.Release {
	return build(
		text("README.md", card("license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\ndatasets:\n- acme/corpus\nlibrary_name: transformers\n"+modelIndex,
			"The tiny model is fully open source. Read the [technical report](https://arxiv.org/abs/2401.00001).\n\n## Training data\n\n"+longSection)),
		text("LICENSE", licenceText("Apache-2.0")), text("LICENSE-DATA", licenceText("CC-BY-4.0")),
		text("modeling_tiny.py", "# SPDX-License-Identifier: MIT\n"), file("train.py"), file("eval/run_eval.py"),
		file("data/prepare.py"), file("data/train.parquet"), file("eval/test.jsonl"), file("tokenizer.json"),
		text("config.json", `{"model_type": "tiny"}`), file("samples/out.png"), file("paper.pdf"),
		weights("model-00001-of-00002.safetensors", 600), weights("model-00002-of-00002.safetensors", 400),
		weights("checkpoints/step-100/model.safetensors", 1000), pointer("pytorch_model.bin"),
		spec{path: "tiny.gguf", header: `{"path":"tiny.gguf","format":"gguf","safety":"safe","license":"apache-2.0"}`},
		text("USE_POLICY.md", "Do not use the tiny model to harm people.\n"),
	)
}

func TestDetectIsDeterministic(t *testing.T) {
	t.Parallel()
	rel := richRelease()
	before := richRelease()
	a := detect(t, rel)
	b := evidence.Detect(rel, license.Default())
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(before, rel); diff != "" {
		t.Errorf("Detect changed the release (-before +after):\n%s", diff)
	}
	// Every component of the rich release is found, so every detector recorded evidence.
	for _, c := range a.Components {
		if c.Status != evidence.Present {
			t.Errorf("%s: %q, want present in the rich release", c.Name, c.Status)
		}
	}
}

func TestEvidenceExcerpts(t *testing.T) {
	t.Parallel()
	f := detect(t, richRelease())
	seen := map[string]bool{}
	for _, e := range f.Evidence {
		key := e.Kind + " " + e.Location
		if seen[key] {
			t.Errorf("evidence %s repeats %s", e.ID, key)
		}
		seen[key] = true
		if len(e.Excerpt) > 200+len("…") {
			t.Errorf("evidence %s excerpt is %d bytes, want at most 200", e.ID, len(e.Excerpt))
		}
		if strings.ContainsAny(e.Excerpt, "\n\t") {
			t.Errorf("evidence %s excerpt %q keeps line breaks or tabs", e.ID, e.Excerpt)
		}
	}
	for _, want := range []string{"card README.md:2", "file LICENSE:1", "header model-00001-of-00002.safetensors", "inventory pytorch_model.bin", "catalogue bases:meta-llama/llama-3.1-8b"} {
		if !seen[want] {
			t.Errorf("no evidence %q among %v", want, keys(seen))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sortStrings(out)
}

func TestConflictFromLicenceFileWithoutCardLicence(t *testing.T) {
	t.Parallel()
	rel := &release.Release{
		Complete: true,
		Files:    []release.File{{Path: "README.md", Size: 10}, {Path: "LICENSE", Size: 10}},
		Texts: []release.Text{
			{Path: "README.md", Content: "---\nbase_model: meta-llama/Llama-3.1-8B\n---\n# Tune\n\nA fine-tune.\n"},
			{Path: "LICENSE", Content: "SPDX-License-Identifier: MIT\n"},
		},
	}
	rel.Sort()
	f := evidence.Detect(rel, license.Default())
	var got []string
	for _, fi := range f.Findings {
		if fi.ID == "license-conflict" {
			got = append(got, fi.Severity+": "+fi.Message)
		}
	}
	want := "high: the licence file declares MIT but the base model meta-llama/Llama-3.1-8B is under LicenseRef-Llama-3.1-Community"
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Fatalf("conflict findings %q, want one starting %q", got, want)
	}
}

// TestLineageFromHubReleases: when the source read the base model and the datasets (the Hub
// source does), their own cards decide the inherited terms and the datasets' licences, ahead of
// the offline table of well-known bases.
func TestLineageFromHubReleases(t *testing.T) {
	t.Parallel()
	rel := build(text("README.md", card("license: apache-2.0\nbase_model: acme/base-7b\ndatasets:\n- acme/corpus", "# M\n\nA fine-tune.\n")), weights("model.safetensors", 10))
	base := build(text("README.md", card("license: cc-by-nc-4.0", "# Base\n\nThe base.\n")))
	base.Hub = &release.HubInfo{Kind: "model", ID: "acme/base-7b"}
	data := build(text("README.md", card("license: cc-by-4.0", "# Corpus\n\nText.\n")))
	data.Hub = &release.HubInfo{Kind: "dataset", ID: "acme/corpus"}
	rel.Parents, rel.Datasets = []*release.Release{base}, []*release.Release{data}
	f := detect(t, rel)
	if len(f.Lineage) != 1 || f.Lineage[0].License != "CC-BY-NC-4.0" || f.Lineage[0].Open {
		t.Fatalf("lineage %+v, want the base's own CC-BY-NC-4.0", f.Lineage)
	}
	if got := findings(f, "license-conflict"); len(got) != 1 {
		t.Errorf("license-conflict findings %d, want 1", len(got))
	}
	if f.Weights.Open {
		t.Error("weights open, want the inherited non-commercial terms to close them")
	}
	if len(f.Datasets) != 1 || f.Datasets[0].License != "CC-BY-4.0" {
		t.Errorf("datasets %+v, want acme/corpus under CC-BY-4.0", f.Datasets)
	}
	if c := f.Component(component.Datasets); c.License != "CC-BY-4.0" || !c.Open {
		t.Errorf("datasets component licence %q open=%v, want CC-BY-4.0 open", c.License, c.Open)
	}
	checkEvidenceIDs(t, f)
}

// TestInheritedRestrictionsNotRepeated: a derivative under its base's own licence lists each
// restriction once, not again as inherited.
func TestInheritedRestrictionsNotRepeated(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", card("license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B", "")), weights("model.safetensors", 10)))
	want := []string{"use policy (incorporated by reference)", "700M MAU cap"}
	if diff := cmpDiff(want, f.Weights.Restrictions); diff != "" {
		t.Errorf("restrictions (-want +got):\n%s", diff)
	}
}

// TestProseLineage: a base named only in the prose carries its terms when no declared base is
// known; a known declared base makes the prose irrelevant.
func TestProseLineage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, front, body string
		wantRefs          []string
		wantConflict      bool
	}{
		{"prose only", "license: cc-by-nc-4.0", "# M\n\nM is a Bloom fine-tuned model trained on tweets.\n", []string{"Bloom"}, true},
		{"unknown declared base", "license: wtfpl\nbase_model: someone/unknown-7b", "As this model is based on Llama 2, it is also subject to the Llama 2 licence.\n", []string{"hf:someone/unknown-7b", "Llama 2"}, true},
		{"known declared base wins", "license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B", "Based on Llama 2 ideas.\n", []string{"hf:meta-llama/Llama-3.1-8B"}, false},
		{"architecture only", "license: apache-2.0", "A decoder based on the Llama 2 architecture, trained from scratch.\n", nil, false},
		{"unknown family", "license: apache-2.0", "Based on Qwen2.5 with more data.\n", nil, false},
		{"same terms", "license: llama2", "This model is based on Llama 2.\n", []string{"Llama 2"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(text("README.md", card(tc.front, tc.body)), weights("model.safetensors", 10)))
			var refs []string
			for _, p := range f.Lineage {
				refs = append(refs, p.Ref)
				if p.Source == "prose" && (p.License == "" || len(p.Evidence) != 2) {
					t.Errorf("prose parent %+v lacks terms or evidence", p)
				}
			}
			if diff := cmpDiff(tc.wantRefs, refs); diff != "" {
				t.Errorf("lineage (-want +got):\n%s", diff)
			}
			if got := len(findings(f, "license-conflict")) > 0; got != tc.wantConflict {
				t.Errorf("license-conflict = %v, want %v: %+v", got, tc.wantConflict, f.Findings)
			}
		})
	}
}

// TestRelabelledOpenBase: a derivative of an open base may add conditions, never drop them.
func TestRelabelledOpenBase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		declared string
		conflict bool
	}{
		{"mit", true},         // Apache-2.0 base relabelled MIT: notice and patent terms dropped
		{"cc0-1.0", true},     // public domain dedication drops everything
		{"apache-2.0", false}, // same terms
		{"gpl-3.0", false},    // more conditions are allowed
		{"llama3.1", false},   // restrictive, not "more permissive": not this rule
	} {
		f := detect(t, build(text("README.md", card("license: "+tc.declared+"\nbase_model: Qwen/Qwen3-8B\nbase_model_relation: quantized", "")), weights("model.safetensors", 10)))
		got := findings(f, "license-conflict")
		if (len(got) > 0) != tc.conflict {
			t.Errorf("%s over Apache-2.0 base: conflict %v, want %v (%+v)", tc.declared, len(got) > 0, tc.conflict, got)
		}
		if tc.conflict && (got[0].Severity != "medium" || !strings.Contains(got[0].Message, "cannot be relabelled")) {
			t.Errorf("%s: finding %+v", tc.declared, got[0])
		}
	}
}

// TestParentData: a base model read from the Hub brings what its own card says of its training
// data and whether its downloads are gated.
func TestParentData(t *testing.T) {
	t.Parallel()
	rel := build(text("README.md", card("license: apache-2.0\nbase_model: acme/base-7b", "# M\n\nA fine-tune.\n")), weights("model.safetensors", 10))
	base := build(text("README.md", card("license: apache-2.0\ndatasets:\n- acme/web\n- acme/books", "# Base\n\nThe base.\n")))
	base.Hub = &release.HubInfo{Kind: "model", ID: "acme/base-7b", Gated: "auto"}
	web := build(text("README.md", card("license: odc-by", "# Web\n")))
	web.Hub = &release.HubInfo{Kind: "dataset", ID: "acme/web"}
	books := build(text("README.md", card("license: cc-by-nc-4.0", "# Books\n")))
	books.Hub = &release.HubInfo{Kind: "dataset", ID: "acme/books"}
	base.Datasets = []*release.Release{web, books}
	rel.Parents = []*release.Release{base}
	f := detect(t, rel)
	if len(f.Lineage) != 1 {
		t.Fatalf("lineage %+v", f.Lineage)
	}
	p := f.Lineage[0]
	if !p.DataRead || p.Gated != "auto" || len(p.Datasets) != 2 {
		t.Fatalf("parent %+v", p)
	}
	got := []string{}
	for _, d := range p.Datasets {
		got = append(got, fmt.Sprintf("%s %s %v", d.Ref, d.License, d.Open))
		if len(d.Evidence) != 2 {
			t.Errorf("%s evidence %v, want the base card's field and the dataset card's licence", d.Ref, d.Evidence)
		}
	}
	want := []string{"hf:datasets/acme/web ODC-By-1.0 true", "hf:datasets/acme/books CC-BY-NC-4.0 false"}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("parent datasets (-want +got):\n%s", diff)
	}
	checkEvidenceIDs(t, f)
}

// TestGGUFLineage: a quantization whose card declares no base keeps its lineage from the GGUF
// header's general.base_model.N.repo_url; a card's base_model wins when present.
func TestGGUFLineage(t *testing.T) {
	t.Parallel()
	gguf := func(urls ...string) spec {
		var bases []map[string]string
		for _, u := range urls {
			bases = append(bases, map[string]string{"name": "Base", "repo_url": u})
		}
		h, _ := json.Marshal(map[string]any{"path": "m.Q4_K_M.gguf", "format": "gguf", "parameters": 100, "safety": "safe", "architecture": "llama", "base_models": bases})
		return spec{path: "m.Q4_K_M.gguf", header: string(h)}
	}
	f := detect(t, build(text("README.md", card("license: mit", "# Quant\n")), gguf("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct", "https://huggingface.co/datasets/x/y", "not a url")))
	if len(f.Lineage) != 1 || f.Lineage[0].Ref != "hf:meta-llama/Llama-3.1-8B-Instruct" || f.Lineage[0].Source != "gguf" || f.Lineage[0].Key != "llama3.1" {
		t.Fatalf("lineage %+v", f.Lineage)
	}
	if got := findings(f, "license-conflict"); len(got) != 1 || got[0].Severity != "high" {
		t.Errorf("conflict findings %+v, want one high", got)
	}
	ev := f.Lineage[0].Evidence[0]
	for _, e := range f.Evidence {
		if e.ID == ev && e.Location != "m.Q4_K_M.gguf#general.base_model.0.repo_url" {
			t.Errorf("evidence location %q", e.Location)
		}
	}
	f = detect(t, build(text("README.md", card("license: apache-2.0\nbase_model: Qwen/Qwen3-8B", "# Quant\n")), gguf("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct")))
	if len(f.Lineage) != 1 || f.Lineage[0].Ref != "hf:Qwen/Qwen3-8B" {
		t.Errorf("with a card base_model, lineage %+v", f.Lineage)
	}
}

// TestRestrictionsOwnBeforeInherited checks that a restriction the release's own terms state is
// not repeated as inherited, and that every restriction keeps its term name beside it.
func TestRestrictionsOwnBeforeInherited(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", card("license: llama3.2\nbase_model: meta-llama/Llama-3.1-8B", "")), weights("model.safetensors", 10)))
	want := []string{"use policy (incorporated by reference)", "700M MAU cap", "geographic exclusion (EU (multimodal models))"}
	if diff := cmpDiff(want, f.Weights.Restrictions); diff != "" {
		t.Errorf("restrictions (-want +got):\n%s", diff)
	}
	if diff := cmpDiff([]string{"policy-by-reference", "user-cap", "geographic"}, f.Weights.RestrictionTerms); diff != "" {
		t.Errorf("restriction terms (-want +got):\n%s", diff)
	}
}
