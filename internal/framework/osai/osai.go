// Package osai implements the European Open Source AI Index (osai-index.eu): twelve parameters
// of availability, documentation and access, each open, partial or closed, and a score that is
// their mean. It does two things: it reads the index's own records and scores them exactly as
// the index's site does (Record, Score), and it judges a release from glassbox's facts by the
// same twelve parameters (Evaluate).
package osai

import (
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// Class is a parameter's openness class.
type Class string

// Classes. Unknown is glassbox's (and a record's blank, "not applicable"); it scores 0.
const (
	Open    Class = "open"
	Partial Class = "partial"
	Closed  Class = "closed"
	Unknown Class = "unknown"
)

// Value is the class's contribution to the score: open 1, partial 0.5, anything else 0.
func (c Class) Value() float64 {
	switch c {
	case Open:
		return 1
	case Partial:
		return 0.5
	}
	return 0
}

// Result is the criterion result the class reads as.
func (c Class) Result() framework.Result {
	switch c {
	case Open:
		return framework.Pass
	case Partial:
		return framework.Partial
	case Closed:
		return framework.Fail
	}
	return framework.Unknown
}

// ClassOf reads a criterion result as a class.
func ClassOf(r framework.Result) Class {
	switch r {
	case framework.Pass:
		return Open
	case framework.Partial:
		return Partial
	case framework.Fail:
		return Closed
	}
	return Unknown
}

// Param is one of the twelve parameters.
type Param struct {
	// Key is the index's key ("weights_endmodel"), Group its group (availability,
	// documentation, access) and Name its display name.
	Key, Group, Name string
}

// Params are the twelve parameters in the index's order.
var Params = []Param{
	{"datasources_basemodel", "availability", "Base Model Data"},
	{"datasources_endmodel", "availability", "End User Model Data"},
	{"weights_basemodel", "availability", "Base Model Weights"},
	{"weights_endmodel", "availability", "End User Model Weights"},
	{"trainingcode", "availability", "Training Code"},
	{"code", "documentation", "Code Documentation"},
	{"hardware_architecture", "documentation", "Hardware Architecture"},
	{"preprint", "documentation", "Preprint"},
	{"paper", "documentation", "Paper"},
	{"modelcard", "documentation", "Modelcard"},
	{"datasheet", "documentation", "Datasheet"},
	{"licenses", "access", "Licenses"},
}

// Framework is the OSAI index lens.
var Framework = &framework.Framework{
	Name:  "osai",
	Title: "European Open Source AI Index",
	Doc: "The European Open Source AI Index (osai-index.eu) rates twelve parameters of a generative AI " +
		"system as open, partial or closed: availability of the base and end model's training data and " +
		"weights and of the training code; documentation of the code, hardware and architecture, " +
		"preprints, peer-reviewed papers, model card and datasheet; and open licences for everything. " +
		"The score is the mean (open 1, partial 0.5, closed 0). The index's experts read papers and " +
		"websites; glassbox judges from the release alone, so parameters it cannot settle are unknown " +
		"and score 0.",
	Evaluate: Evaluate,
}

// judges holds each parameter's judgement, by key.
var judges = map[string]func(*evidence.Facts) framework.Reason{
	"datasources_basemodel": datasourcesBase,
	"datasources_endmodel":  datasourcesEnd,
	"weights_basemodel":     weightsBase,
	"weights_endmodel":      weightsEnd,
	"trainingcode":          trainingCode,
	"code":                  codeDocs,
	"hardware_architecture": hardwareArchitecture,
	"preprint":              preprint,
	"paper":                 paper,
	"modelcard":             modelCard,
	"datasheet":             datasheet,
	"licenses":              licenses,
}

// Evaluate judges the twelve parameters from the facts. The label is the score as a whole
// percentage; unknown parameters score 0 and are listed in the verdict's notes.
func Evaluate(f *evidence.Facts) framework.Verdict {
	v := framework.Verdict{Framework: "osai", Elements: map[string]framework.Reason{}, Reasons: []framework.Reason{}}
	sum := 0.0
	var unknown []string
	for _, p := range Params {
		r := judges[p.Key](f)
		r.Criterion = p.Key
		r.Evidence = framework.Ev(dedupe(r.Evidence)...)
		v.Reasons = append(v.Reasons, r)
		v.Elements[p.Key] = r
		sum += ClassOf(r.Result).Value()
		if r.Result == framework.Unknown {
			unknown = append(unknown, p.Key)
		}
	}
	score := sum / float64(len(Params))
	v.Score = &score
	v.Label = Percent(score)
	if len(unknown) > 0 {
		v.Notes = []string{"unknown, scored 0: " + strings.Join(unknown, ", ")}
	}
	return v
}

// Judgement is one parameter as the JSON report shows it (CONTRACT.md: frameworks.osai.parameters):
// the class, with the reason's detail, fix and evidence.
type Judgement struct {
	Class    Class    `json:"class"`
	Detail   string   `json:"detail,omitempty"`
	Fix      string   `json:"fix,omitempty"`
	Evidence []string `json:"evidence"`
}

// Judgements reads a verdict's elements as the twelve parameters' classes.
func Judgements(v framework.Verdict) map[string]Judgement {
	out := make(map[string]Judgement, len(v.Elements))
	for k, r := range v.Elements {
		out[k] = Judgement{Class: ClassOf(r.Result), Detail: r.Detail, Fix: r.Fix, Evidence: framework.Ev(r.Evidence...)}
	}
	return out
}

// Percent renders a score as a whole percentage ("58%").
func Percent(score float64) string { return fmt.Sprintf("%.0f%%", score*100) }

// ---- helpers

func present(c evidence.Component) bool {
	return c.Status == evidence.Present || c.Status == evidence.Gated
}

// settled reports whether "not found" means "not there": the inventory is the whole release and
// there is a card, which is where a release points to what it publishes elsewhere.
func settled(f *evidence.Facts) bool { return f.Complete && f.HasCard }

// unsettled says why a search that found nothing cannot conclude.
func unsettled(f *evidence.Facts) string {
	switch {
	case !f.Complete && !f.HasCard:
		return "the inventory is incomplete and there is no model card"
	case !f.Complete:
		return "the inventory is incomplete"
	}
	return "there is no model card to say what is published elsewhere"
}

const fixUnsettled = "scan the complete release, model card included"

func reason(res framework.Result, detail, fix string, ev ...[]string) framework.Reason {
	r := framework.Reason{Result: res, Detail: detail, Fix: fix}
	for _, e := range ev {
		r.Evidence = append(r.Evidence, e...)
	}
	if res == framework.Pass {
		r.Fix = ""
	}
	return r
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func list(items []string) string {
	const most = 4
	if len(items) > most {
		return strings.Join(items[:most], ", ") + fmt.Sprintf(" and %d more", len(items)-most)
	}
	return strings.Join(items, ", ")
}

func docLocations(ds []evidence.Doc) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Location)
	}
	return out
}

