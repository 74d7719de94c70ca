package osaid_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/osaid"
)

// codeIDs are the code components of OSAID's checklist.
var codeIDs = []component.ID{
	component.DataPreprocessingCode, component.TrainingCode, component.EvaluationCode,
	component.InferenceCode, component.SupportingLibraries, component.ModelArchitecture,
}

// open builds the Facts of a release that passes OSAID: open weights, every checklist code
// component under MIT, a data card and a paper. Edits then take something away.
func open(edits ...func(*evidence.Facts)) *evidence.Facts {
	f := &evidence.Facts{
		Name: "tiny", Complete: true, HasCard: true, FilesSeen: 12,
		Weights: evidence.Weights{Present: true, Licenses: []string{"Apache-2.0"}, Known: true, Open: true, OSIApproved: true, Restrictions: []string{}, Evidence: []string{"E1"}},
	}
	for i, info := range component.All {
		f.Components = append(f.Components, evidence.Component{
			ID: info.ID, Name: info.Name, Type: string(info.Type), Status: evidence.Absent, Evidence: []string{},
		})
		c := &f.Components[i]
		switch info.ID {
		case component.ModelParameters:
			c.Status, c.License, c.Open, c.Evidence = evidence.Present, "Apache-2.0", true, []string{"E2"}
		case component.DataCard:
			c.Status, c.License, c.Open, c.Evidence = evidence.Present, "CC-BY-4.0", true, []string{"E3"}
		case component.ResearchPaper:
			c.Status, c.Evidence = evidence.Present, []string{"E4"}
		}
		for j, id := range codeIDs {
			if id == info.ID {
				c.Status, c.License, c.Open, c.Evidence = evidence.Present, "MIT", true, []string{"E" + strconv.Itoa(5+j)}
			}
		}
	}
	f.DataInfo = evidence.DataInfo{Level: evidence.DataSubstantive, Evidence: []string{"E3"}}
	for _, name := range []string{evidence.ElemSources, evidence.ElemScope, evidence.ElemCollection, evidence.ElemProcessing, evidence.ElemLabelling} {
		f.DataInfo.Elements = append(f.DataInfo.Elements, evidence.DataElement{Name: name, Found: true, Where: []string{"README.md:9"}, Evidence: []string{"E3"}})
	}
	for _, e := range edits {
		e(f)
	}
	return f
}

// described sets the Data Information level, keeping the first n elements found.
func described(level string, n int) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.DataInfo.Level = level
		for i := range f.DataInfo.Elements {
			f.DataInfo.Elements[i].Found = i < n
		}
	}
}

func set(id component.ID, status evidence.Status, lic string, isOpen bool) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		for i := range f.Components {
			if f.Components[i].ID == id {
				c := &f.Components[i]
				c.Status, c.License, c.Open = status, lic, isOpen
			}
		}
		if id == component.DataCard && status != evidence.Present {
			described(evidence.DataNone, 0)(f)
		}
	}
}

func weights(w evidence.Weights) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		if w.Evidence == nil {
			w.Evidence = []string{"E1"}
		}
		f.Weights = w
	}
}

const (
	P = framework.Pass
	F = framework.Fail
	U = framework.Unknown
)

