package g7_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/g7"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// facts builds the Facts of a release that was fully seen and holds none of the components;
// each edit then adds what a case needs.
func facts(edits ...func(*evidence.Facts)) *evidence.Facts {
	f := &evidence.Facts{Name: "tiny", Complete: true, HasCard: true, FilesSeen: 3, Weights: evidence.Weights{Licenses: []string{}, Restrictions: []string{}, Evidence: []string{}}}
	for _, info := range component.All {
		f.Components = append(f.Components, evidence.Component{ID: info.ID, Name: info.Name, Type: string(info.Type), Status: evidence.Absent, Evidence: []string{}})
	}
	for _, e := range edits {
		e(f)
	}
	return f
}

// with sets one component's status and licence; ev is the evidence id it cites.
func with(id component.ID, status evidence.Status, lic string, open bool, ev string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		for i := range f.Components {
			if f.Components[i].ID == id {
				c := &f.Components[i]
				c.Status, c.License, c.Open, c.Evidence = status, lic, open, []string{ev}
				if status == evidence.Present || status == evidence.Gated {
					c.Locations = []string{strings.ToLower(strings.ReplaceAll(c.Name, " ", "_"))}
				}
			}
		}
		if id == component.DataCard && status == evidence.Present {
			describes(evidence.DataSubstantive, ev, 5)(f)
		}
	}
}

// describes sets the Data Information judgement: the first n of the five elements found at
// data_card:3, citing ev.
func describes(level, ev string, n int) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		d := evidence.DataInfo{Level: level, Places: []string{"data_card"}, Evidence: []string{ev}}
		for i, name := range []string{evidence.ElemSources, evidence.ElemScope, evidence.ElemCollection, evidence.ElemProcessing, evidence.ElemLabelling} {
			e := evidence.DataElement{Name: name, Evidence: []string{}}
			if i < n {
				e.Found, e.Where, e.Evidence = true, []string{"data_card:3"}, []string{ev}
			}
			d.Elements = append(d.Elements, e)
		}
		f.DataInfo = d
	}
}

// weightsUnder puts final weights in the release under the given terms.
func weightsUnder(w evidence.Weights) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		w.Present = true
		if w.Evidence == nil {
			w.Evidence = []string{"E2"}
		}
		f.Weights = w
		f.Parameters = 7_000_000_000
		with(component.ModelParameters, evidence.Present, strings.Join(w.Licenses, " AND "), w.Open, "E1")(f)
	}
}

func openWeights(f *evidence.Facts) {
	weightsUnder(evidence.Weights{Licenses: []string{"Apache-2.0"}, Known: true, Open: true, OSIApproved: true})(f)
	with(component.InferenceCode, evidence.Present, "Apache-2.0", true, "E3")(f)
}

func allUnknown(f *evidence.Facts) {
	for i := range f.Components {
		f.Components[i].Status = evidence.Unknown
	}
}

const (
	P = framework.Pass
	F = framework.Fail
	U = framework.Unknown
)

