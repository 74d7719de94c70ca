package osai

import (
	"math"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// facts is a complete inventory with a card where every component was looked for and not
// found; tests add what they need.
func facts(opts ...func(*evidence.Facts)) *evidence.Facts {
	// Read from the Hub unless a case says local: only the Hub shows how downloads are gated.
	f := &evidence.Facts{Complete: true, HasCard: true, Access: evidence.Access{Hub: true}}
	for _, c := range component.All {
		f.Components = append(f.Components, evidence.Component{ID: c.ID, Name: c.Name, Status: evidence.Absent, Evidence: []string{}})
	}
	// A card is a component too; most tests want it.
	set(component.ModelCard, evidence.Present, "", false, "README.md")(f)
	for _, o := range opts {
		o(f)
	}
	return f
}

// set gives component id a status, licence and locations; its evidence is "E<id>".
func set(id component.ID, st evidence.Status, lic string, open bool, locs ...string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		for i := range f.Components {
			if f.Components[i].ID == id {
				c := &f.Components[i]
				c.Status, c.License, c.Open, c.Locations = st, lic, open, locs
				c.Evidence = []string{"E" + itoa(int(id))}
			}
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func incomplete(f *evidence.Facts) {
	f.Complete = false
	for i := range f.Components {
		if f.Components[i].Status == evidence.Absent {
			f.Components[i].Status = evidence.Unknown
		}
	}
}

func noCard(f *evidence.Facts) {
	f.HasCard = false
	set(component.ModelCard, evidence.Absent, "", false)(f)
}

func parent(ref, lic string, open bool, restrictions ...string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Lineage = append(f.Lineage, evidence.Parent{Ref: ref, Relation: "finetune", License: lic, Open: open, Restrictions: restrictions, Evidence: []string{"L-" + ref}})
	}
}

// parentData is an open base model whose release was read: its gate and the datasets its card
// names.
func parentData(ref, gated string, datasets ...evidence.Dataset) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Lineage = append(f.Lineage, evidence.Parent{Ref: ref, Relation: "finetune", License: "Apache-2.0", Open: true,
			Gated: gated, DataRead: true, Datasets: datasets, Evidence: []string{"L-" + ref}})
	}
}

func ds(ref, lic string, open bool) evidence.Dataset {
	return evidence.Dataset{Ref: "hf:datasets/" + ref, License: lic, Open: open, Evidence: []string{"B-" + ref}}
}

func doc(topic, loc string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Docs = append(f.Docs, evidence.Doc{Topic: topic, Location: loc, Evidence: []string{"D-" + loc}})
	}
}

func publication(venue, ref string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Publications = append(f.Publications, evidence.Publication{Venue: venue, Ref: ref, Evidence: []string{"P-" + ref}})
	}
}

func weights(present, known, open bool, lics ...string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Weights = evidence.Weights{Present: present, Known: known, Open: open, Licenses: lics, Evidence: []string{"W"}}
		if present {
			set(component.ModelParameters, evidence.Present, strings.Join(lics, " AND "), open, "model.safetensors")(f)
		}
	}
}

func gatedFinding(f *evidence.Facts) {
	f.Findings = append(f.Findings, evidence.Finding{ID: "gated", Evidence: []string{"G"}})
}

func dataset(ref, lic string) func(*evidence.Facts) {
	return func(f *evidence.Facts) {
		f.Datasets = append(f.Datasets, evidence.Dataset{Ref: ref, License: lic, Evidence: []string{"DS-" + ref}})
	}
}

type paramCase struct {
	name   string
	facts  *evidence.Facts
	want   framework.Result
	detail string // a substring of the detail
	ev     string // an evidence id the reason must cite ("" = none checked)
}

