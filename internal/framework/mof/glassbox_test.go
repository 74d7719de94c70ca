package mof

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/google/go-cmp/cmp"
)

// openFindings returns present, openly licensed findings for ids, leaving out skip.
func openFindings(skip map[component.ID]bool, sets ...[]component.ID) []Judged {
	var out []Judged
	for _, set := range sets {
		for _, id := range set {
			if !skip[id] {
				out = append(out, Judged{ID: id, Present: true, License: openLicence(id), Open: true})
			}
		}
	}
	return out
}

func TestGlassbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       []Judged
		class    int
		progress map[int]float64
		status   map[component.ID]Status
		note     bool
	}{
		{
			name:     "nothing",
			class:    0,
			progress: map[int]float64{3: 0, 2: 0, 1: 0},
		},
		{
			name:     "Class III: lower classes show their real share",
			in:       openFindings(nil, classIII),
			class:    3,
			progress: map[int]float64{3: 100, 2: 60, 1: 42.86},
		},
		{
			name: "no zeroing when a higher class is incomplete",
			in:   openFindings(without(component.DataCard), classIII, classII, classI),
			// 13 of 14 overall, 9 of 10 for Class II, 5 of 6 for Class III.
			class:    0,
			progress: map[int]float64{3: 83.33, 2: 90, 1: 92.86},
		},
		{
			name:     "Class II",
			in:       openFindings(nil, classIII, classII),
			class:    2,
			progress: map[int]float64{3: 100, 2: 100, 1: 71.43},
		},
		{
			name:     "Class I",
			in:       openFindings(nil, classIII, classII, classI),
			class:    1,
			progress: map[int]float64{3: 100, 2: 100, 1: 100},
		},
		{
			name:     "a present paper stands in for a missing report; Class I needs 13",
			in:       openFindings(without(component.TechnicalReport), classIII, classII, classI),
			class:    1,
			progress: map[int]float64{3: 100, 2: 100, 1: 100},
			note:     true,
		},
		{
			name: "a closed paper stands in and fails for the report",
			in: append(openFindings(without(component.TechnicalReport, component.ResearchPaper), classIII, classII, classI),
				Judged{ID: component.ResearchPaper, Present: true, License: "LicenseRef-x"}),
			class:    0,
			progress: map[int]float64{3: 83.33, 2: 90, 1: 92.31}, // Class I: 12 of 13
			status:   map[component.ID]Status{component.TechnicalReport: StatusMissing, component.ResearchPaper: StatusInvalid},
			note:     true,
		},
		{
			name: "statuses: open, unlicensed, invalid, missing",
			in: []Judged{
				{ID: component.ModelArchitecture, Present: true, License: "MIT", Open: true},
				{ID: component.ModelParameters, Present: true},
				{ID: component.ModelCard, Present: true, License: "LicenseRef-Llama-3-Community"},
				{ID: component.DataCard, Present: false, License: "CC-BY-4.0", Open: true},
			},
			progress: map[int]float64{3: 16.67, 2: 10, 1: 7.14},
			status: map[component.ID]Status{
				component.ModelArchitecture: StatusOpen, component.ModelParameters: StatusUnlicensed,
				component.ModelCard: StatusInvalid, component.DataCard: StatusMissing, component.Datasets: StatusMissing,
			},
		},
		{
			name: "optional components never change the class",
			in: append(openFindings(nil, classIII), Judged{ID: component.SampleOutputs, Present: true, License: "LicenseRef-x"},
				Judged{ID: component.ModelMetadata, Present: true, License: "MIT", Open: true}),
			class:    3,
			progress: map[int]float64{3: 100, 2: 60, 1: 42.86},
			status:   map[component.ID]Status{component.SampleOutputs: StatusInvalid, component.ModelMetadata: StatusOpen},
		},
		{
			name: "the last finding for a component counts; unknown ids are ignored",
			in: append([]Judged{{ID: component.ModelArchitecture, Present: true, License: "LicenseRef-x"}, {ID: 99, Present: true, Open: true}},
				openFindings(nil, classIII)...),
			class:    3,
			progress: map[int]float64{3: 100, 2: 60, 1: 42.86},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Glassbox(tt.in)
			if got.Class != tt.class || got.Label != Label(tt.class) {
				t.Errorf("class %d %q, want %d", got.Class, got.Label, tt.class)
			}
			if diff := cmp.Diff(tt.progress, got.Progress); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
			if len(got.Components) != len(component.All) {
				t.Fatalf("%d components", len(got.Components))
			}
			for id, want := range tt.status {
				if s := statusOf(got, id).Status; s != want {
					t.Errorf("%s: %s, want %s", id.Name(), s, want)
				}
			}
			if note := statusOf(got, component.TechnicalReport).Note; (note != "") != tt.note {
				t.Errorf("technical report note %q, want note: %v", note, tt.note)
			}
		})
	}
}