func TestTiers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		facts *evidence.Facts
		label string
		// results of: weights released, deployment code, weights terms, deployment terms,
		// training code, data information, full data.
		results []framework.Result
	}{
		{
			name:    "empty release",
			facts:   facts(func(f *evidence.Facts) { f.HasCard, f.FilesSeen, f.Complete = false, 0, false }, allUnknown),
			label:   g7.InsufficientEvidence,
			results: []framework.Result{U, U, U, U, U, U, U},
		},
		{
			name:    "incomplete inventory without weights",
			facts:   facts(func(f *evidence.Facts) { f.Complete = false }, allUnknown),
			label:   g7.InsufficientEvidence,
			results: []framework.Result{U, U, U, U, U, U, U},
		},
		{
			name:    "no weights",
			facts:   facts(with(component.ModelCard, evidence.Present, "", false, "E1")),
			label:   g7.Closed,
			results: []framework.Result{F, F, U, F, F, F, F},
		},
		{
			name: "no weights but inference code",
			facts: facts(
				with(component.InferenceCode, evidence.Present, "MIT", true, "E1"),
				with(component.TrainingCode, evidence.Present, "MIT", true, "E2"),
			),
			label:   g7.Closed,
			results: []framework.Result{F, P, U, P, P, F, F},
		},
		{
			name: "non-commercial weights",
			facts: facts(
				weightsUnder(evidence.Weights{Licenses: []string{"CC-BY-NC-4.0"}, Known: true, Restrictions: []string{"non-commercial"}}),
				with(component.InferenceCode, evidence.Present, "Apache-2.0", true, "E3"),
			),
			label:   g7.WeightsAvailable,
			results: []framework.Result{P, P, F, P, F, F, F},
		},
		{
			name: "apache card over a Llama base",
			facts: facts(
				weightsUnder(evidence.Weights{
					Licenses: []string{"Apache-2.0", "LicenseRef-Llama-3.1-Community"}, Known: true,
					Restrictions: []string{"700M MAU cap (inherited from meta-llama/Llama-3.1-8B)"},
				}),
				with(component.InferenceCode, evidence.Present, "Apache-2.0", true, "E3"),
				with(component.TrainingCode, evidence.Present, "Apache-2.0", true, "E4"),
				with(component.DataCard, evidence.Present, "Apache-2.0", true, "E5"),
			),
			label:   g7.WeightsAvailable,
			results: []framework.Result{P, P, F, P, P, P, F},
		},
		{
			name: "restricted weights without deployment code",
			facts: facts(
				weightsUnder(evidence.Weights{Licenses: []string{"CC-BY-NC-4.0"}, Known: true, Restrictions: []string{"non-commercial"}}),
			),
			label:   g7.WeightsAvailable,
			results: []framework.Result{P, F, F, F, F, F, F},
		},
		{
			name: "open weights with restricted deployment code",
			facts: facts(
				weightsUnder(evidence.Weights{Licenses: []string{"Apache-2.0"}, Known: true, Open: true, OSIApproved: true}),
				with(component.InferenceCode, evidence.Present, "CC-BY-NC-4.0", false, "E3"),
			),
			label:   g7.WeightsAvailable,
			results: []framework.Result{P, P, P, F, F, F, F},
		},
		{
			name:    "open weights",
			facts:   facts(openWeights),
			label:   g7.OpenWeights,
			results: []framework.Result{P, P, P, P, F, F, F},
		},
		{
			name:    "open weights with restricted training code",
			facts:   facts(openWeights, with(component.TrainingCode, evidence.Present, "CC-BY-NC-4.0", false, "E4"), with(component.DataCard, evidence.Present, "", false, "E5")),
			label:   g7.OpenWeights,
			results: []framework.Result{P, P, P, P, F, P, F},
		},
		{
			name:    "open weights with training code but no data information",
			facts:   facts(openWeights, with(component.TrainingCode, evidence.Present, "MIT", true, "E4")),
			label:   g7.OpenWeights,
			results: []framework.Result{P, P, P, P, P, F, F},
		},
		{
			name:    "open source AI with a data card",
			facts:   facts(openWeights, with(component.TrainingCode, evidence.Present, "MIT", true, "E4"), with(component.DataCard, evidence.Present, "CC-BY-4.0", true, "E5")),
			label:   g7.OpenSourceAI,
			results: []framework.Result{P, P, P, P, P, P, F},
		},
		{
			name: "open source AI with datasets named by reference",
			facts: facts(openWeights, with(component.TrainingCode, evidence.Present, "MIT", true, "E4"),
				with(component.DataCard, evidence.Present, "", false, "E5"), with(component.Datasets, evidence.Present, "", false, "E6")),
			label:   g7.OpenSourceAI,
			results: []framework.Result{P, P, P, P, P, P, U},
		},
		{
			name: "open source AI with non-commercial data",
			facts: facts(openWeights, with(component.TrainingCode, evidence.Present, "MIT", true, "E4"),
				with(component.DataCard, evidence.Present, "", false, "E5"), with(component.Datasets, evidence.Present, "CC-BY-NC-4.0", false, "E6")),
			label:   g7.OpenSourceAI,
			results: []framework.Result{P, P, P, P, P, P, F},
		},
		{
			name:    "open source AI with open data",
			facts:   facts(openWeights, with(component.TrainingCode, evidence.Present, "MIT", true, "E4"), with(component.Datasets, evidence.Present, "CC-BY-4.0", true, "E6")),
			label:   g7.OpenSourceAIOpenData,
			results: []framework.Result{P, P, P, P, P, P, P},
		},
		{
			name:    "gated open weights",
			facts:   facts(openWeights, with(component.ModelParameters, evidence.Gated, "Apache-2.0", true, "E1")),
			label:   g7.OpenWeights,
			results: []framework.Result{P, P, P, P, F, F, F},
		},
		{
			name: "weights without a licence",
			facts: facts(
				weightsUnder(evidence.Weights{Licenses: []string{}}),
				with(component.InferenceCode, evidence.Present, "Apache-2.0", true, "E3"),
			),
			label:   g7.InsufficientEvidence,
			results: []framework.Result{P, P, U, P, F, F, F},
		},
		{
			name: "open weights, inference code without a licence",
			facts: facts(
				weightsUnder(evidence.Weights{Licenses: []string{"Apache-2.0"}, Known: true, Open: true, OSIApproved: true}),
				with(component.InferenceCode, evidence.Present, "", false, "E3"),
			),
			label:   g7.InsufficientEvidence,
			results: []framework.Result{P, P, P, U, F, F, F},
		},
		{
			name:    "open weights, no deployment code",
			facts:   facts(weightsUnder(evidence.Weights{Licenses: []string{"Apache-2.0"}, Known: true, Open: true, OSIApproved: true})),
			label:   g7.InsufficientEvidence,
			results: []framework.Result{P, F, P, F, F, F, F},
		},
		{
			name: "incomplete inventory with open weights",
			facts: facts(allUnknown, func(f *evidence.Facts) { f.Complete = false }, openWeights,
				with(component.TrainingCode, evidence.Present, "MIT", true, "E4"), with(component.Datasets, evidence.Present, "", false, "E6")),
			label:   g7.OpenWeights,
			results: []framework.Result{P, P, P, P, P, U, U},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := g7.Evaluate(tt.facts)
			if v.Framework != "g7" {
				t.Errorf("Framework = %q, want g7", v.Framework)
			}
			if v.Label != tt.label {
				t.Errorf("Label = %q, want %q", v.Label, tt.label)
			}
			var got []framework.Result
			for _, r := range v.Reasons {
				got = append(got, r.Result)
			}
			if diff := cmp.Diff(tt.results, got); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
			checkReasons(t, v.Reasons)
		})
	}
}