func runParam(t *testing.T, key string, cases []paramCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(key+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			v := Evaluate(tc.facts)
			r := v.Elements[key]
			if r.Criterion != key {
				t.Fatalf("criterion %q, want %q", r.Criterion, key)
			}
			if r.Result != tc.want {
				t.Errorf("result %s, want %s (detail %q)", r.Result, tc.want, r.Detail)
			}
			if !strings.Contains(r.Detail, tc.detail) {
				t.Errorf("detail %q, want it to contain %q", r.Detail, tc.detail)
			}
			if r.Result != framework.Pass && r.Fix == "" {
				t.Errorf("%s result without a fix", r.Result)
			}
			if r.Result == framework.Pass && r.Fix != "" {
				t.Errorf("pass with fix %q", r.Fix)
			}
			if r.Evidence == nil {
				t.Error("nil evidence")
			}
			if tc.ev != "" && !contains(r.Evidence, tc.ev) {
				t.Errorf("evidence %q, want it to cite %q", r.Evidence, tc.ev)
			}
		})
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

var (
	dsOpen = set(component.Datasets, evidence.Present, "CC-BY-4.0", true, "hf:datasets/a/b")
	tcOn   = set(component.TrainingCode, evidence.Present, "Apache-2.0", true, "train.py")
	pcOn   = set(component.DataPreprocessingCode, evidence.Present, "Apache-2.0", true, "data/prepare.py")
)

func TestDatasources(t *testing.T) {
	t.Parallel()
	runParam(t, "datasources_endmodel", []paramCase{
		{"open", facts(dsOpen), framework.Pass, "training data shared under CC-BY-4.0: hf:datasets/a/b", "E15"},
		{"gated", facts(set(component.Datasets, evidence.Gated, "CC-BY-4.0", true, "data/x.parquet")), framework.Partial, "behind access terms", "E15"},
		{"licence unknown", facts(set(component.Datasets, evidence.Present, "", false, "hf:datasets/a/b")), framework.Partial, "not every dataset's licence is known", ""},
		{"not open", facts(set(component.Datasets, evidence.Present, "LicenseRef-Custom", false, "hf:datasets/a/b")), framework.Partial, "not all under open terms (LicenseRef-Custom)", ""},
		{"described only", facts(set(component.DataCard, evidence.Present, "", false, "README.md:30")), framework.Fail, "described (README.md:30) but no source is named or shared", "E14"},
		{"described with sources named", facts(set(component.DataCard, evidence.Present, "", false, "README.md:30"), func(f *evidence.Facts) {
			f.DataInfo.Elements = []evidence.DataElement{{Name: evidence.ElemSources, Found: true}}
		}), framework.Partial, "described with its sources named in the text (README.md:30)", "E14"},
		{"fine-tune data", facts(dsOpen, parent("hf:base/m", "Apache-2.0", true)), framework.Pass, "fine-tuning data shared", ""},
		{"incomplete", facts(incomplete), framework.Unknown, "the inventory is incomplete", ""},
		{"no card", facts(noCard), framework.Unknown, "no model card", ""},
		{"closed", facts(), framework.Fail, "no training data named, shared or described", ""},
	})
	runParam(t, "datasources_basemodel", []paramCase{
		{"mirror open", facts(dsOpen), framework.Pass, "base and end model are the same, so this mirrors the end model: training data shared", "E15"},
		{"mirror closed", facts(), framework.Fail, "mirrors the end model: no training data", ""},
		{"mirror unknown", facts(incomplete), framework.Unknown, "mirrors the end model", ""},
		{"parent not read", facts(dsOpen, parent("hf:base/m", "Apache-2.0", true)), framework.Unknown, "the base model (base/m) has its own training data; its release was not read", "L-hf:base/m"},
		{"parent data open", facts(parentData("hf:base/m", "", ds("a/web", "ODC-By-1.0", true), ds("a/books", "CC-BY-4.0", true))), framework.Pass, "all shared under open terms: a/web (ODC-By-1.0), a/books (CC-BY-4.0)", "B-a/web"},
		{"parent data mixed", facts(parentData("hf:base/m", "", ds("a/web", "ODC-By-1.0", true), ds("a/books", "CC-BY-NC-4.0", false))), framework.Partial, "not open or not known to be: a/books (CC-BY-NC-4.0)", "B-a/books"},
		{"parent data unread licence", facts(parentData("hf:base/m", "", ds("a/web", "", false))), framework.Partial, "a/web (licence not read)", ""},
		{"parent names none", facts(parentData("hf:base/m", "")), framework.Fail, "the base model's card (base/m) names no training data", "L-hf:base/m"},
	})
}

