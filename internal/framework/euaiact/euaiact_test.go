package euaiact_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/euaiact"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

const (
	P = framework.Pass
	F = framework.Fail
	U = framework.Unknown
)

// facts builds the Facts of a fully seen, exemplary release: Apache-2.0 weights with a
// header, a config and a library, a card with usage sections, public on the Hub, 7.3B
// parameters trained on 4T tokens. Each edit then breaks what a case needs.
func facts(edits ...func(*evidence.Facts)) *evidence.Facts {
	f := &evidence.Facts{
		Name: "tiny", Complete: true, HasCard: true, FilesSeen: 6,
		Weights: evidence.Weights{Present: true, Licenses: []string{"Apache-2.0"}, Known: true, Open: true, OSIApproved: true, Restrictions: []string{}, Evidence: []string{"E1"}},
		Library: &evidence.Library{Name: "transformers", License: "Apache-2.0", Why: "card library_name is transformers", Evidence: []string{"E4"}},
		Artifacts: []evidence.Artifact{
			{Path: "model.safetensors", Format: "safetensors", Parameters: 7_300_000_000, Safety: "safe", Evidence: []string{"E2"}},
		},
		Parameters:             7_300_000_000,
		TrainingTokens:         4_000_000_000_000,
		TrainingTokensEvidence: []string{"E6"},
		Usage: []evidence.UsageInfo{
			{Kind: evidence.UsageUses, Heading: "Intended Use", Evidence: []string{"E7"}},
			{Kind: evidence.UsageHowTo, Heading: "How to use", Evidence: []string{"E8"}},
			{Kind: evidence.UsageLimitations, Heading: "Limitations", Evidence: []string{"E9"}},
			{Kind: evidence.UsageModalities, Heading: "pipeline_tag: text-generation", Evidence: []string{"E10"}},
		},
		Access:   evidence.Access{Hub: true, Evidence: []string{"E11"}},
		Lineage:  []evidence.Parent{},
		Licenses: []evidence.License{},
	}
	for _, info := range component.All {
		f.Components = append(f.Components, evidence.Component{ID: info.ID, Name: info.Name, Type: string(info.Type), Status: evidence.Absent, Evidence: []string{}})
	}
	with(component.ModelParameters, evidence.Present, "model.safetensors", "E2")(f)
	with(component.ModelMetadata, evidence.Present, "config.json", "E3")(f)
	for _, e := range edits {
		e(f)
	}
	return f
}

// with sets one component's status, location and evidence.
func with(id component.ID, status evidence.Status, loc, ev string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		for i := range f.Components {
			if f.Components[i].ID == id {
				c := &f.Components[i]
				c.Status, c.Evidence, c.Locations = status, []string{ev}, nil
				if loc != "" {
					c.Locations = []string{loc}
				}
			}
		}
	}
}

// restriction is one restriction of the weights: its term name and its text.
type restriction struct{ term, text string }

// under replaces the weights' terms.
func under(known bool, restrictions ...restriction) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Weights.Known = known
		f.Weights.Open = known && len(restrictions) == 0
		f.Weights.Restrictions, f.Weights.RestrictionTerms = []string{}, []string{}
		for _, r := range restrictions {
			f.Weights.Restrictions = append(f.Weights.Restrictions, r.text)
			f.Weights.RestrictionTerms = append(f.Weights.RestrictionTerms, r.term)
		}
		f.Weights.Licenses = []string{"LicenseRef-Test"}
		if !known {
			f.Weights.Licenses = []string{}
		}
	}
}

func local(f *evidence.Facts) { f.Access = evidence.Access{Evidence: []string{}} }