func TestGlassboxCarriesFindings(t *testing.T) {
	t.Parallel()
	got := Glassbox([]Judged{
		{ID: component.Datasets, Present: true, License: "MIT", Open: true, Reason: "r1", Warning: "w1", Source: SourceComponent},
		{ID: component.EvaluationData, Present: false, License: "MIT", Open: true, Reason: "r2", Warning: "w2"},
	})
	want := []ComponentResult{
		{ID: component.Datasets, Name: "Datasets", Status: StatusOpen, License: "MIT", Source: SourceComponent, Reason: "r1", Warning: "w1"},
		// An absent component's licence warning is dropped: there is nothing to warn about.
		{ID: component.EvaluationData, Name: "Evaluation data", Status: StatusMissing, License: "MIT", Reason: "r2"},
	}
	for _, w := range want {
		if diff := cmp.Diff(w, statusOf(got, w.ID)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", w.Name, diff)
		}
	}
}

func TestFromRecord(t *testing.T) {
	t.Parallel()
	cat := license.Default()
	tests := []struct {
		name   string
		global GlobalLicenses
		rc     RecordComponent
		want   Judged
	}{
		{
			name: "free text normalised",
			rc:   withLicence(component.ModelArchitecture, "Apache 2.0"),
			want: Judged{ID: component.ModelArchitecture, Present: true, License: "Apache-2.0", Open: true, Source: SourceComponent,
				Reason: `licence "Apache 2.0" normalised to Apache-2.0; Apache-2.0 is OSI-approved`},
		},
		{
			name: "lower-case id normalised",
			rc:   withLicence(component.ModelArchitecture, "apache-2.0"),
			want: Judged{ID: component.ModelArchitecture, Present: true, License: "Apache-2.0", Open: true, Source: SourceComponent,
				Reason: `licence "apache-2.0" normalised to Apache-2.0; Apache-2.0 is OSI-approved`},
		},
		{
			name: "licence word dropped",
			rc:   withLicence(component.InferenceCode, "MIT License"),
			want: Judged{ID: component.InferenceCode, Present: true, License: "MIT", Open: true, Source: SourceComponent,
				Reason: `licence "MIT License" normalised to MIT; MIT is OSI-approved`},
		},
		{
			name: "Creative Commons short name",
			rc:   withLicence(component.ModelCard, "CC BY 4.0"),
			want: Judged{ID: component.ModelCard, Present: true, License: "CC-BY-4.0", Open: true, Source: SourceComponent,
				Reason: `licence "CC BY 4.0" normalised to CC-BY-4.0; CC-BY-4.0 is FSF-libre`},
		},
		{
			name: "exact id",
			rc:   withLicence(component.ModelCard, "CC-BY-SA-4.0"),
			want: Judged{ID: component.ModelCard, Present: true, License: "CC-BY-SA-4.0", Open: true, Source: SourceComponent,
				Reason: `licence CC-BY-SA-4.0: CC-BY-SA-4.0 is FSF-libre`},
		},
		{
			name: "model licence recognised and not open",
			rc:   withLicence(component.ModelParameters, "Llama 3 Community License"),
			want: Judged{ID: component.ModelParameters, Present: true, License: "LicenseRef-Llama-3-Community", Source: SourceComponent,
				Reason: `licence "Llama 3 Community License" normalised to LicenseRef-Llama-3-Community; LicenseRef-Llama-3-Community is not open (use policy (incorporated by reference), 700M MAU cap, no training other models on outputs)`},
		},
		{
			name: "unknown text stays as written",
			rc:   withLicence(component.ModelParameters, "Proprietary"),
			want: Judged{ID: component.ModelParameters, Present: true, License: "Proprietary", Source: SourceComponent,
				Reason: `licence "Proprietary": "Proprietary" names no known licence`},
		},
		{
			name: "current OSI approval counts",
			rc:   withLicence(component.TrainingCode, "BSD-3-Clause-Open-MPI"),
			want: Judged{ID: component.TrainingCode, Present: true, License: "BSD-3-Clause-Open-MPI", Open: true, Source: SourceComponent,
				Reason: `licence BSD-3-Clause-Open-MPI: BSD-3-Clause-Open-MPI is OSI-approved`},
		},
		{
			name: "open data terms count",
			rc:   withLicence(component.Datasets, "ODC-PDDL-1.0"),
			want: Judged{ID: component.Datasets, Present: true, License: "PDDL-1.0", Open: true, Source: SourceComponent,
				Reason: `licence "ODC-PDDL-1.0" normalised to PDDL-1.0; PDDL-1.0 grants open terms`},
		},
		{
			name: "OR is open when one branch is",
			rc:   withLicence(component.ModelParameters, "Apache 2.0 OR Llama 3 Community License"),
			want: Judged{ID: component.ModelParameters, Present: true, License: "Apache-2.0 OR LicenseRef-Llama-3-Community", Open: true, Source: SourceComponent,
				Reason: `licence "Apache 2.0 OR Llama 3 Community License" normalised to Apache-2.0 OR LicenseRef-Llama-3-Community; open through one branch: Apache-2.0 is OSI-approved`},
		},
		{
			name: "AND is open only when all parts are",
			rc:   withLicence(component.ModelParameters, "MIT AND CC-BY-NC-4.0"),
			want: Judged{ID: component.ModelParameters, Present: true, License: "MIT AND CC-BY-NC-4.0", Source: SourceComponent,
				Reason: `licence MIT AND CC-BY-NC-4.0: not every part is open: CC-BY-NC-4.0 is not open (non-commercial)`},
		},
		{
			name: "nested expression with an exception",
			rc:   withLicence(component.TrainingCode, "(GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT) AND BSD-3-Clause"),
			want: Judged{ID: component.TrainingCode, Present: true, License: "(GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT) AND BSD-3-Clause", Open: true, Source: SourceComponent,
				Reason: `licence (GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT) AND BSD-3-Clause: every part is open: open through one branch: GPL-2.0-or-later is OSI-approved; BSD-3-Clause is OSI-approved`},
		},
		{
			name: "an expression with an unknown leaf keeps its text",
			rc:   withLicence(component.TrainingCode, "MIT OR Custom Terms"),
			want: Judged{ID: component.TrainingCode, Present: true, License: "MIT OR Custom Terms", Open: true, Source: SourceComponent,
				Reason: `licence "MIT OR Custom Terms": open through one branch: MIT is OSI-approved`},
		},
		{
			name: "a software licence on data is a warning, not a failure",
			rc:   withLicence(component.Datasets, "MIT"),
			want: Judged{ID: component.Datasets, Present: true, License: "MIT", Open: true, Source: SourceComponent,
				Reason:  `licence MIT: MIT is OSI-approved`,
				Warning: "MIT is a software licence on Datasets (data): open, but not written for it"},
		},
		{
			name: "a content licence on code is a warning",
			rc:   withLicence(component.TrainingCode, "CC-BY-4.0"),
			want: Judged{ID: component.TrainingCode, Present: true, License: "CC-BY-4.0", Open: true, Source: SourceComponent,
				Reason:  `licence CC-BY-4.0: CC-BY-4.0 is FSF-libre`,
				Warning: "CC-BY-4.0 is a content licence on Training code (code): open, but not written for it"},
		},
		{
			name: "a dual licence is judged by the branch that suits the type",
			rc:   withLicence(component.TrainingCode, "CC-BY-4.0 OR MIT"),
			want: Judged{ID: component.TrainingCode, Present: true, License: "CC-BY-4.0 OR MIT", Open: true, Source: SourceComponent,
				Reason: `licence CC-BY-4.0 OR MIT: open through one branch: MIT is OSI-approved`},
		},
		{
			name: "software licences suit weights",
			rc:   withLicence(component.ModelParameters, "Apache-2.0"),
			want: Judged{ID: component.ModelParameters, Present: true, License: "Apache-2.0", Open: true, Source: SourceComponent,
				Reason: `licence Apache-2.0: Apache-2.0 is OSI-approved`},
		},
		{
			name: "unlicensed",
			rc:   withLicence(component.ModelCard, "unlicensed"),
			want: Judged{ID: component.ModelCard, Present: true, Source: SourceComponent, Reason: `no licence: the record says "unlicensed"`},
		},
		{
			name: "undisclosed is no licence, not an invalid one",
			rc:   withLicence(component.ModelCard, "Undisclosed"),
			want: Judged{ID: component.ModelCard, Present: true, Source: SourceComponent, Reason: `no licence: the record says "Undisclosed"`},
		},
		{
			name:   "empty does not fall back",
			global: GlobalLicenses{Distribution: GlobalLicense{Name: "MIT"}},
			rc:     withLicence(component.ModelCard, ""),
			want:   Judged{ID: component.ModelCard, Present: true, Source: SourceComponent, Reason: "no licence"},
		},
		{
			name: "a licence that says the component is absent",
			rc:   withLicence(component.Datasets, "Component Component not included"),
			want: Judged{ID: component.Datasets, Source: SourceComponent,
				Reason: `the record gives "Component Component not included" as its licence, which says the component is not included`},
		},
		{
			name:   "the distribution licence, normalised",
			global: GlobalLicenses{Distribution: GlobalLicense{Name: "Apache License, Version 2.0"}},
			rc:     RecordComponent{Name: "Inference code"},
			want: Judged{ID: component.InferenceCode, Present: true, License: "Apache-2.0", Open: true, Source: SourceDistribution,
				Reason: `licence "Apache License, Version 2.0" (the release's distribution licence) normalised to Apache-2.0; Apache-2.0 is OSI-approved`},
		},
		{
			name:   "the type licence before the distribution licence",
			global: GlobalLicenses{Distribution: GlobalLicense{Name: "Llama 3 Community License"}, Data: GlobalLicense{Name: "CDLA-Permissive-2.0"}},
			rc:     RecordComponent{Name: "Datasets"},
			want: Judged{ID: component.Datasets, Present: true, License: "CDLA-Permissive-2.0", Open: true, Source: SourceType,
				Reason: `licence CDLA-Permissive-2.0 (the release's licence for this type of component): CDLA-Permissive-2.0 grants open terms`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &Record{Licenses: tt.global, Components: []RecordComponent{tt.rc}}
			got := FromRecord(rec, cat)
			if len(got) != len(component.All) {
				t.Fatalf("%d findings, want %d", len(got), len(component.All))
			}
			var found Judged
			for i, j := range got {
				if j.ID != component.All[i].ID {
					t.Fatalf("finding %d is for %d, want MOF order", i, j.ID)
				}
				if j.ID == tt.want.ID {
					found = j
				} else if j.Present || j.Reason != "not listed in the record" || j.Source != SourceNone {
					t.Errorf("unlisted %s: %+v", j.ID.Name(), j)
				}
			}
			if diff := cmp.Diff(tt.want, found); diff != "" {
				t.Errorf("finding (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromRecordNil(t *testing.T) {
	t.Parallel()
	got := Glassbox(FromRecord(nil, nil))
	if got.Class != 0 || got.Progress[3] != 0 || len(got.Components) != len(component.All) {
		t.Errorf("Glassbox(FromRecord(nil, nil)) = %+v", got)
	}
}

// TestEvaluateFixes: every component that does not pass says what to publish, and an optional
// one says it does not change the class.
func TestEvaluateFixes(t *testing.T) {
	t.Parallel()
	f := &evidence.Facts{Complete: true, HasCard: true, FilesSeen: 1}
	for _, info := range component.All {
		f.Components = append(f.Components, evidence.Component{ID: info.ID, Name: info.Name, Status: evidence.Absent, Evidence: []string{}})
	}
	v := Evaluate(f)
	if len(v.Reasons) != len(component.All) {
		t.Fatalf("%d reasons", len(v.Reasons))
	}
	for _, r := range v.Reasons {
		info, _ := component.Lookup(componentID(t, r.Criterion))
		switch {
		case r.Result == framework.Pass:
			t.Errorf("%s passes with nothing present", r.Criterion)
		case info.Optional && !strings.Contains(r.Fix, "optional in Class"):
			t.Errorf("%s is optional but its fix reads %q", r.Criterion, r.Fix)
		case !info.Optional && !strings.Contains(r.Fix, "needed for Class "):
			t.Errorf("%s fix %q does not name the class", r.Criterion, r.Fix)
		}
	}
}

func componentID(t *testing.T, name string) component.ID {
	t.Helper()
	for _, info := range component.All {
		if info.Name == name {
			return info.ID
		}
	}
	t.Fatalf("no component %q", name)
	return 0
}