func docEvidence(ds []evidence.Doc) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Evidence...)
	}
	return out
}

func parents(f *evidence.Facts) []string {
	var out []string
	for _, p := range f.Lineage {
		out = append(out, p.Ref)
	}
	return out
}

func lineageEvidence(f *evidence.Facts) []string {
	var out []string
	for _, p := range f.Lineage {
		out = append(out, p.Evidence...)
	}
	return out
}

// mirror judges a base-model parameter for a release without a base: base and end model are
// the same, so the base-model parameter mirrors the end-model one.
func mirror(r framework.Reason) framework.Reason {
	r.Detail = "base and end model are the same, so this mirrors the end model: " + r.Detail
	return r
}

// ---- availability

// trainingData names what the release's own datasets are: for a fine-tune, its tuning data.
func trainingData(f *evidence.Facts) string {
	if len(f.Lineage) > 0 {
		return "fine-tuning data"
	}
	return "training data"
}

func datasourcesEnd(f *evidence.Facts) framework.Reason {
	c := f.Component(component.Datasets)
	dc := f.Component(component.DataCard)
	what := trainingData(f)
	ev := append(append([]string{}, c.Evidence...), dc.Evidence...)
	for _, d := range f.Datasets {
		ev = append(ev, d.Evidence...)
	}
	switch {
	case c.Status == evidence.Present && c.Open:
		return reason(framework.Pass, what+" shared under "+c.License+": "+list(c.Locations), "", ev)
	case c.Status == evidence.Gated:
		return reason(framework.Partial, what+" shared behind access terms: "+list(c.Locations),
			"let anyone download the "+what+" without a form", ev)
	case c.Status == evidence.Present && c.License == "":
		return reason(framework.Partial, what+" named ("+list(c.Locations)+"), but not every dataset's licence is known",
			"share every dataset under an open licence and state it in the dataset's card", ev)
	case c.Status == evidence.Present:
		return reason(framework.Partial, what+" named ("+list(c.Locations)+"), but not all under open terms ("+c.License+")",
			"share all "+what+" under open licences", ev)
	case present(dc) && namesSources(f):
		return reason(framework.Partial, what+" described with its sources named in the text ("+list(dc.Locations)+"), but not listed or shared",
			"publish the "+what+", or name the published datasets in the card's datasets field", ev)
	case present(dc):
		// Describing data is not sharing it: with no source named, nothing is open for
		// inspection.
		return reason(framework.Fail, what+" described ("+list(dc.Locations)+") but no source is named or shared",
			"publish the "+what+", or name the published datasets in the card's datasets field", ev)
	case c.Status == evidence.Unknown || dc.Status == evidence.Unknown || !settled(f):
		return reason(framework.Unknown, what+" not found, but "+unsettled(f), fixUnsettled, ev)
	}
	return reason(framework.Fail, "no "+what+" named, shared or described",
		"publish the "+what+" under open licences and name it in the card", ev)
}