func TestConditions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		facts   *evidence.Facts
		label   string
		results []framework.Result // licence, public, monetisation, systemic risk
	}{
		{"exemplary release", facts(), euaiact.Eligible, []framework.Result{P, P, P, P}},
		{"local copy leaves monetisation open", facts(local), euaiact.CannotDetermine, []framework.Result{P, P, U, P}},

		// Condition 1.
		{"unknown licence", facts(under(false)), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		{"non-commercial", facts(under(true, restriction{"non-commercial", "non-commercial"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"research only", facts(under(true, restriction{"non-commercial", "non-commercial"}, restriction{"research-only", "research only"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"user cap", facts(under(true, restriction{"user-cap", "700M MAU cap"}, restriction{"policy-by-reference", "use policy (incorporated by reference)"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"revenue cap", facts(under(true, restriction{"revenue-cap", "$1M revenue cap"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"commercial use limited", facts(under(true, restriction{"commercial-limited", "commercial use limited"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"no derivatives", facts(under(true, restriction{"no-derivatives", "no derivatives"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"geographic exclusion", facts(under(true, restriction{"geographic", "geographic exclusion (EU)"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"inherited cap", facts(under(true, restriction{"user-cap", "700M MAU cap (inherited from meta-llama/Llama-3.1-8B)"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"use policy only", facts(under(true, restriction{"use-policy", "use policy"})), euaiact.Eligible, []framework.Result{P, P, P, P}},
		{"policy file", facts(under(true, restriction{"use-policy", "use policy (USE_POLICY.md)"})), euaiact.Eligible, []framework.Result{P, P, P, P}},
		{"revocable terms", facts(under(true, restriction{"use-policy", "use policy"}, restriction{"revocable", "revocable or changeable terms"})), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		{"no training other models", facts(under(true, restriction{"no-training-others", "no training other models on outputs"})), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		{"unnamed term", facts(under(true, restriction{"", "something new"})), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		{"unclassified term", facts(under(true, restriction{"made-up", "something new"})), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		// The name decides, not the text: a use policy described as a cap still passes, and a
		// cap described as a use policy still fails.
		{"decided by name, not text (pass)", facts(under(true, restriction{"use-policy", "700M MAU cap"})), euaiact.Eligible, []framework.Result{P, P, P, P}},
		{"decided by name, not text (fail)", facts(under(true, restriction{"user-cap", "use policy"})), euaiact.NotEligible, []framework.Result{F, P, P, P}},
		{"restrictions without names", facts(under(true, restriction{"use-policy", "use policy"}), func(f *evidence.Facts) { f.Weights.RestrictionTerms = nil }), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		{"known but not open, no terms recorded", facts(under(true), func(f *evidence.Facts) { f.Weights.Open = false }), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},
		{"base with unknown licence", facts(func(f *evidence.Facts) {
			f.Lineage = []evidence.Parent{{Ref: "hf:org/base", Relation: "quantized", Evidence: []string{"E12"}}}
		}), euaiact.CannotDetermine, []framework.Result{U, P, P, P}},

		// Condition 2.
		{"no weights", facts(with(component.ModelParameters, evidence.Absent, "", "E2")), euaiact.NotEligible, []framework.Result{P, F, U, P}},
		{"weights not looked for", facts(with(component.ModelParameters, evidence.Unknown, "", "E2"), func(f *evidence.Facts) { f.Complete = false }), euaiact.CannotDetermine, []framework.Result{P, U, U, P}},
		{"click-through gate", facts(with(component.ModelParameters, evidence.Gated, "model.safetensors", "E2"), func(f *evidence.Facts) { f.Access.Gate = "auto" }), euaiact.CannotDetermine, []framework.Result{P, P, U, P}},
		{"approval by the provider", facts(func(f *evidence.Facts) { f.Access.Gate = "manual" }), euaiact.NotEligible, []framework.Result{P, F, U, P}},
		{"no usage information", facts(func(f *evidence.Facts) { f.Usage = nil }), euaiact.NotEligible, []framework.Result{P, F, P, P}},
		{"pipeline tag only", facts(func(f *evidence.Facts) { f.Usage = f.Usage[3:] }), euaiact.NotEligible, []framework.Result{P, F, P, P}},
		{"no card, incomplete inventory", facts(func(f *evidence.Facts) { f.Usage, f.HasCard, f.Complete = nil, false, false }), euaiact.CannotDetermine, []framework.Result{P, U, P, P}},
		{"no card, complete inventory", facts(func(f *evidence.Facts) { f.Usage, f.HasCard = nil, false }), euaiact.CannotDetermine, []framework.Result{P, U, P, P}},
		{"architecture from model code", facts(with(component.ModelArchitecture, evidence.Present, "modeling_tiny.py", "E5"), func(f *evidence.Facts) { f.Library = nil }), euaiact.Eligible, []framework.Result{P, P, P, P}},
		{"architecture from config only", facts(func(f *evidence.Facts) { f.Library = nil }), euaiact.Eligible, []framework.Result{P, P, P, P}},
		{"no architecture", facts(with(component.ModelMetadata, evidence.Absent, "", "E3"), func(f *evidence.Facts) { f.Library = nil }), euaiact.NotEligible, []framework.Result{P, F, P, P}},

		// Condition 3.
		{"form asks for personal data", facts(func(f *evidence.Facts) {
			f.Access.Gate, f.Access.Form = "auto", []string{"First Name", "Country", "I accept the licence"}
		}, with(component.ModelParameters, evidence.Gated, "model.safetensors", "E2")), euaiact.CannotDetermine, []framework.Result{P, P, U, P}},

		// Condition 4.
		{"above the threshold", facts(func(f *evidence.Facts) { f.Parameters, f.TrainingTokens = 405_000_000_000, 15_600_000_000_000 }), euaiact.NotEligible, []framework.Result{P, P, P, F}},
		{"tokens unknown", facts(func(f *evidence.Facts) { f.TrainingTokens, f.TrainingTokensEvidence = 0, nil }), euaiact.CannotDetermine, []framework.Result{P, P, P, U}},
		{"parameters unknown", facts(func(f *evidence.Facts) { f.Parameters, f.Artifacts = 0, nil }), euaiact.CannotDetermine, []framework.Result{P, P, P, U}},
		{"adapter", facts(func(f *evidence.Facts) {
			f.Lineage = []evidence.Parent{{Ref: "hf:org/base", Relation: "adapter", License: "Apache-2.0", Open: true, Evidence: []string{"E12"}}}
		}), euaiact.CannotDetermine, []framework.Result{P, P, P, U}},
		{"fine-tune below the threshold", facts(func(f *evidence.Facts) {
			f.Lineage = []evidence.Parent{{Ref: "hf:org/base", Relation: "finetune", License: "Apache-2.0", Open: true, Evidence: []string{"E12"}}}
		}), euaiact.CannotDetermine, []framework.Result{P, P, P, U}},
		{"quantisation keeps the estimate", facts(func(f *evidence.Facts) {
			f.Lineage = []evidence.Parent{{Ref: "hf:org/base", Relation: "quantized", License: "Apache-2.0", Open: true, Evidence: []string{"E12"}}}
		}), euaiact.Eligible, []framework.Result{P, P, P, P}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := euaiact.Evaluate(tt.facts)
			if v.Framework != "euaiact" {
				t.Errorf("Framework = %q, want euaiact", v.Framework)
			}
			var got []framework.Result
			for _, r := range v.Reasons {
				got = append(got, r.Result)
			}
			if diff := cmp.Diff(tt.results, got); diff != "" {
				for _, r := range v.Reasons {
					t.Logf("%s: %s — %s", r.Criterion, r.Result, r.Detail)
				}
				t.Errorf("results (-want +got):\n%s", diff)
			}
			if v.Label != tt.label {
				t.Errorf("Label = %q, want %q", v.Label, tt.label)
			}
			checkVerdict(t, v)
		})
	}
}

// checkVerdict asserts what every verdict owes its reader: the four conditions in order, a
// detail and evidence for each, a fix for each that did not pass and none for those that did,
// and the notes.
func checkVerdict(t *testing.T, v framework.Verdict) {
	t.Helper()
	criteria := []string{
		"licence grants access, use, modification and redistribution",
		"weights, architecture and usage information public",
		"no monetisation",
		"not a model with systemic risk",
	}
	if len(v.Reasons) != len(criteria) {
		t.Fatalf("%d reasons, want %d", len(v.Reasons), len(criteria))
	}
	for i, r := range v.Reasons {
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
	if diff := cmp.Diff(euaiact.Notes, v.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestNotes(t *testing.T) {
	t.Parallel()
	joined := strings.Join(euaiact.Notes, "\n")
	for _, want := range []string{"Not legal advice", "copyright", "Article 53(1)(c)", "summary of the content used for training", "Article 53(1)(d)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes do not mention %q", want)
		}
	}
	// Notes hold whatever the label.
	for _, f := range []*evidence.Facts{facts(), facts(under(true, restriction{"non-commercial", "non-commercial"})), facts(local), {}} {
		if v := euaiact.Evaluate(f); len(v.Notes) != len(euaiact.Notes) {
			t.Errorf("label %s: %d notes, want %d", v.Label, len(v.Notes), len(euaiact.Notes))
		}
	}
}

func TestDetails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		facts *evidence.Facts
		index int
		want  []string // substrings of the detail
		fix   string   // substring of the fix
	}{
		{"estimate", facts(), 3, []string{"6 × 7.30e9 parameters × 4.00e12 tokens ≈ 1.75e23 FLOP, below 10^25"}, ""},
		{"above", facts(func(f *evidence.Facts) { f.Parameters, f.TrainingTokens = 405_000_000_000, 15_600_000_000_000 }), 3,
			[]string{"6 × 4.05e11 parameters × 1.56e13 tokens ≈ 3.79e25 FLOP, above 10^25"}, "Article 52(2)"},
		{"missing tokens", facts(func(f *evidence.Facts) { f.TrainingTokens = 0 }), 3, []string{"number of training tokens"}, "trained on 2 trillion tokens"},
		{"missing parameters", facts(func(f *evidence.Facts) { f.Parameters = 0 }), 3, []string{"the parameter count"}, "headers"},
		{"missing both", facts(func(f *evidence.Facts) { f.Parameters, f.TrainingTokens = 0, 0 }), 3, []string{"the parameter count", "and the number of training tokens"}, ""},
		{"fine-tune", facts(func(f *evidence.Facts) {
			f.Lineage = []evidence.Parent{{Ref: "hf:org/base", Relation: "finetune", License: "MIT", Open: true, Evidence: []string{"E12"}}}
		}), 3, []string{"derives from org/base", "base's training compute"}, "base model's training tokens"},
		{"use policy said so", facts(under(true, restriction{"use-policy", "use policy"})), 0, []string{"LicenseRef-Test", "only bans harmful uses"}, ""},
		{"cap named", facts(under(true, restriction{"user-cap", "700M MAU cap (inherited from org/base)"})), 0,
			[]string{"700M MAU cap (inherited from org/base): needs a separate licence above a number of users"}, "Apache-2.0"},
		{"unknown licence", facts(under(false)), 0, []string{"no identifiable licence"}, "LICENSE"},
		{"base unknown", facts(func(f *evidence.Facts) {
			f.Lineage = []evidence.Parent{{Ref: "hf:org/base", Relation: "finetune", Evidence: []string{"E12"}}}
		}), 0, []string{"org/base is unknown", "inherits"}, "Hub source"},
		{"public", facts(), 1, []string{"weights (model.safetensors)", "architecture (implemented by transformers)", "usage information (intended uses, how to use, limitations, inputs and outputs)"}, ""},
		{"gate is public", facts(with(component.ModelParameters, evidence.Gated, "model.safetensors", "E2")), 1, []string{"behind a click-through, which keeps them public"}, ""},
		{"approval", facts(func(f *evidence.Facts) { f.Access.Gate = "manual" }), 1, []string{"only to users the provider approves"}, "click-through"},
		{"usage lacking", facts(func(f *evidence.Facts) { f.Usage = f.Usage[1:2] }), 1, []string{"usage information (how to use; the card has no section on intended uses or limitations or inputs and outputs)"}, ""},
		{"no usage", facts(func(f *evidence.Facts) { f.Usage = nil }), 1, []string{"no usage information in the card"}, "intended uses"},
		{"monetisation public", facts(), 2, []string{"publicly and ungated", "cannot be seen"}, ""},
		{"monetisation local", facts(local), 2, []string{"cannot be determined", "cannot-determine at best"}, "hf:ORG/NAME"},
		{"personal data", facts(func(f *evidence.Facts) { f.Access.Form = []string{"Full name", "Email", "I agree"} }), 2,
			[]string{"personal data (Full name, Email)", "security, compatibility or interoperability"}, "personal-data fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := euaiact.Evaluate(tt.facts).Reasons[tt.index]
			for _, w := range tt.want {
				if !strings.Contains(r.Detail, w) {
					t.Errorf("%s: detail %q does not contain %q", r.Criterion, r.Detail, w)
				}
			}
			if !strings.Contains(r.Fix, tt.fix) {
				t.Errorf("%s: fix %q does not contain %q", r.Criterion, r.Fix, tt.fix)
			}
		})
	}
}

func TestEvidence(t *testing.T) {
	t.Parallel()
	want := [][]string{
		{"E1"},                                // weights terms
		{"E2", "E4", "E7", "E8", "E9", "E10"}, // weights, library, usage
		{"E11", "E2"},                         // hub access, weights
		{"E6", "E2"},                          // token statement, weights header
	}
	for i, r := range euaiact.Evaluate(facts()).Reasons {
		if diff := cmp.Diff(want[i], r.Evidence); diff != "" {
			t.Errorf("%s evidence (-want +got):\n%s", r.Criterion, diff)
		}
	}
}

// TestFromRelease runs the detectors over a small release: a card that says the model was
// trained on 2 trillion tokens and a 1B-parameter weights file.
func TestFromRelease(t *testing.T) {
	t.Parallel()
	readme := "---\nlicense: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n" +
		"# Tiny\n\nA small model we trained to test our own tools; it writes short replies.\n\n" +
		"## Training\n\nTiny was trained on 2 trillion tokens of public web text.\n\n" +
		"## Intended Use\n\nDrafting short replies in English. It is not meant for medical or legal advice.\n\n" +
		"## Limitations\n\nIt makes facts up and knows little about events after its training data was collected.\n"
	header := `{"path":"model.safetensors","format":"safetensors","parameters":1000000000,"safety":"safe"}`
	rel := &release.Release{Name: "tiny", Target: "hf:org/tiny", Complete: true, Hub: &release.HubInfo{Kind: "model", ID: "org/tiny"}}
	rel.Files = []release.File{
		{Path: "README.md", Size: int64(len(readme))},
		{Path: "config.json", Size: 30},
		{Path: "model.safetensors", Size: 2_000_000_000, Header: []byte(header)},
	}
	rel.Texts = []release.Text{{Path: "README.md", Content: readme}, {Path: "config.json", Content: `{"model_type":"tiny"}`}}
	rel.Sort()
	f := evidence.Detect(rel, license.Default())
	if f.Parameters != 1e9 || f.TrainingTokens != 2e12 {
		t.Fatalf("Parameters = %d, TrainingTokens = %d; want 1e9 and 2e12", f.Parameters, f.TrainingTokens)
	}
	v := euaiact.Framework.Evaluate(f)
	for _, r := range v.Reasons {
		t.Logf("%s: %s — %s %v", r.Criterion, r.Result, r.Detail, r.Evidence)
	}
	if v.Label != euaiact.Eligible {
		t.Errorf("Label = %q, want %q", v.Label, euaiact.Eligible)
	}
	r := v.Reasons[3]
	if want := "6 × 1.00e9 parameters × 2.00e12 tokens ≈ 1.20e22 FLOP, below 10^25"; r.Result != framework.Pass || r.Detail != want {
		t.Errorf("systemic risk = %s %q, want pass %q", r.Result, r.Detail, want)
	}
	// The reason cites the token statement, at its line of the card.
	cited := map[string]string{}
	for _, e := range f.Evidence {
		cited[e.ID] = e.Location
	}
	if len(r.Evidence) == 0 || cited[r.Evidence[0]] != "README.md:12" {
		t.Errorf("systemic risk cites %v (%q first), want README.md:12 first", r.Evidence, cited[firstID(r.Evidence)])
	}
	checkVerdict(t, v)
}

func firstID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func TestFramework(t *testing.T) {
	t.Parallel()
	if euaiact.Framework.Name != "euaiact" || euaiact.Framework.Title == "" || euaiact.Framework.Doc == "" || euaiact.Framework.Evaluate == nil {
		t.Errorf("Framework = %+v: want name euaiact, a title, a doc and Evaluate", euaiact.Framework)
	}
	// The zero Facts (nothing seen) is judged without panicking and never eligible.
	if v := euaiact.Evaluate(&evidence.Facts{}); v.Label != euaiact.CannotDetermine {
		t.Errorf("empty facts: Label = %q, want %q", v.Label, euaiact.CannotDetermine)
	}
}

// TestMixtureOfExpertsCompute: the estimate uses activated parameters when known, and a total
// over the threshold is only an upper bound otherwise.
func TestMixtureOfExpertsCompute(t *testing.T) {
	t.Parallel()
	big := func(f *evidence.Facts) { f.Parameters, f.TrainingTokens = 671e9, 14.8e12 }
	tests := []struct {
		name   string
		moe    *evidence.MoE
		result framework.Result
		detail string
	}{
		{"dense", nil, F, "6 × 6.71e11 parameters × 1.48e13 tokens ≈ 5.96e25 FLOP, above 10^25"},
		{"activated from the card", &evidence.MoE{Experts: 256, PerToken: 8, Active: 37e9, Source: "card", Evidence: []string{"E30"}}, P,
			"6 × 3.70e10 activated parameters (mixture of 256 experts, 8 per token; from the card) × 1.48e13 tokens ≈ 3.29e24 FLOP, below 10^25"},
		{"activated count unknown", &evidence.MoE{Experts: 256, PerToken: 8, Evidence: []string{"E30"}}, U,
			"an upper bound) × 1.48e13 tokens ≈ 5.96e25 FLOP: the upper bound is above 10^25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := facts(big, func(f *evidence.Facts) { f.MoE = tt.moe })
			r := euaiact.Framework.Evaluate(f).Reasons[3]
			if r.Result != tt.result || !strings.Contains(r.Detail, tt.detail) {
				t.Errorf("systemic risk = %s %q, want %s containing %q", r.Result, r.Detail, tt.result, tt.detail)
			}
			if tt.moe != nil && !slices.Contains(r.Evidence, "E30") {
				t.Errorf("evidence %v does not cite the expert layout E30", r.Evidence)
			}
			if r.Result != P && r.Fix == "" {
				t.Error("no fix")
			}
		})
	}
}
