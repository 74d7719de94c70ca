package mof

import (
	"encoding/json"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rec  *Record
		want []Difference
	}{
		{
			name: "modes agree",
			rec:  &Record{Components: openComponents(nil, classIII, classII)},
			want: nil,
		},
		{
			name: "a normalised licence lifts a component and the class",
			rec: &Record{Components: append(openComponents(without(component.ModelArchitecture), classIII),
				withLicence(component.ModelArchitecture, "Apache 2.0"))},
			want: []Difference{
				{Kind: DiffComponent, Component: "Model architecture", MOT: "invalid", Glassbox: "open",
					Why: `licence "Apache 2.0" normalised to Apache-2.0; Apache-2.0 is OSI-approved; the reference tool accepts only exact ids that its 2024 SPDX list marks OSI-approved or FSF-libre, or that are on its open-data list`},
				{Kind: DiffProgress, Class: 3, MOT: "83.33%", Glassbox: "100%",
					Why: "component statuses differ: Model architecture (invalid → open)"},
				{Kind: DiffProgress, Class: 2, MOT: "0%", Glassbox: "60%",
					Why: "the reference tool reports 0% for Class II because Class III is incomplete (5 of 6 required components); glassbox reports the share of required components included; component statuses differ: Model architecture (invalid → open)"},
				{Kind: DiffProgress, Class: 1, MOT: "0%", Glassbox: "42.86%",
					Why: "the reference tool reports 0% for Class I because Class III is incomplete (5 of 6 required components); glassbox reports the share of required components included; component statuses differ: Model architecture (invalid → open)"},
				{Kind: DiffClass, MOT: "Unclassified", Glassbox: "Class III",
					Why: "component statuses differ: Model architecture (invalid → open)"},
			},
		},
		{
			name: "only the higher-class quirk",
			rec:  &Record{Components: openComponents(without(component.DataCard), classIII, classII)},
			want: []Difference{
				{Kind: DiffProgress, Class: 2, MOT: "0%", Glassbox: "90%",
					Why: "the reference tool reports 0% for Class II because Class III is incomplete (5 of 6 required components); glassbox reports the share of required components included"},
				{Kind: DiffProgress, Class: 1, MOT: "0%", Glassbox: "64.29%",
					Why: "the reference tool reports 0% for Class I because Class III is incomplete (5 of 6 required components); glassbox reports the share of required components included"},
			},
		},
		{
			name: "the paper stands in only in MOT mode",
			rec: &Record{Components: append(openComponents(without(component.TechnicalReport), classIII, []component.ID{component.ResearchPaper}),
				withLicence(component.TechnicalReport, "CC BY 4.0"))},
			want: []Difference{
				{Kind: DiffComponent, Component: "Technical report", MOT: "invalid", Glassbox: "open",
					Why: `licence "CC BY 4.0" normalised to CC-BY-4.0; CC-BY-4.0 is FSF-libre; the reference tool accepts only exact ids that its 2024 SPDX list marks OSI-approved or FSF-libre, or that are on its open-data list`},
				{Kind: DiffProgress, Class: 1, MOT: "0%", Glassbox: "50%",
					Why: "the reference tool reports 0% for Class I because Class II is incomplete (6 of 10 required components); glassbox reports the share of required components included; component statuses differ: Technical report (invalid → open); the reference tool lets the research paper stand in for the technical report, which glassbox counts as included"},
			},
		},
		{
			name: "a licence that says the component is absent",
			rec: &Record{Components: append(openComponents(nil, classIII),
				withLicence(component.Datasets, "Component not included"))},
			want: []Difference{
				{Kind: DiffComponent, Component: "Datasets", MOT: "invalid", Glassbox: "missing",
					Why: `the record gives "Component not included" as its licence, which says the component is not included; the reference tool judges the text as a licence and rejects it`},
				{Kind: DiffProgress, Class: 1, MOT: "0%", Glassbox: "42.86%",
					Why: "the reference tool reports 0% for Class I because Class II is incomplete (6 of 10 required components); glassbox reports the share of required components included"},
			},
		},
		{
			name: "undisclosed is no licence in glassbox mode",
			rec: &Record{Components: append(openComponents(without(component.ModelCard), classIII),
				withLicence(component.ModelCard, "Undisclosed"))},
			want: []Difference{
				{Kind: DiffComponent, Component: "Model card", MOT: "invalid", Glassbox: "unlicensed",
					Why: `no licence: the record says "Undisclosed"; the reference tool counts it as an invalid licence rather than none`},
				{Kind: DiffProgress, Class: 2, MOT: "0%", Glassbox: "50%",
					Why: "the reference tool reports 0% for Class II because Class III is incomplete (5 of 6 required components); glassbox reports the share of required components included"},
				{Kind: DiffProgress, Class: 1, MOT: "0%", Glassbox: "35.71%",
					Why: "the reference tool reports 0% for Class I because Class III is incomplete (5 of 6 required components); glassbox reports the share of required components included"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Compare(tt.rec, license.Default())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Compare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDifferenceJSON(t *testing.T) {
	t.Parallel()
	rec := &Record{Components: []RecordComponent{withLicence(component.ModelParameters, "Apache 2.0")}}
	diffs := Compare(rec, nil)
	if len(diffs) == 0 {
		t.Fatal("no differences")
	}
	b, err := json.Marshal(diffs[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"component","component":"Model parameters (Final)","mot":"invalid","glassbox":"open","why":"licence \"Apache 2.0\" normalised to Apache-2.0; Apache-2.0 is OSI-approved; the reference tool accepts only exact ids that its 2024 SPDX list marks OSI-approved or FSF-libre, or that are on its open-data list"}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", b, want)
	}
}