func TestWeights(t *testing.T) {
	t.Parallel()
	runParam(t, "weights_endmodel", []paramCase{
		{"open", facts(weights(true, true, true, "Apache-2.0")), framework.Pass, "weights freely downloadable: model.safetensors", "E10"},
		{"local copy", facts(weights(true, true, true, "Apache-2.0"), func(f *evidence.Facts) { f.Access.Hub = false }), framework.Unknown, "a local copy cannot show whether downloads are free or gated", "E10"},
		{"gated files", facts(set(component.ModelParameters, evidence.Gated, "", false, "model.safetensors")), framework.Partial, "behind an access form", ""},
		{"gated card", facts(weights(true, true, false, "LicenseRef-Llama"), gatedFinding), framework.Partial, "behind an access form", "G"},
		{"absent", facts(), framework.Fail, "no weights released", ""},
		{"incomplete", facts(incomplete), framework.Unknown, "no weights found, but the inventory is incomplete", ""},
		{"no card", facts(noCard), framework.Unknown, "no model card", ""},
	})
	runParam(t, "weights_basemodel", []paramCase{
		{"mirror", facts(weights(true, true, true, "MIT")), framework.Pass, "mirrors the end model: weights freely downloadable", ""},
		{"mirror closed", facts(), framework.Fail, "mirrors the end model: no weights released", ""},
		{"open parent", facts(parent("hf:a/base", "Apache-2.0", true)), framework.Pass, "base weights published under open terms: hf:a/base (Apache-2.0)", "L-hf:a/base"},
		{"restricted parent", facts(parent("hf:meta/llama", "LicenseRef-Llama", false, "acceptable-use policy")), framework.Partial, "restrictive terms or behind a gate: hf:meta/llama (LicenseRef-Llama: acceptable-use policy)", ""},
		{"unknown parent", facts(parent("hf:x/y", "", false)), framework.Unknown, "terms and availability of hf:x/y unknown", ""},
		{"merge with unknown", facts(parent("hf:a/base", "Apache-2.0", true), parent("hf:x/y", "", false)), framework.Unknown, "hf:x/y unknown", ""},
		{"gated parent", facts(parentData("hf:meta/base", "manual")), framework.Partial, "behind a gate: hf:meta/base (Apache-2.0, downloads gated: manual)", ""},
	})
}