// namesSources reports whether the release's description of its data names its sources.
func namesSources(f *evidence.Facts) bool {
	for _, e := range f.DataInfo.Elements {
		if e.Name == evidence.ElemSources && e.Found {
			return true
		}
	}
	return false
}

func datasourcesBase(f *evidence.Facts) framework.Reason {
	if len(f.Lineage) == 0 {
		return mirror(datasourcesEnd(f))
	}
	var open, other, unread, none []string
	var ev []string
	for _, p := range f.Lineage {
		ref := strings.TrimPrefix(p.Ref, "hf:")
		if !p.DataRead {
			unread = append(unread, ref)
			continue
		}
		if len(p.Datasets) == 0 {
			none = append(none, ref)
		}
		for _, d := range p.Datasets {
			ev = append(ev, d.Evidence...)
			name := strings.TrimPrefix(d.Ref, "hf:datasets/")
			if d.Open {
				open = append(open, name+" ("+d.License+")")
			} else {
				lic := d.License
				if lic == "" {
					lic = "licence not read"
				}
				other = append(other, name+" ("+lic+")")
			}
		}
	}
	ev = append(ev, lineageEvidence(f)...)
	switch {
	case len(unread) > 0 && len(open)+len(other) == 0:
		return reason(framework.Unknown,
			"the base model ("+list(unread)+") has its own training data; its release was not read (offline, or not a Hub model)",
			"scan the model as hf:ORG/NAME so the base model's card and datasets are read", ev)
	case len(open) > 0 && len(other)+len(none)+len(unread) == 0:
		return reason(framework.Pass, "the base model's card names its training data, all shared under open terms: "+list(open), "", ev)
	case len(open)+len(other) > 0:
		d := "the base model's card names training data: "
		if len(open) > 0 {
			d += "open: " + list(open) + "; "
		}
		if len(other) > 0 {
			d += "not open or not known to be: " + list(other) + "; "
		}
		if len(none)+len(unread) > 0 {
			d += "nothing known of " + list(append(none, unread...)) + "; "
		}
		return reason(framework.Partial, strings.TrimSuffix(d, "; "), "build on a base model whose training data is all shared under open terms", ev)
	}
	return reason(framework.Fail, "the base model's card ("+list(none)+") names no training data",
		"build on a base model that shares its training data, or document and share it", ev)
}