func TestVerdicts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		facts *evidence.Facts
		label string
		// results of parameters, code, data_information, the order the reasons are listed
		results []framework.Result
		detail  []string // substrings expected in the details, by element, "" to skip
	}{
		{
			name:    "everything open",
			facts:   open(),
			label:   osaid.Pass,
			results: []framework.Result{P, P, P},
			detail:  []string{"Apache-2.0", "all present", "data card and paper"},
		},
		{
			name:    "data described only in part",
			facts:   open(described(evidence.DataPartial, 2)),
			label:   osaid.Fail,
			results: []framework.Result{P, P, F},
			detail:  []string{"", "", "described only in part (sources, scope); missing collection, processing, labelling"},
		},
		{
			name:    "a one-paragraph overview of the data",
			facts:   open(described(evidence.DataOverview, 1)),
			label:   osaid.Fail,
			results: []framework.Result{P, P, F},
			detail:  []string{"", "", "only an overview of the training data; missing scope, collection, processing, labelling"},
		},
		{
			name:    "open datasets instead of a data card",
			facts:   open(set(component.DataCard, evidence.Absent, "", false), set(component.ResearchPaper, evidence.Absent, "", false), set(component.Datasets, evidence.Present, "CC-BY-4.0", true)),
			label:   osaid.Pass,
			results: []framework.Result{P, P, P},
			detail:  []string{"", "", "CC-BY-4.0"},
		},
		{
			name:    "technical report instead of a paper",
			facts:   open(set(component.ResearchPaper, evidence.Absent, "", false), set(component.TechnicalReport, evidence.Present, "", false)),
			label:   osaid.Pass,
			results: []framework.Result{P, P, P},
		},
		{
			name:    "restricted parameters",
			facts:   open(weights(evidence.Weights{Present: true, Licenses: []string{"CC-BY-NC-4.0"}, Known: true, Restrictions: []string{"non-commercial"}})),
			label:   osaid.Fail,
			results: []framework.Result{F, P, P},
			detail:  []string{"CC-BY-NC-4.0: non-commercial", "", ""},
		},
		{
			name:    "no parameters",
			facts:   open(set(component.ModelParameters, evidence.Absent, "", false), weights(evidence.Weights{})),
			label:   osaid.Fail,
			results: []framework.Result{F, P, P},
			detail:  []string{"no parameters", "", ""},
		},
		{
			name:    "missing training code",
			facts:   open(set(component.TrainingCode, evidence.Absent, "", false)),
			label:   osaid.Fail,
			results: []framework.Result{P, F, P},
			detail:  []string{"", "missing: training code", ""},
		},
		{
			name:    "evaluation code under a non-OSI licence",
			facts:   open(set(component.EvaluationCode, evidence.Present, "CC-BY-NC-4.0", false)),
			label:   osaid.Fail,
			results: []framework.Result{P, F, P},
			detail:  []string{"", "not OSI-licensed: evaluation code (CC-BY-NC-4.0)", ""},
		},
		{
			name:    "no data card and no datasets",
			facts:   open(set(component.DataCard, evidence.Absent, "", false)),
			label:   osaid.Fail,
			results: []framework.Result{P, P, F},
			detail:  []string{"", "", "no description of the training data"},
		},
		{
			name:    "data card without paper or report",
			facts:   open(set(component.ResearchPaper, evidence.Absent, "", false)),
			label:   osaid.Fail,
			results: []framework.Result{P, P, F},
			detail:  []string{"", "", "no paper or technical report"},
		},
		{
			name:    "datasets named without licences and no data card",
			facts:   open(set(component.DataCard, evidence.Absent, "", false), set(component.Datasets, evidence.Present, "", false)),
			label:   osaid.Fail,
			results: []framework.Result{P, P, F},
		},
		{
			name:    "a failure outweighs an unknown",
			facts:   open(set(component.TrainingCode, evidence.Absent, "", false), weights(evidence.Weights{Present: true, Licenses: []string{}})),
			label:   osaid.Fail,
			results: []framework.Result{U, F, P},
		},
		{
			name:    "weights licence unknown",
			facts:   open(weights(evidence.Weights{Present: true, Licenses: []string{"LicenseRef-tiny-terms"}})),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{U, P, P},
			detail:  []string{"no identifiable licence", "", ""},
		},
		{
			name:    "weights could not be looked for",
			facts:   open(set(component.ModelParameters, evidence.Unknown, "", false), weights(evidence.Weights{})),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{U, P, P},
		},
		{
			name:    "code without a licence",
			facts:   open(set(component.InferenceCode, evidence.Present, "", false)),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{P, U, P},
			detail:  []string{"", "unknown: inference code (no licence found)", ""},
		},
		{
			name:    "code could not be looked for",
			facts:   open(set(component.DataPreprocessingCode, evidence.Unknown, "", false)),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{P, U, P},
			detail:  []string{"", "unknown: data preprocessing code", ""},
		},
		{
			name:    "data documentation could not be looked for",
			facts:   open(set(component.DataCard, evidence.Unknown, "", false), set(component.Datasets, evidence.Unknown, "", false)),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{P, P, U},
		},
		{
			name:    "named datasets, data card not looked for",
			facts:   open(set(component.DataCard, evidence.Unknown, "", false), set(component.Datasets, evidence.Present, "", false)),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{P, P, U},
		},
		{
			name:    "data card present, paper not looked for",
			facts:   open(set(component.ResearchPaper, evidence.Unknown, "", false), set(component.TechnicalReport, evidence.Unknown, "", false)),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{P, P, U},
		},
		{
			name: "empty release",
			facts: open(func(f *evidence.Facts) {
				f.Complete, f.HasCard, f.FilesSeen, f.Weights = false, false, 0, evidence.Weights{}
				for i := range f.Components {
					f.Components[i].Status, f.Components[i].License, f.Components[i].Open = evidence.Unknown, "", false
				}
			}),
			label:   osaid.InsufficientEvidence,
			results: []framework.Result{U, U, U},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := osaid.Evaluate(tt.facts)
			if v.Label != tt.label {
				t.Errorf("Label = %q, want %q", v.Label, tt.label)
			}
			if v.Framework != "osaid" {
				t.Errorf("Framework = %q, want osaid", v.Framework)
			}
			var got []framework.Result
			for _, r := range v.Reasons {
				got = append(got, r.Result)
			}
			if diff := cmp.Diff(tt.results, got); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
			checkShape(t, v)
			for i, w := range tt.detail {
				if w != "" && !strings.Contains(v.Reasons[i].Detail, w) {
					t.Errorf("%s: detail %q does not contain %q", v.Reasons[i].Criterion, v.Reasons[i].Detail, w)
				}
			}
		})
	}
}