func TestTrainingCode(t *testing.T) {
	t.Parallel()
	runParam(t, "trainingcode", []paramCase{
		{"open", facts(tcOn, pcOn), framework.Pass, "training code released (train.py); data preprocessing code released (data/prepare.py)", "E16"},
		{"training only", facts(tcOn), framework.Partial, "no data preprocessing code", "E7"},
		{"preprocessing only", facts(pcOn), framework.Partial, "no training code", ""},
		{"fine-tuning only", facts(tcOn, pcOn, parent("hf:a/b", "MIT", true)), framework.Partial, "this is the fine-tuning code", ""},
		{"gated", facts(set(component.TrainingCode, evidence.Gated, "", false, "train.py"), pcOn), framework.Partial, "behind access terms", ""},
		{"one found, other unknown", facts(incomplete, tcOn), framework.Partial, "data preprocessing code not found, but the inventory is incomplete", ""},
		{"unknown", facts(incomplete), framework.Unknown, "the inventory is incomplete", ""},
		{"no card", facts(noCard), framework.Unknown, "no model card", ""},
		{"closed", facts(), framework.Fail, "no training code; no data preprocessing code", ""},
	})
	runParam(t, "code", []paramCase{
		{"documented", facts(tcOn, pcOn, doc(evidence.TopicCode, "docs/training.md"), doc(evidence.TopicTraining, "README.md:40")), framework.Pass, "training and data code documented: docs/training.md; training described in README.md:40", "D-docs/training.md"},
		{"docs but fine-tune", facts(tcOn, pcOn, parent("hf:a/b", "MIT", true), doc(evidence.TopicCode, "docs/training.md"), doc(evidence.TopicTraining, "README.md:40")), framework.Partial, "some steps documented", ""},
		{"card section only", facts(tcOn, doc(evidence.TopicTraining, "README.md:40")), framework.Partial, "training described in README.md:40", "D-README.md:40"},
		{"code without docs", facts(tcOn), framework.Partial, "code released but no documentation of it found", "E7"},
		{"unknown", facts(incomplete), framework.Unknown, "no training or data code found, but the inventory is incomplete", ""},
		{"closed", facts(), framework.Fail, "no training or data processing code released", ""},
	})
}

func TestDocumentation(t *testing.T) {
	t.Parallel()
	paperOn := set(component.ResearchPaper, evidence.Present, "", false, "arXiv:2402.00838")
	runParam(t, "hardware_architecture", []paramCase{
		{"both", facts(doc(evidence.TopicHardware, "README.md:80"), doc(evidence.TopicArchitecture, "README.md:20")), framework.Pass, "training hardware (README.md:80) and architecture (README.md:20) documented", "D-README.md:80"},
		{"hardware only", facts(doc(evidence.TopicHardware, "README.md:80")), framework.Partial, "the architecture is not described", ""},
		{"architecture only", facts(doc(evidence.TopicArchitecture, "README.md:20")), framework.Partial, "the training hardware is not described", ""},
		{"paper may say", facts(paperOn), framework.Unknown, "the papers it cites (arXiv:2402.00838) may, but glassbox does not read papers", "E21"},
		{"no card", facts(noCard), framework.Unknown, "no model card", ""},
		{"closed", facts(), framework.Fail, "neither the training hardware nor the architecture is documented", ""},
	})
	runParam(t, "preprint", []paramCase{
		{"arxiv", facts(paperOn), framework.Pass, "archived preprint cited: arXiv:2402.00838; glassbox does not read it", "E21"},
		{"arxiv report", facts(set(component.TechnicalReport, evidence.Present, "", false, "arXiv:2407.21783")), framework.Pass, "arXiv:2407.21783", "E11"},
		{"pdf report", facts(set(component.TechnicalReport, evidence.Present, "", false, "tech_report.pdf")), framework.Partial, "a paper or report (tech_report.pdf), but no archived preprint", ""},
		{"incomplete", facts(incomplete), framework.Unknown, "no preprint found, but the inventory is incomplete", ""},
		{"closed", facts(), framework.Fail, "no preprint cited", ""},
	})
	runParam(t, "paper", []paramCase{
		{"acl", facts(publication("ACL Anthology", "https://aclanthology.org/2024.acl-long.841/")), framework.Pass, "peer-reviewed publication cited: https://aclanthology.org/2024.acl-long.841/ (ACL Anthology)", "P-https://aclanthology.org/2024.acl-long.841/"},
		{"openreview", facts(publication("OpenReview", "https://openreview.net/forum?id=x")), framework.Pass, "OpenReview also hosts submissions still under review", ""},
		{"preprint only", facts(paperOn), framework.Fail, "no peer-reviewed paper cited (only arXiv:2402.00838, not at a reviewed venue)", "E21"},
		{"no card", facts(noCard), framework.Unknown, "no peer-reviewed paper found, but there is no model card", ""},
		{"closed", facts(), framework.Fail, "no peer-reviewed paper cited", ""},
	})
	evalOn := set(component.EvaluationResults, evidence.Present, "", false, "README.md:60")
	runParam(t, "modelcard", []paramCase{
		{"full", facts(evalOn, doc(evidence.TopicArchitecture, "README.md:20"), doc(evidence.TopicTuning, "README.md:40")), framework.Pass, "model card README.md covers architecture (README.md:20), training (README.md:40), evaluation (README.md:60)", "E12"},
		{"some", facts(evalOn), framework.Partial, "covers evaluation (README.md:60); nothing on architecture, training", "E13"},
		{"bare", facts(), framework.Fail, "describes neither architecture, training nor evaluation", "E13"},
		{"none", facts(noCard), framework.Unknown, "no model card found, but there is no model card", ""},
		{"absent", facts(func(f *evidence.Facts) { set(component.ModelCard, evidence.Absent, "", false)(f) }), framework.Fail, "no model card", ""},
		{"incomplete", facts(incomplete, set(component.ModelCard, evidence.Unknown, "", false)), framework.Unknown, "the inventory is incomplete", ""},
	})
	runParam(t, "datasheet", []paramCase{
		{"file", facts(set(component.DataCard, evidence.Present, "", false, "DATA_CARD.md")), framework.Pass, "datasheet for the training data: DATA_CARD.md", "E14"},
		{"section", facts(set(component.DataCard, evidence.Present, "", false, "README.md:37")), framework.Partial, "described in the model card (README.md:37), not in a datasheet", ""},
		{"dataset cards", facts(dataset("hf:datasets/a/b", "ODC-By-1.0")), framework.Partial, "have cards of their own (hf:datasets/a/b)", "DS-hf:datasets/a/b"},
		{"incomplete", facts(incomplete), framework.Unknown, "no datasheet found, but the inventory is incomplete", ""},
		{"closed", facts(), framework.Fail, "no datasheet or data card", ""},
	})
}