// checkReasons asserts what every G7 verdict owes its reader: the seven criteria in order, a
// detail for each, evidence for each (never null), and a fix for each failure.
func checkReasons(t *testing.T, rs []framework.Reason) {
	t.Helper()
	criteria := []string{
		"weights released", "deployment code released", "weights under an Open Source licence",
		"deployment code under an Open Source licence", "training code under an Open Source licence",
		"training data or Data Information", "full training data under open terms",
	}
	if len(rs) != len(criteria) {
		t.Fatalf("%d reasons, want %d", len(rs), len(criteria))
	}
	for i, r := range rs {
		if r.Criterion != criteria[i] {
			t.Errorf("reason %d criterion %q, want %q", i, r.Criterion, criteria[i])
		}
		if r.Detail == "" {
			t.Errorf("%s: no detail", r.Criterion)
		}
		if r.Evidence == nil {
			t.Errorf("%s: evidence is nil, want a non-nil slice", r.Criterion)
		}
		if r.Result != framework.Pass && r.Fix == "" {
			t.Errorf("%s is %s without a fix (%s)", r.Criterion, r.Result, r.Detail)
		}
		if r.Result == framework.Pass && r.Fix != "" {
			t.Errorf("%s passed but carries a fix %q", r.Criterion, r.Fix)
		}
	}
}