func weightsEnd(f *evidence.Facts) framework.Reason {
	p := f.Component(component.ModelParameters)
	gated := p.Status == evidence.Gated
	ev := append(append([]string{}, p.Evidence...), f.Weights.Evidence...)
	for _, fi := range f.Findings {
		if fi.ID == "gated" {
			gated = true
			ev = append(ev, fi.Evidence...)
		}
	}
	switch {
	case present(p) && gated:
		return reason(framework.Partial, "weights published ("+list(p.Locations)+") behind an access form",
			"let anyone download the weights without a form", ev)
	case present(p) && !f.Access.Hub:
		// A local copy shows that the weights exist, not whether the place they are published
		// lets anyone download them.
		return reason(framework.Unknown, "weights in this copy ("+list(p.Locations)+"), but a local copy cannot show whether downloads are free or gated",
			"scan hf:ORG/NAME (where the weights are published) so the download gate can be read", ev)
	case present(p):
		return reason(framework.Pass, "weights freely downloadable: "+list(p.Locations), "", ev)
	case p.Status == evidence.Unknown || !settled(f):
		return reason(framework.Unknown, "no weights found, but "+unsettled(f), fixUnsettled, ev)
	}
	return reason(framework.Fail, "no weights released", "publish the final weights for anyone to download", ev)
}

func weightsBase(f *evidence.Facts) framework.Reason {
	if len(f.Lineage) == 0 {
		return mirror(weightsEnd(f))
	}
	res := framework.Pass
	var open, restricted, unknown []string
	for _, p := range f.Lineage {
		switch {
		case p.License == "":
			unknown = append(unknown, p.Ref)
		case p.Gated != "":
			restricted = append(restricted, p.Ref+" ("+p.License+", downloads gated: "+p.Gated+")")
		case p.Open:
			open = append(open, p.Ref+" ("+p.License+")")
		default:
			r := p.Ref + " (" + p.License
			if len(p.Restrictions) > 0 {
				r += ": " + strings.Join(p.Restrictions, ", ")
			}
			restricted = append(restricted, r+")")
		}
	}
	var parts []string
	if len(open) > 0 {
		parts = append(parts, "base weights published under open terms: "+list(open))
	}
	if len(restricted) > 0 {
		res = framework.Partial
		parts = append(parts, "base weights under restrictive terms or behind a gate: "+list(restricted))
	}
	if len(unknown) > 0 {
		res = framework.Unknown
		parts = append(parts, "terms and availability of "+list(unknown)+" unknown")
	}
	fix := ""
	switch res {
	case framework.Partial:
		fix = "build on a base model whose weights anyone may download under open terms"
	case framework.Unknown:
		fix = "audit the base model's release to see whether its weights are freely available"
	}
	return reason(res, strings.Join(parts, "; "), fix, lineageEvidence(f))
}

func trainingCode(f *evidence.Facts) framework.Reason {
	tc := f.Component(component.TrainingCode)
	pc := f.Component(component.DataPreprocessingCode)
	ev := append(append([]string{}, tc.Evidence...), pc.Evidence...)
	describe := func(c evidence.Component, name string) string {
		switch {
		case c.Status == evidence.Gated:
			return name + " behind access terms (" + list(c.Locations) + ")"
		case c.Status == evidence.Present:
			return name + " released (" + list(c.Locations) + ")"
		case c.Status == evidence.Unknown || !settled(f):
			return name + " not found, but " + unsettled(f)
		}
		return "no " + name
	}
	detail := describe(tc, "training code") + "; " + describe(pc, "data preprocessing code")
	switch {
	case !present(tc) && !present(pc):
		if tc.Status == evidence.Unknown || pc.Status == evidence.Unknown || !settled(f) {
			return reason(framework.Unknown, detail, fixUnsettled, ev)
		}
		return reason(framework.Fail, detail, "release the code for data processing, training and tuning", ev)
	case !present(tc) || !present(pc):
		return reason(framework.Partial, detail, "release the code for every step: data processing, training and tuning", ev)
	case tc.Status == evidence.Gated || pc.Status == evidence.Gated:
		return reason(framework.Partial, detail, "release the code without access terms", ev)
	case len(f.Lineage) > 0:
		return reason(framework.Partial, detail+"; this is the fine-tuning code, the base model's ("+list(parents(f))+") training code is not part of the release",
			"release or link the base model's training code too", ev, lineageEvidence(f))
	}
	return reason(framework.Pass, detail, "", ev)
}

// ---- documentation

