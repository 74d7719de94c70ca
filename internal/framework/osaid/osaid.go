// Package osaid judges a release against the OSI Open Source AI Definition 1.0 (October 2024):
// Data Information, Code and Parameters, each under OSI-approved terms.
package osaid

import (
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// Verdict labels.
const (
	Pass                 = "pass"
	Fail                 = "fail"
	InsufficientEvidence = "insufficient-evidence"
)

// Framework is the OSAID lens.
var Framework = &framework.Framework{
	Name:  "osaid",
	Title: "OSI Open Source AI Definition 1.0",
	Doc: "The Open Source Initiative's definition: an AI system is Open Source when its Data Information " +
		"(a complete description of the training data), its complete code (data processing, training, " +
		"evaluation, inference, supporting libraries, architecture) and its parameters are all available " +
		"under OSI-approved terms.",
	Evaluate: Evaluate,
}

// codeChecklist are the code components OSAID's checklist requires.
var codeChecklist = []component.ID{
	component.DataPreprocessingCode, component.TrainingCode, component.EvaluationCode,
	component.InferenceCode, component.SupportingLibraries, component.ModelArchitecture,
}

// Evaluate judges the three elements; the verdict passes only if all do.
func Evaluate(f *evidence.Facts) framework.Verdict {
	elems := map[string]framework.Reason{
		"data_information": dataInformation(f),
		"code":             code(f),
		"parameters":       parameters(f),
	}
	v := framework.Verdict{Framework: "osaid", Elements: elems}
	// Parameters first: for most releases they are what decides, and the text report shows the
	// first failing element.
	for _, k := range []string{"parameters", "code", "data_information"} {
		v.Reasons = append(v.Reasons, elems[k])
	}
	v.Label = Pass
	for _, r := range v.Reasons {
		if r.Result == framework.Fail {
			v.Label = Fail
			return v
		}
		if r.Result != framework.Pass {
			v.Label = InsufficientEvidence
		}
	}
	return v
}

func parameters(f *evidence.Facts) framework.Reason {
	w := f.Weights
	r := framework.Reason{Criterion: "parameters under OSI-approved terms", Evidence: framework.Ev(w.Evidence...)}
	p := f.Component(component.ModelParameters)
	switch {
	case p.Status == evidence.Absent:
		r.Result, r.Detail, r.Fix = framework.Fail, "no parameters released", "publish the weights under OSI-approved terms"
	case !w.Present:
		r.Result, r.Detail, r.Fix = framework.Unknown, "the parameters could not be looked for", "scan the complete release"
	case !w.Known:
		r.Result, r.Detail, r.Fix = framework.Unknown, "no identifiable licence covers the parameters", "declare the weights' licence"
	case w.Open:
		r.Result, r.Detail = framework.Pass, "parameters under "+strings.Join(w.Licenses, " AND ")
	default:
		r.Result = framework.Fail
		r.Detail = "parameters not under OSI-approved terms (" + strings.Join(w.Licenses, " AND ")
		if len(w.Restrictions) > 0 {
			r.Detail += ": " + strings.Join(w.Restrictions, ", ")
		}
		r.Detail += ")"
		r.Fix = "release the weights under OSI-approved terms without use restrictions"
	}
	return r
}

func code(f *evidence.Facts) framework.Reason {
	r := framework.Reason{Criterion: "complete code under OSI-approved licences", Result: framework.Pass, Evidence: []string{}}
	var missing, closed, unknown []string
	for _, id := range codeChecklist {
		c := f.Component(id)
		for _, e := range c.Evidence {
			if !slices.Contains(r.Evidence, e) {
				r.Evidence = append(r.Evidence, e)
			}
		}
		name := strings.ToLower(c.Name)
		switch {
		case c.Status == evidence.Absent:
			missing = append(missing, name)
		case c.Status == evidence.Unknown:
			unknown = append(unknown, name)
		case c.License == "":
			unknown = append(unknown, name+" (no licence found)")
		case !c.Open:
			closed = append(closed, name+" ("+c.License+")")
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing: "+strings.Join(missing, ", "))
	}
	if len(closed) > 0 {
		parts = append(parts, "not OSI-licensed: "+strings.Join(closed, ", "))
	}
	if len(unknown) > 0 {
		parts = append(parts, "unknown: "+strings.Join(unknown, ", "))
	}
	switch {
	case len(missing)+len(closed) > 0:
		r.Result = framework.Fail
		r.Fix = "release " + strings.Join(append(missing, closed...), ", ") + " under OSI-approved licences"
	case len(unknown) > 0:
		r.Result = framework.Unknown
		r.Fix = "scan the complete release and ship a licence that covers " + strings.Join(unknown, ", ")
	}
	if len(parts) == 0 {
		r.Detail = "data processing, training, evaluation, inference, supporting libraries and architecture code all present under OSI-approved licences"
	} else {
		r.Detail = strings.Join(parts, "; ")
	}
	return r
}

// dataInformation is OSAID's Data Information: the training data under open terms, or a
// description substantive enough that a skilled person could build a substantially equivalent
// system (evidence.DataInfo: named sources and most of scope, collection, processing and
// labelling). A paper or technical report is cited beside it when the card has one.
func dataInformation(f *evidence.Facts) framework.Reason {
	data := f.Component(component.Datasets)
	card := f.Component(component.DataCard)
	paper := f.Component(component.ResearchPaper)
	report := f.Component(component.TechnicalReport)
	di := f.DataInfo
	r := framework.Reason{Criterion: "Data Information", Evidence: framework.Ev(append(append([]string{}, data.Evidence...), di.Evidence...)...)}
	missing := strings.Join(di.Missing(), ", ")
	switch {
	case data.Status == evidence.Present && data.Open:
		r.Result, r.Detail = framework.Pass, "training datasets released under "+data.License
	case card.Status == evidence.Unknown:
		// Named datasets without open terms leave Data Information to a data card that an
		// incomplete inventory may have missed.
		r.Result, r.Detail, r.Fix = framework.Unknown, "data documentation could not be looked for", "scan the complete release"
	case di.Level == evidence.DataSubstantive && (paper.Status == evidence.Present || report.Status == evidence.Present):
		r.Result, r.Detail = framework.Pass, "data card and paper or technical report describe the training data ("+strings.Join(di.Found(), ", ")+")"
		r.Evidence = append(append(r.Evidence, paper.Evidence...), report.Evidence...)
	case di.Level == evidence.DataSubstantive && paper.Status == evidence.Unknown && report.Status == evidence.Unknown:
		r.Result, r.Detail, r.Fix = framework.Unknown, "a data card, but papers and reports could not be looked for", "scan the complete release, or link the paper or technical report from the card"
	case di.Level == evidence.DataSubstantive:
		r.Result, r.Detail = framework.Fail, "a data card ("+strings.Join(di.Found(), ", ")+"), but no paper or technical report to complete the description of the training data"
		r.Fix = "publish a paper or technical report describing how the training data was obtained, selected and processed"
	case di.Level == evidence.DataPartial:
		// OSAID asks for a complete description: a partial one is a known failure, not missing
		// evidence.
		r.Result, r.Detail = framework.Fail, "the training data is described only in part ("+strings.Join(di.Found(), ", ")+"); missing "+missing
		r.Fix = "describe the training data's " + missing + " so that a skilled person could build a substantially equivalent system"
	case di.Level == evidence.DataOverview:
		r.Result, r.Detail = framework.Fail, "only an overview of the training data; missing "+missing
		r.Fix = "publish a data card listing all training data with its sources, scope, how it was obtained, selected, processed and labelled"
	default:
		r.Result, r.Detail = framework.Fail, "no description of the training data (data card, datasheet) and no open datasets"
		r.Fix = "publish a data card listing all training data with provenance, selection and processing"
	}
	return r
}