func TestReasonDetails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		facts *evidence.Facts
		index int
		want  []string // substrings of the detail
	}{
		{"weights and size", facts(openWeights), 0, []string{"weights present", "7B parameters"}},
		{"gate", facts(openWeights, with(component.ModelParameters, evidence.Gated, "Apache-2.0", true, "E1")), 0, []string{"click-through gate"}},
		{"library", facts(openWeights, func(f *evidence.Facts) {
			for i := range f.Components {
				if f.Components[i].ID == component.InferenceCode {
					f.Components[i].Locations = []string{"library:transformers"}
					f.Components[i].Note = "implemented by transformers (config.json names model_type tiny)"
				}
			}
		}), 1, []string{"library:transformers", "implemented by transformers"}},
		{"restrictions", facts(weightsUnder(evidence.Weights{
			Licenses: []string{"Apache-2.0", "LicenseRef-Llama-3.1-Community"}, Known: true,
			Restrictions: []string{"700M MAU cap (inherited from meta-llama/Llama-3.1-8B)"},
		})), 2, []string{"Apache-2.0 AND LicenseRef-Llama-3.1-Community", "inherited from meta-llama/Llama-3.1-8B"}},
		{"open data", facts(openWeights, with(component.Datasets, evidence.Present, "CC-BY-4.0", true, "E6")), 6, []string{"CC-BY-4.0"}},
		{"named restricted data, no card", facts(openWeights, with(component.Datasets, evidence.Present, "CC-BY-NC-4.0", false, "E6")), 5, []string{"training datasets named (datasets)", "CC-BY-NC-4.0, not open terms", "not described"}},
		{"named data, licences unread", facts(openWeights, with(component.Datasets, evidence.Present, "", false, "E6")), 5, []string{"neither their licences nor a substantive description"}},
		{"named data and a card", facts(openWeights, with(component.Datasets, evidence.Present, "CC-BY-NC-4.0", false, "E6"), with(component.DataCard, evidence.Present, "", false, "E7")), 5, []string{"Data Information: found sources (data_card:3)", "labelling (data_card:3)"}},
		{"partial description", facts(openWeights, describes(evidence.DataPartial, "E7", 2)), 5, []string{"described only in part", "missing collection, processing, labelling"}},
		{"an overview", facts(openWeights, describes(evidence.DataOverview, "E7", 1)), 5, []string{"only an overview", "found sources (data_card:3)", "missing scope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := g7.Evaluate(tt.facts).Reasons[tt.index]
			if r.Result != framework.Pass && r.Fix == "" {
				t.Errorf("%s: %s without a fix", r.Criterion, r.Result)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Detail, w) {
					t.Errorf("%s: detail %q does not contain %q", r.Criterion, r.Detail, w)
				}
			}
		})
	}
}

func TestReasonEvidence(t *testing.T) {
	t.Parallel()
	f := facts(openWeights, with(component.TrainingCode, evidence.Present, "MIT", true, "E4"),
		with(component.DataCard, evidence.Present, "", false, "E5"), with(component.Datasets, evidence.Present, "", false, "E6"))
	want := [][]string{{"E1"}, {"E3"}, {"E2"}, {"E3"}, {"E4"}, {"E6", "E5"}, {"E6"}}
	for i, r := range g7.Evaluate(f).Reasons {
		if diff := cmp.Diff(want[i], r.Evidence); diff != "" {
			t.Errorf("%s evidence (-want +got):\n%s", r.Criterion, diff)
		}
	}
}