func TestLicenses(t *testing.T) {
	t.Parallel()
	openW := weights(true, true, true, "Apache-2.0")
	runParam(t, "licenses", []paramCase{
		{"all open", facts(openW, tcOn, dsOpen), framework.Pass, "weights under Apache-2.0; training code under Apache-2.0; training data under CC-BY-4.0", "W"},
		{"two open", facts(openW, tcOn), framework.Partial, "no training data released", ""},
		{"two open, one unknown", facts(openW, tcOn, set(component.Datasets, evidence.Present, "", false, "hf:datasets/a/b")), framework.Partial, "training data licence unknown", ""},
		{"restricted weights", facts(weights(true, true, false, "LicenseRef-Llama"), tcOn, dsOpen), framework.Partial, "weights under LicenseRef-Llama, not open", ""},
		{"only weights", facts(openW), framework.Fail, "no training code released", ""},
		{"weights unknown", facts(weights(true, false, false), tcOn), framework.Unknown, "weights licence unknown", ""},
		{"incomplete", facts(incomplete), framework.Unknown, "weights not found, but the inventory is incomplete", ""},
		{"closed", facts(), framework.Fail, "no weights released; no training code released; no training data released", ""},
	})
}

func TestEvaluateVerdict(t *testing.T) {
	t.Parallel()
	// Fully open from scratch: everything but the paper (none cited) is open.
	f := facts(weights(true, true, true, "Apache-2.0"), tcOn, pcOn, dsOpen,
		set(component.DataCard, evidence.Present, "", false, "DATA_CARD.md"),
		set(component.ResearchPaper, evidence.Present, "", false, "arXiv:2402.00838"),
		set(component.EvaluationResults, evidence.Present, "", false, "README.md:60"),
		doc(evidence.TopicHardware, "README.md:80"), doc(evidence.TopicArchitecture, "README.md:20"),
		doc(evidence.TopicTraining, "README.md:40"), doc(evidence.TopicCode, "docs/train.md"))
	v := Evaluate(f)
	if v.Framework != "osai" || v.Score == nil {
		t.Fatalf("verdict %+v", v)
	}
	if want := 11.0 / 12; math.Abs(*v.Score-want) > 1e-9 {
		t.Errorf("score %v, want %v", *v.Score, want)
	}
	if v.Label != "92%" {
		t.Errorf("label %q, want 92%%", v.Label)
	}
	if len(v.Reasons) != 12 || len(v.Elements) != 12 {
		t.Fatalf("%d reasons, %d elements", len(v.Reasons), len(v.Elements))
	}
	for i, p := range Params {
		if v.Reasons[i].Criterion != p.Key {
			t.Errorf("reason %d is %q, want %q", i, v.Reasons[i].Criterion, p.Key)
		}
	}
	if v.Elements["paper"].Result != framework.Fail {
		t.Errorf("paper %s", v.Elements["paper"].Result)
	}
	js := Judgements(v)
	if len(js) != 12 || js["paper"].Class != Closed || js["licenses"].Class != Open || js["paper"].Fix == "" || js["licenses"].Evidence == nil {
		t.Errorf("judgements %+v", js)
	}
	if v.Notes != nil {
		t.Errorf("notes %q, want none", v.Notes)
	}

	// Nothing looked for: every parameter unknown, score 0, all listed.
	u := Evaluate(&evidence.Facts{})
	if *u.Score != 0 || u.Label != "0%" {
		t.Errorf("empty facts: score %v label %q", *u.Score, u.Label)
	}
	for _, r := range u.Reasons {
		if r.Result != framework.Unknown {
			t.Errorf("empty facts: %s = %s (%s)", r.Criterion, r.Result, r.Detail)
		}
	}
	if len(u.Notes) != 1 || !strings.HasPrefix(u.Notes[0], "unknown, scored 0: datasources_basemodel, datasources_endmodel,") {
		t.Errorf("notes %q", u.Notes)
	}
}