func codeDocs(f *evidence.Facts) framework.Reason {
	tc := f.Component(component.TrainingCode)
	pc := f.Component(component.DataPreprocessingCode)
	docs := f.DocsOn(evidence.TopicCode)
	steps := append(f.DocsOn(evidence.TopicTraining), f.DocsOn(evidence.TopicTuning)...)
	ev := append(append(append([]string{}, tc.Evidence...), pc.Evidence...), append(docEvidence(docs), docEvidence(steps)...)...)
	switch {
	case !present(tc) && !present(pc):
		if tc.Status == evidence.Unknown || pc.Status == evidence.Unknown || !settled(f) {
			return reason(framework.Unknown, "no training or data code found, but "+unsettled(f), fixUnsettled, ev)
		}
		return reason(framework.Fail, "no training or data processing code released, so none is documented",
			"release the training and data processing code and document every step", ev)
	case len(docs) > 0 && len(steps) > 0 && present(tc) && present(pc) && len(f.Lineage) == 0:
		return reason(framework.Pass, "training and data code documented: "+list(docLocations(docs))+"; training described in "+list(docLocations(steps)), "", ev)
	case len(docs) > 0 || len(steps) > 0:
		var parts []string
		if len(docs) > 0 {
			parts = append(parts, "code documentation in "+list(docLocations(docs)))
		}
		if len(steps) > 0 {
			parts = append(parts, "training described in "+list(docLocations(steps)))
		}
		return reason(framework.Partial, "some steps documented: "+strings.Join(parts, "; ")+"; not every step of data processing, training and tuning is covered",
			"document how to run every step of data processing, training and tuning", ev)
	}
	return reason(framework.Partial, "code released but no documentation of it found (no docs folder, guide or card section on training)",
		"document how to run every step of data processing, training and tuning", ev)
}

func papersCited(f *evidence.Facts) ([]string, []string) {
	var locs, ev []string
	for _, id := range []component.ID{component.ResearchPaper, component.TechnicalReport} {
		c := f.Component(id)
		if present(c) {
			locs = append(locs, c.Locations...)
			ev = append(ev, c.Evidence...)
		}
	}
	return locs, ev
}

func hardwareArchitecture(f *evidence.Facts) framework.Reason {
	hw := f.DocsOn(evidence.TopicHardware)
	arch := f.DocsOn(evidence.TopicArchitecture)
	ev := append(docEvidence(hw), docEvidence(arch)...)
	brief := len(arch) > 0
	for _, d := range arch {
		brief = brief && d.Brief
	}
	switch {
	case len(hw) > 0 && brief:
		return reason(framework.Partial, "training hardware documented ("+list(docLocations(hw))+"); the architecture only in a one-line statement ("+list(docLocations(arch))+")",
			"describe the model architecture (layers, sizes, attention) in a section of the card", ev)
	case len(hw) > 0 && len(arch) > 0:
		return reason(framework.Pass, "training hardware ("+list(docLocations(hw))+") and architecture ("+list(docLocations(arch))+") documented", "", ev)
	case len(hw) > 0:
		return reason(framework.Partial, "training hardware documented ("+list(docLocations(hw))+"), the architecture is not described in the card",
			"describe the model architecture (layers, sizes, attention) in the card", ev)
	case len(arch) > 0:
		return reason(framework.Partial, "architecture documented ("+list(docLocations(arch))+"), the training hardware is not described in the card",
			"state the training hardware (accelerators, their number, compute used) in the card", ev)
	case !settled(f):
		return reason(framework.Unknown, "no hardware or architecture description found, but "+unsettled(f), fixUnsettled, ev)
	}
	if locs, pev := papersCited(f); len(locs) > 0 {
		return reason(framework.Unknown, "the card describes neither the training hardware nor the architecture; the papers it cites ("+list(locs)+") may, but glassbox does not read papers",
			"state the training hardware and the architecture in the model card", ev, pev)
	}
	return reason(framework.Fail, "neither the training hardware nor the architecture is documented",
		"document the training hardware and the model architecture in the card", ev)
}

// archived reports whether a paper location is an archived preprint (arXiv, or its DOI).
func archived(loc string) bool {
	l := strings.ToLower(loc)
	return strings.HasPrefix(l, "arxiv:") || strings.HasPrefix(l, "doi:10.48550/") ||
		strings.Contains(l, "arxiv.org/") || strings.Contains(l, "huggingface.co/papers/")
}