// checkShape asserts the verdict's layout: reasons in the order parameters, code, Data
// Information; the same reasons keyed by element; fixes on failures.
func checkShape(t *testing.T, v framework.Verdict) {
	t.Helper()
	keys := []string{"parameters", "code", "data_information"}
	criteria := []string{"parameters under OSI-approved terms", "complete code under OSI-approved licences", "Data Information"}
	if len(v.Reasons) != 3 || len(v.Elements) != 3 {
		t.Fatalf("%d reasons and %d elements, want 3 and 3", len(v.Reasons), len(v.Elements))
	}
	for i, k := range keys {
		r := v.Reasons[i]
		if r.Criterion != criteria[i] {
			t.Errorf("reason %d is %q, want %q", i, r.Criterion, criteria[i])
		}
		if diff := cmp.Diff(r, v.Elements[k]); diff != "" {
			t.Errorf("element %s differs from reason %d (-reason +element):\n%s", k, i, diff)
		}
		if r.Detail == "" {
			t.Errorf("%s: no detail", r.Criterion)
		}
		if r.Evidence == nil {
			t.Errorf("%s: evidence is nil", r.Criterion)
		}
		if r.Result != framework.Pass && r.Fix == "" {
			t.Errorf("%s failed without a fix", r.Criterion)
		}
	}
}

func TestCodeFixNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	v := osaid.Evaluate(open(set(component.TrainingCode, evidence.Absent, "", false), set(component.ModelArchitecture, evidence.Present, "CC-BY-NC-4.0", false)))
	code := v.Elements["code"]
	want := "release training code, model architecture (CC-BY-NC-4.0) under OSI-approved licences"
	if code.Fix != want {
		t.Errorf("Fix = %q, want %q", code.Fix, want)
	}
	if want := "missing: training code; not OSI-licensed: model architecture (CC-BY-NC-4.0)"; code.Detail != want {
		t.Errorf("Detail = %q, want %q", code.Detail, want)
	}
}

func TestCodeEvidenceCoversTheChecklist(t *testing.T) {
	t.Parallel()
	v := osaid.Evaluate(open())
	if diff := cmp.Diff([]string{"E5", "E6", "E7", "E8", "E9", "E10"}, v.Elements["code"].Evidence); diff != "" {
		t.Errorf("code evidence (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"E3", "E4"}, v.Elements["data_information"].Evidence); diff != "" {
		t.Errorf("data information evidence (-want +got):\n%s", diff)
	}
}

func TestFramework(t *testing.T) {
	t.Parallel()
	if osaid.Framework.Name != "osaid" || osaid.Framework.Title == "" || osaid.Framework.Doc == "" {
		t.Errorf("Framework = %+v: want name osaid, a title and a doc", osaid.Framework)
	}
}