func TestClass(t *testing.T) {
	t.Parallel()
	for _, c := range []Class{Open, Partial, Closed, Unknown} {
		if ClassOf(c.Result()) != c {
			t.Errorf("%s does not round-trip", c)
		}
	}
	if Open.Value() != 1 || Partial.Value() != 0.5 || Closed.Value() != 0 || Unknown.Value() != 0 || Class("").Value() != 0 {
		t.Error("class values")
	}
	if len(Params) != 12 || Params[0].Key != "datasources_basemodel" || Params[11].Key != "licenses" {
		t.Errorf("params %v", Params)
	}
	if Framework.Name != "osai" || Framework.Evaluate == nil {
		t.Error("framework value")
	}
}

// TestBriefArchitecture: a one-line architecture statement leaves the model card and the
// hardware-and-architecture parameters partial, however complete the rest is.
func TestBriefArchitecture(t *testing.T) {
	t.Parallel()
	docs := func(brief bool) func(*evidence.Facts) {
		return func(f *evidence.Facts) {
			f.Docs = []evidence.Doc{
				{Topic: evidence.TopicArchitecture, Location: "README.md:3", Brief: brief, Evidence: []string{"A"}},
				{Topic: evidence.TopicHardware, Location: "README.md:9", Evidence: []string{"H"}},
				{Topic: evidence.TopicTraining, Location: "README.md:20", Evidence: []string{"T"}},
			}
		}
	}
	eval := set(component.EvaluationResults, evidence.Present, "", false, "README.md:30")
	for _, tt := range []struct {
		brief bool
		want  framework.Result
	}{{true, framework.Partial}, {false, framework.Pass}} {
		v := Evaluate(facts(docs(tt.brief), eval))
		for _, key := range []string{"modelcard", "hardware_architecture"} {
			if r := v.Elements[key]; r.Result != tt.want {
				t.Errorf("brief %v: %s = %s (%s), want %s", tt.brief, key, r.Result, r.Detail, tt.want)
			}
		}
	}
}