func preprint(f *evidence.Facts) framework.Reason {
	rp := f.Component(component.ResearchPaper)
	tr := f.Component(component.TechnicalReport)
	ev := append(append([]string{}, rp.Evidence...), tr.Evidence...)
	var arx []string
	for _, c := range []evidence.Component{tr, rp} {
		if !present(c) {
			continue
		}
		for _, l := range c.Locations {
			if archived(l) {
				arx = append(arx, l)
			}
		}
	}
	switch {
	case len(arx) > 0:
		return reason(framework.Pass, "archived preprint cited: "+list(arx)+"; glassbox does not read it to check that it covers data, training and tuning", "", ev)
	case present(rp) || present(tr):
		locs, _ := papersCited(f)
		return reason(framework.Partial, "a paper or report ("+list(locs)+"), but no archived preprint",
			"archive a preprint (arXiv) that details data processing, training and tuning", ev)
	case rp.Status == evidence.Unknown || tr.Status == evidence.Unknown || !settled(f):
		return reason(framework.Unknown, "no preprint found, but "+unsettled(f), fixUnsettled, ev)
	}
	return reason(framework.Fail, "no preprint cited", "publish a preprint (arXiv) that details data processing, training and tuning, and cite it in the card", ev)
}

func paper(f *evidence.Facts) framework.Reason {
	var ev, refs []string
	review := false
	for _, p := range f.Publications {
		refs = append(refs, p.Ref+" ("+p.Venue+")")
		ev = append(ev, p.Evidence...)
		review = review || strings.Contains(strings.ToLower(p.Ref), "openreview.net")
	}
	switch {
	case len(refs) > 0:
		d := "peer-reviewed publication cited: " + list(refs) + "; glassbox does not read it to check that it covers data, training and tuning"
		if review {
			d += " (OpenReview also hosts submissions still under review)"
		}
		return reason(framework.Pass, d, "", ev)
	case !settled(f):
		return reason(framework.Unknown, "no peer-reviewed paper found, but "+unsettled(f), fixUnsettled)
	}
	d := "no peer-reviewed paper cited"
	if locs, pev := papersCited(f); len(locs) > 0 {
		d += " (only " + list(locs) + ", not at a reviewed venue)"
		ev = append(ev, pev...)
	}
	return reason(framework.Fail, d, "publish the work at a peer-reviewed venue and cite it in the card", ev)
}

func modelCard(f *evidence.Facts) framework.Reason {
	mc := f.Component(component.ModelCard)
	eval := f.Component(component.EvaluationResults)
	arch := f.DocsOn(evidence.TopicArchitecture)
	train := append(f.DocsOn(evidence.TopicTraining), f.DocsOn(evidence.TopicTuning)...)
	ev := append(append([]string{}, mc.Evidence...), append(docEvidence(arch), docEvidence(train)...)...)
	if !present(mc) {
		if mc.Status == evidence.Unknown || !settled(f) {
			return reason(framework.Unknown, "no model card found, but "+unsettled(f), fixUnsettled, ev)
		}
		return reason(framework.Fail, "no model card", "publish a model card covering architecture, training, tuning and evaluation", ev)
	}
	var covers, lacks []string
	add := func(ok bool, topic string, locs []string) {
		if ok {
			covers = append(covers, topic+" ("+list(locs)+")")
		} else {
			lacks = append(lacks, topic)
		}
	}
	briefArch := len(arch) > 0
	for _, d := range arch {
		briefArch = briefArch && d.Brief
	}
	archTopic := "architecture"
	if briefArch {
		archTopic = "architecture in a one-line statement"
	}
	add(len(arch) > 0, archTopic, docLocations(arch))
	add(len(train) > 0, "training", docLocations(train))
	add(present(eval), "evaluation", eval.Locations)
	if present(eval) {
		ev = append(ev, eval.Evidence...)
	}
	where := list(mc.Locations)
	switch {
	case len(lacks) == 0 && briefArch:
		return reason(framework.Partial, "model card "+where+" covers "+strings.Join(covers, ", ")+"; the architecture is not described beyond one line",
			"describe the architecture (layers, sizes, attention) in a section of the model card", ev)
	case len(lacks) == 0:
		return reason(framework.Pass, "model card "+where+" covers "+strings.Join(covers, ", "), "", ev)
	case len(covers) > 0:
		return reason(framework.Partial, "model card "+where+" covers "+strings.Join(covers, ", ")+"; nothing on "+strings.Join(lacks, ", "),
			"add sections on "+strings.Join(lacks, ", ")+" to the model card", ev)
	}
	return reason(framework.Fail, "model card "+where+" describes neither architecture, training nor evaluation",
		"add sections on architecture, training, tuning and evaluation to the model card", ev)
}