// TestTiersFromReleases runs the detectors over small releases, end to end.
func TestTiersFromReleases(t *testing.T) {
	t.Parallel()
	const body = "# Tiny\n\nA small model we trained to test our own tools; it writes short replies.\n"
	const dataCard = "Sources: the Tiny Books corpus (https://example.org/tiny-books) and public forum posts.\n" +
		"Size: 2 billion tokens in English, posts from 2015 to 2020.\n" +
		"Collected by crawling the forum with its owners' permission; books selected by licence.\n" +
		"Deduplicated and filtered for personal information.\n"
	lic := func(id string) string { return "SPDX-License-Identifier: " + id + "\nShared by the tiny model team.\n" }
	st := `{"path":"model.safetensors","format":"safetensors","parameters":1000,"safety":"safe"}`
	tests := []struct {
		name  string
		texts map[string]string
		files []string
		label string
	}{
		{"empty", nil, nil, g7.InsufficientEvidence},
		{"card only", map[string]string{"README.md": "---\nlicense: mit\n---\n" + body}, nil, g7.Closed},
		{"weights without licence", map[string]string{"config.json": `{"model_type":"tiny"}`}, []string{"model.safetensors"}, g7.InsufficientEvidence},
		{"non-commercial", map[string]string{"README.md": "---\nlicense: cc-by-nc-4.0\n---\n" + body, "config.json": `{"model_type":"tiny"}`}, []string{"model.safetensors"}, g7.WeightsAvailable},
		{"apache over llama", map[string]string{"README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n" + body, "config.json": `{"model_type":"tiny"}`}, []string{"model.safetensors"}, g7.WeightsAvailable},
		{"open weights", map[string]string{"README.md": "---\nlicense: apache-2.0\n---\n" + body, "config.json": `{"model_type":"tiny"}`}, []string{"model.safetensors"}, g7.OpenWeights},
		{"open source AI", map[string]string{"README.md": "---\nlicense: apache-2.0\n---\n" + body, "config.json": `{"model_type":"tiny"}`, "DATA_CARD.md": dataCard}, []string{"model.safetensors", "train.py"}, g7.OpenSourceAI},
		{"open source AI but the data card is an overview", map[string]string{"README.md": "---\nlicense: apache-2.0\n---\n" + body, "config.json": `{"model_type":"tiny"}`, "DATA_CARD.md": "Books and forum posts, about 2 billion tokens.\n"}, []string{"model.safetensors", "train.py"}, g7.OpenWeights},
		{"open data", map[string]string{"LICENSE": lic("Apache-2.0"), "LICENSE-DATA": lic("CC-BY-4.0"), "README.md": body, "config.json": `{"model_type":"tiny"}`}, []string{"model.safetensors", "train.py", "data/train.parquet"}, g7.OpenSourceAIOpenData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rel := &release.Release{Complete: true}
			for p, c := range tt.texts {
				rel.Files = append(rel.Files, release.File{Path: p, Size: int64(len(c))})
				rel.Texts = append(rel.Texts, release.Text{Path: p, Content: c})
			}
			for _, p := range tt.files {
				f := release.File{Path: p, Size: 100}
				if p == "model.safetensors" {
					f.Header = []byte(st)
				}
				rel.Files = append(rel.Files, f)
			}
			rel.Sort()
			v := g7.Framework.Evaluate(evidence.Detect(rel, license.Default()))
			if v.Label != tt.label {
				for _, r := range v.Reasons {
					t.Logf("%s: %s (%s)", r.Criterion, r.Result, r.Detail)
				}
				t.Errorf("Label = %q, want %q", v.Label, tt.label)
			}
			checkReasons(t, v.Reasons)
		})
	}
}

func TestNamesCoverEveryTier(t *testing.T) {
	t.Parallel()
	for _, tier := range []string{g7.InsufficientEvidence, g7.Closed, g7.WeightsAvailable, g7.OpenWeights, g7.OpenSourceAI, g7.OpenSourceAIOpenData} {
		if g7.Names[tier] == "" {
			t.Errorf("no display name for tier %q", tier)
		}
	}
	if g7.Framework.Name != "g7" || g7.Framework.Doc == "" || g7.Framework.Evaluate == nil {
		t.Errorf("Framework = %+v: want name g7, a doc and Evaluate", g7.Framework)
	}
}
