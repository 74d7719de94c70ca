package mof

import (
	"encoding/json"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/google/go-cmp/cmp"
)

// wantComponent is the expected verdict on one component; unlisted components are not checked.
type wantComponent struct {
	status  Status
	license string
	source  Source
}

func TestMOT(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		rec       *Record
		class     int
		progress  map[int]float64
		component map[component.ID]wantComponent
		note      bool // the technical report carries the stand-in note
	}{
		{
			name:     "Class III: all six open",
			rec:      &Record{Components: openComponents(nil, classIII)},
			class:    3,
			progress: map[int]float64{3: 100, 2: 60, 1: 0},
		},
		{
			name:     "Class II: ten open, Class I progress over 14",
			rec:      &Record{Components: openComponents(nil, classIII, classII)},
			class:    2,
			progress: map[int]float64{3: 100, 2: 100, 1: 71.43},
		},
		{
			name:     "Class I: all fourteen open",
			rec:      &Record{Components: openComponents(nil, classIII, classII, classI)},
			class:    1,
			progress: map[int]float64{3: 100, 2: 100, 1: 100},
		},
		{
			name:     "a higher class that fails first zeroes the lower ones",
			rec:      &Record{Components: openComponents(without(component.DataCard), classIII, classII, classI)},
			class:    0,
			progress: map[int]float64{3: 83.33, 2: 0, 1: 0},
		},
		{
			name: "free-text licence is invalid",
			rec: &Record{Components: append(openComponents(without(component.ModelArchitecture), classIII),
				withLicence(component.ModelArchitecture, "Apache 2.0"))},
			class:     0,
			progress:  map[int]float64{3: 83.33, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{component.ModelArchitecture: {StatusInvalid, "Apache 2.0", SourceComponent}},
		},
		{
			name: "ids are case-sensitive",
			rec: &Record{Components: append(openComponents(without(component.ModelArchitecture), classIII),
				withLicence(component.ModelArchitecture, "apache-2.0"))},
			progress:  map[int]float64{3: 83.33, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{component.ModelArchitecture: {StatusInvalid, "apache-2.0", SourceComponent}},
		},
		{
			name: "unlicensed does not fall back to the distribution licence",
			rec: &Record{
				Licenses: GlobalLicenses{Distribution: GlobalLicense{Name: "Apache-2.0"}},
				Components: append(openComponents(without(component.ModelCard), classIII),
					withLicence(component.ModelCard, "unlicensed")),
			},
			progress:  map[int]float64{3: 83.33, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{component.ModelCard: {StatusUnlicensed, "unlicensed", SourceComponent}},
		},
		{
			name: "an empty licence does not fall back either",
			rec: &Record{
				Licenses: GlobalLicenses{Distribution: GlobalLicense{Name: "Apache-2.0"}, Document: GlobalLicense{Name: "CC-BY-4.0"}},
				Components: append(openComponents(without(component.ModelCard), classIII),
					withLicence(component.ModelCard, "")),
			},
			progress:  map[int]float64{3: 83.33, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{component.ModelCard: {StatusUnlicensed, "", SourceComponent}},
		},
		{
			name: "no licence key: the type licence, then the distribution licence",
			rec: &Record{
				Licenses: GlobalLicenses{Distribution: GlobalLicense{Name: "CC-BY-NC-4.0"}, Document: GlobalLicense{Name: "CC-BY-4.0"}},
				Components: []RecordComponent{
					{Name: "Model architecture"}, {Name: "Model parameters (Final)"}, {Name: "Technical report"},
					{Name: "Evaluation results"}, {Name: "Model card"}, {Name: "Data card"},
				},
			},
			progress: map[int]float64{3: 66.67, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{
				component.ModelArchitecture: {StatusInvalid, "CC-BY-NC-4.0", SourceDistribution},
				component.ModelParameters:   {StatusInvalid, "CC-BY-NC-4.0", SourceDistribution},
				component.ModelCard:         {StatusOpen, "CC-BY-4.0", SourceType},
			},
		},
		{
			name:     "no licence anywhere",
			rec:      &Record{Components: []RecordComponent{{Name: "Model architecture"}}},
			progress: map[int]float64{3: 0, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{
				component.ModelArchitecture: {StatusUnlicensed, "", SourceNone},
				component.ModelCard:         {StatusMissing, "", SourceNone},
			},
		},
		{
			name: "2024 SPDX flags: OSI approval since then does not count",
			rec: &Record{Components: []RecordComponent{
				withLicence(component.ModelArchitecture, "BSD-3-Clause-Open-MPI"), // OSI now, not in 2024
				withLicence(component.TrainingCode, "OSC-1.0"),                    // not on the 2024 list
				withLicence(component.InferenceCode, "Apache-1.0"),                // FSF-libre only
			}},
			progress: map[int]float64{3: 0, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{
				component.ModelArchitecture: {StatusInvalid, "BSD-3-Clause-Open-MPI", SourceComponent},
				component.TrainingCode:      {StatusInvalid, "OSC-1.0", SourceComponent},
				component.InferenceCode:     {StatusOpen, "Apache-1.0", SourceComponent},
			},
		},
		{
			name: "the open-data list as the tool spells it, and OpenMDW-1.0",
			rec: &Record{Components: []RecordComponent{
				withLicence(component.ModelParameters, "ODC-PDDL-1.0"),
				withLicence(component.Datasets, "PDDL-1.0"),
				withLicence(component.EvaluationData, "OpenMDW-1.0"),
				withLicence(component.IntermediateParameters, "CC-BY-NC-4.0"),
			}},
			progress: map[int]float64{3: 16.67, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{
				component.ModelParameters:        {StatusOpen, "ODC-PDDL-1.0", SourceComponent},
				component.Datasets:               {StatusInvalid, "PDDL-1.0", SourceComponent},
				component.EvaluationData:         {StatusOpen, "OpenMDW-1.0", SourceComponent},
				component.IntermediateParameters: {StatusInvalid, "CC-BY-NC-4.0", SourceComponent},
			},
		},
		{
			name: "a research paper stands in for a missing technical report",
			rec: &Record{Components: openComponents(without(component.TechnicalReport), classIII,
				[]component.ID{component.ResearchPaper})},
			class:    3,
			progress: map[int]float64{3: 100, 2: 60, 1: 0},
			note:     true,
		},
		{
			name: "with a stand-in, Class I needs 13 components",
			rec:  &Record{Components: openComponents(without(component.TechnicalReport), classIII, classII, []component.ID{component.ResearchPaper})},
			// III 5 + II 4 + the paper = 10 of 13, as in the tool's Class2R fixture.
			class:    2,
			progress: map[int]float64{3: 100, 2: 100, 1: 76.92},
			note:     true,
		},
		{
			name:     "with a stand-in, thirteen components reach Class I",
			rec:      &Record{Components: openComponents(without(component.TechnicalReport), classIII, classII, classI)},
			class:    1,
			progress: map[int]float64{3: 100, 2: 100, 1: 100},
			note:     true,
		},
		{
			name: "the paper stands in for a report that is present but invalid",
			rec: &Record{Components: append(openComponents(without(component.TechnicalReport), classIII, []component.ID{component.ResearchPaper}),
				withLicence(component.TechnicalReport, "Proprietary"))},
			class:     3,
			progress:  map[int]float64{3: 100, 2: 60, 1: 0},
			component: map[component.ID]wantComponent{component.TechnicalReport: {StatusInvalid, "Proprietary", SourceComponent}},
			note:      true,
		},
		{
			name: "a paper of any status stands in, and then fails for the report",
			rec: &Record{Components: append(openComponents(without(component.TechnicalReport), classIII),
				withLicence(component.ResearchPaper, "unlicensed"))},
			progress: map[int]float64{3: 83.33, 2: 0, 1: 0},
			note:     true,
		},
		{
			name: "no stand-in when the report is included",
			rec: &Record{Components: append(openComponents(nil, classIII, classII),
				withLicence(component.ResearchPaper, "unlicensed"))},
			class:    2,
			progress: map[int]float64{3: 100, 2: 100, 1: 71.43},
		},
		{
			name: "optional components never change the class",
			rec: &Record{Components: append(openComponents(nil, classIII),
				withLicence(component.SampleOutputs, "Proprietary"), withLicence(component.SupportingLibraries, "MIT"))},
			class:    3,
			progress: map[int]float64{3: 100, 2: 60, 1: 0},
			component: map[component.ID]wantComponent{
				component.SampleOutputs:       {StatusInvalid, "Proprietary", SourceComponent},
				component.SupportingLibraries: {StatusOpen, "MIT", SourceComponent},
			},
		},
		{
			name: "names match exactly; unknown names are ignored",
			rec: &Record{Components: append(openComponents(without(component.ModelCard), classIII),
				RecordComponent{Name: "model card", License: "CC-BY-4.0", LicenseDeclared: true}, RecordComponent{Name: "Weights", License: "MIT", LicenseDeclared: true})},
			progress:  map[int]float64{3: 83.33, 2: 0, 1: 0},
			component: map[component.ID]wantComponent{component.ModelCard: {StatusMissing, "", SourceNone}},
		},
		{
			name: "a later entry with the same name replaces an earlier one",
			rec: &Record{Components: append([]RecordComponent{withLicence(component.ModelArchitecture, "Proprietary")},
				openComponents(nil, classIII)...)},
			class:     3,
			progress:  map[int]float64{3: 100, 2: 60, 1: 0},
			component: map[component.ID]wantComponent{component.ModelArchitecture: {StatusOpen, "MIT", SourceComponent}},
		},
		{
			name:     "nil record",
			rec:      nil,
			progress: map[int]float64{3: 0, 2: 0, 1: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := MOT(tt.rec)
			if got.Class != tt.class || got.Label != Label(tt.class) {
				t.Errorf("class %d %q, want %d %q", got.Class, got.Label, tt.class, Label(tt.class))
			}
			if diff := cmp.Diff(tt.progress, got.Progress); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
			if len(got.Components) != len(component.All) {
				t.Fatalf("%d components, want %d", len(got.Components), len(component.All))
			}
			for i, c := range got.Components {
				if c.ID != component.All[i].ID || c.Name != component.All[i].Name {
					t.Errorf("component %d is %d %q, want MOF order", i, c.ID, c.Name)
				}
			}
			for id, want := range tt.component {
				c := statusOf(got, id)
				if c.Status != want.status || c.License != want.license || c.Source != want.source {
					t.Errorf("%s: %s %q from %s, want %s %q from %s", id.Name(), c.Status, c.License, c.Source,
						want.status, want.license, want.source)
				}
			}
			if note := statusOf(got, component.TechnicalReport).Note; (note != "") != tt.note {
				t.Errorf("technical report note %q, want note: %v", note, tt.note)
			}
		})
	}
}

// TestMOTJSON pins the JSON shape that renderers and the API emit. The open paper stands in for
// the missing report, so Class III is at 2 of 6.
func TestMOTJSON(t *testing.T) {
	t.Parallel()
	rec := &Record{
		Licenses: GlobalLicenses{Distribution: GlobalLicense{Name: "Apache-2.0"}},
		Components: []RecordComponent{
			{Name: "Model architecture"},
			withLicence(component.ModelParameters, "Llama 3 Community License"),
			withLicence(component.ResearchPaper, "CC-BY-4.0"),
		},
	}
	b, err := json.Marshal(MOT(rec))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"class":0,"label":"Unclassified","progress":{"1":0,"2":0,"3":33.33},"components":[` +
		`{"id":9,"name":"Model architecture","status":"open","license":"Apache-2.0","source":"distribution"},` +
		`{"id":10,"name":"Model parameters (Final)","status":"invalid","license":"Llama 3 Community License","source":"component"},` +
		`{"id":11,"name":"Technical report","status":"missing","license":"","source":"none","note":"the research paper stands in for the technical report in Classes III and II"},` +
		`{"id":12,"name":"Evaluation results","status":"missing","license":"","source":"none"},` +
		`{"id":13,"name":"Model card","status":"missing","license":"","source":"none"},` +
		`{"id":14,"name":"Data card","status":"missing","license":"","source":"none"},` +
		`{"id":20,"name":"Sample model outputs","status":"missing","license":"","source":"none"},` +
		`{"id":7,"name":"Training code","status":"missing","license":"","source":"none"},` +
		`{"id":8,"name":"Inference code","status":"missing","license":"","source":"none"},` +
		`{"id":18,"name":"Evaluation code","status":"missing","license":"","source":"none"},` +
		`{"id":19,"name":"Evaluation data","status":"missing","license":"","source":"none"},` +
		`{"id":22,"name":"Supporting libraries and tools","status":"missing","license":"","source":"none"},` +
		`{"id":15,"name":"Datasets","status":"missing","license":"","source":"none"},` +
		`{"id":16,"name":"Data preprocessing code","status":"missing","license":"","source":"none"},` +
		`{"id":21,"name":"Research paper","status":"open","license":"CC-BY-4.0","source":"component"},` +
		`{"id":24,"name":"Model parameters (Intermediate)","status":"missing","license":"","source":"none"},` +
		`{"id":17,"name":"Model metadata","status":"missing","license":"","source":"none"}]}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", b, want)
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	for class, want := range map[int]string{0: "Unclassified", 1: "Class I", 2: "Class II", 3: "Class III", 4: "Unclassified", -1: "Unclassified"} {
		if got := Label(class); got != want {
			t.Errorf("Label(%d) = %q, want %q", class, got, want)
		}
	}
}

func BenchmarkMOT(b *testing.B) {
	rec := &Record{Components: openComponents(nil, classIII, classII, classI)}
	for b.Loop() {
		MOT(rec)
	}
}