func datasheet(f *evidence.Facts) framework.Reason {
	dc := f.Component(component.DataCard)
	var files, sections []string
	for _, l := range dc.Locations {
		if strings.Contains(l, ":") {
			sections = append(sections, l)
		} else {
			files = append(files, l)
		}
	}
	ev := append([]string{}, dc.Evidence...)
	var carded []string
	for _, d := range f.Datasets {
		if d.License != "" {
			carded = append(carded, d.Ref)
			ev = append(ev, d.Evidence...)
		}
	}
	switch {
	case present(dc) && len(files) > 0:
		return reason(framework.Pass, "datasheet for the training data: "+list(files)+"; glassbox does not check it against every question of Datasheets for Datasets", "", ev)
	case present(dc):
		return reason(framework.Partial, "training data described in the model card ("+list(sections)+"), not in a datasheet",
			"publish a datasheet for the training data (Datasheets for Datasets) or an AI Act training-data summary", ev)
	case len(carded) > 0:
		return reason(framework.Partial, "the named datasets have cards of their own ("+list(carded)+"), which glassbox does not check against Datasheets for Datasets",
			"publish a datasheet covering all training data (Datasheets for Datasets) or an AI Act training-data summary", ev)
	case dc.Status == evidence.Unknown || !settled(f):
		return reason(framework.Unknown, "no datasheet found, but "+unsettled(f), fixUnsettled, ev)
	}
	return reason(framework.Fail, "no datasheet or data card", "publish a datasheet for the training data (Datasheets for Datasets) or an AI Act training-data summary", ev)
}

// ---- access

func licenses(f *evidence.Facts) framework.Reason {
	type part struct {
		name  string
		state string // "open", "not", "unknown"
		what  string
		ev    []string
	}
	judge := func(c evidence.Component, name string) part {
		p := part{name: name, ev: c.Evidence}
		switch {
		case c.Status == evidence.Unknown || (!present(c) && !settled(f)):
			p.state, p.what = "unknown", name+" not found, but "+unsettled(f)
		case !present(c):
			p.state, p.what = "not", "no "+name+" released"
		case c.License == "":
			p.state, p.what = "unknown", name+" licence unknown"
		case c.Open:
			p.state, p.what = "open", name+" under "+c.License
		default:
			p.state, p.what = "not", name+" under "+c.License+", not open"
		}
		return p
	}
	w := f.Weights
	wp := part{name: "weights", ev: w.Evidence}
	switch params := f.Component(component.ModelParameters); {
	case w.Present && w.Known && w.Open:
		wp.state, wp.what = "open", "weights under "+strings.Join(w.Licenses, " AND ")
	case w.Present && w.Known:
		wp.state, wp.what = "not", "weights under "+strings.Join(w.Licenses, " AND ")+", not open"
		if len(w.Restrictions) > 0 {
			wp.what += " (" + strings.Join(w.Restrictions, ", ") + ")"
		}
	case w.Present:
		wp.state, wp.what = "unknown", "weights licence unknown"
	case params.Status == evidence.Absent && settled(f):
		wp.state, wp.what = "not", "no weights released"
	default:
		wp.state, wp.what = "unknown", "weights not found, but "+unsettled(f)
	}
	parts := []part{wp, judge(f.Component(component.TrainingCode), "training code"), judge(f.Component(component.Datasets), "training data")}
	var whats, ev []string
	open, unknown := 0, 0
	for _, p := range parts {
		whats = append(whats, p.what)
		ev = append(ev, p.ev...)
		switch p.state {
		case "open":
			open++
		case "unknown":
			unknown++
		}
	}
	detail := strings.Join(whats, "; ")
	fix := "release weights, training code and training data under open (OSI-approved or open data) licences"
	switch {
	case open == 3:
		return reason(framework.Pass, detail, "", ev)
	case open == 2:
		return reason(framework.Partial, detail, fix, ev)
	case open+unknown >= 2:
		return reason(framework.Unknown, detail, fix, ev)
	}
	return reason(framework.Fail, detail, fix, ev)
}
