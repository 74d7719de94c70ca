// Package g7 places a release on the G7 openness tiers (G7 Digital and Technology Ministers,
// Paris, 29 May 2026), the headline label of every glassbox report.
package g7

import (
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// Tier labels, lowest to highest (JSON values of the report's tier).
const (
	InsufficientEvidence  = "insufficient-evidence"
	Closed                = "closed"
	WeightsAvailable      = "weights-available"
	OpenWeights           = "open-weights"
	OpenSourceAI          = "open-source-ai"
	OpenSourceAIOpenData  = "open-source-ai-open-data"
	criterionWeights      = "weights released"
	criterionDeploy       = "deployment code released"
	criterionWeightsTerms = "weights under an Open Source licence"
	criterionDeployTerms  = "deployment code under an Open Source licence"
	criterionTraining     = "training code under an Open Source licence"
	criterionDataInfo     = "training data or Data Information"
	criterionFullData     = "full training data under open terms"
)

// Framework is the G7 tier lens.
var Framework = &framework.Framework{
	Name:  "g7",
	Title: "G7 openness tiers",
	Doc: "The G7 ministers' spectrum for AI model releases: closed (no weights), weights-available " +
		"(weights and deployment code under restrictive terms), open-weights (both under an Open Source " +
		"licence), open-source-ai (plus training code and the training data or Data Information) and " +
		"open-source-ai-open-data (plus the full training data under open terms).",
	Evaluate: Evaluate,
}

// Names of tiers for text reports.
var Names = map[string]string{
	InsufficientEvidence: "Insufficient evidence",
	Closed:               "Closed",
	WeightsAvailable:     "Weights Available",
	OpenWeights:          "Open Weights",
	OpenSourceAI:         "Open Source AI",
	OpenSourceAIOpenData: "Open Source AI with Open Data",
}

// Step is one rung of the spectrum: a tier and the criteria it adds to the tiers below it.
type Step struct {
	Tier     string
	Criteria []string
}

// Ladder lists the tiers from the bottom of the spectrum up with the criteria each adds, as
// FRAMEWORKS.md §2 defines them; the closed tier needs nothing.
var Ladder = []Step{
	{Closed, nil},
	{WeightsAvailable, []string{criterionWeights, criterionDeploy}},
	{OpenWeights, []string{criterionWeightsTerms, criterionDeployTerms}},
	{OpenSourceAI, []string{criterionTraining, criterionDataInfo}},
	{OpenSourceAIOpenData, []string{criterionFullData}},
}

// Evaluate judges the criteria from the bottom of the spectrum up and returns the highest tier
// whose criteria all hold.
func Evaluate(f *evidence.Facts) framework.Verdict {
	r := []framework.Reason{
		weightsReleased(f),
		deploymentCode(f),
		weightsTerms(f),
		deploymentTerms(f),
		trainingCode(f),
		dataInformation(f),
		fullData(f),
	}
	return framework.Verdict{Framework: "g7", Label: tier(f, r), Reasons: r}
}

func tier(f *evidence.Facts, r []framework.Reason) string {
	if f.FilesSeen == 0 && !f.HasCard {
		return InsufficientEvidence
	}
	weights, deploy, wTerms, dTerms, train, dataInfo, full := r[0].Result, r[1].Result, r[2].Result, r[3].Result, r[4].Result, r[5].Result, r[6].Result
	switch weights {
	case framework.Fail:
		return Closed
	case framework.Unknown:
		return InsufficientEvidence
	}
	if wTerms == framework.Unknown {
		return InsufficientEvidence
	}
	if wTerms == framework.Fail {
		return WeightsAvailable
	}
	if deploy != framework.Pass || dTerms == framework.Unknown {
		return InsufficientEvidence
	}
	if dTerms == framework.Fail {
		return WeightsAvailable
	}
	if train != framework.Pass || dataInfo != framework.Pass {
		return OpenWeights
	}
	if full != framework.Pass {
		return OpenSourceAI
	}
	return OpenSourceAIOpenData
}

func weightsReleased(f *evidence.Facts) framework.Reason {
	c := f.Component(component.ModelParameters)
	r := framework.Reason{Criterion: criterionWeights, Evidence: framework.Ev(c.Evidence...)}
	switch c.Status {
	case evidence.Present, evidence.Gated:
		r.Result = framework.Pass
		r.Detail = "weights present (" + strings.Join(firstN(c.Locations, 2), ", ")
		if f.Parameters > 0 {
			r.Detail += ", " + evidence.HumanParams(f.Parameters) + " parameters"
		}
		r.Detail += ")"
		if c.Status == evidence.Gated {
			r.Detail += ", behind a click-through gate"
		}
	case evidence.Absent:
		r.Result = framework.Fail
		r.Detail = "no weights files or LFS pointers in the release"
		r.Fix = "publish the final model parameters"
	default:
		r.Result = framework.Unknown
		r.Detail = "the inventory is empty or incomplete, so the weights could not be looked for"
		r.Fix = "scan the complete release"
	}
	return r
}

func deploymentCode(f *evidence.Facts) framework.Reason {
	c := f.Component(component.InferenceCode)
	r := framework.Reason{Criterion: criterionDeploy, Evidence: framework.Ev(c.Evidence...)}
	switch c.Status {
	case evidence.Present, evidence.Gated:
		r.Result = framework.Pass
		r.Detail = "inference code: " + strings.Join(firstN(c.Locations, 2), ", ")
		if c.Note != "" {
			r.Detail += " — " + c.Note
		}
	case evidence.Absent:
		r.Result = framework.Fail
		r.Detail = "no inference code in the release and no known library implements the architecture"
		r.Fix = "publish inference code, or name the library that runs the model (card library_name, config.json model_type)"
	default:
		r.Result = framework.Unknown
		r.Detail = "inference code could not be looked for"
		r.Fix = "scan the complete release, or name the library that runs the model in the card"
	}
	return r
}

func weightsTerms(f *evidence.Facts) framework.Reason {
	w := f.Weights
	r := framework.Reason{Criterion: criterionWeightsTerms, Evidence: framework.Ev(w.Evidence...)}
	switch {
	case !w.Present:
		r.Result = framework.Unknown
		r.Detail = "no weights to judge"
		r.Fix = "publish the weights, then their terms can be judged"
	case !w.Known:
		r.Result = framework.Unknown
		r.Detail = "no identifiable licence covers the weights"
		r.Fix = "declare the weights' licence in the card and ship its text as LICENSE"
	case w.Open:
		r.Result = framework.Pass
		r.Detail = "weights under " + strings.Join(w.Licenses, " AND ")
	default:
		r.Result = framework.Fail
		r.Detail = "weights under " + strings.Join(w.Licenses, " AND ") + " (not an Open Source licence"
		if len(w.Restrictions) > 0 {
			r.Detail += ": " + strings.Join(w.Restrictions, ", ")
		}
		r.Detail += ")"
		r.Fix = "release the weights under an OSI-approved licence or open terms without use restrictions (Apache-2.0, MIT, CC-BY-4.0, OpenMDW-1.0)"
	}
	return r
}

func deploymentTerms(f *evidence.Facts) framework.Reason {
	return componentTerms(f, component.InferenceCode, criterionDeployTerms, "release the inference code under an OSI-approved licence")
}

func trainingCode(f *evidence.Facts) framework.Reason {
	return componentTerms(f, component.TrainingCode, criterionTraining, "release the training code under an OSI-approved licence to reach open-source-ai")
}

// componentTerms judges that a component is present under an open licence.
func componentTerms(f *evidence.Facts, id component.ID, criterion, fix string) framework.Reason {
	c := f.Component(id)
	r := framework.Reason{Criterion: criterion, Evidence: framework.Ev(c.Evidence...)}
	switch {
	case c.Status == evidence.Unknown:
		r.Result, r.Detail, r.Fix = framework.Unknown, strings.ToLower(c.Name)+" could not be looked for", "scan the complete release"
	case c.Status == evidence.Absent:
		r.Result, r.Detail, r.Fix = framework.Fail, "no "+strings.ToLower(c.Name)+" in the release", fix
	case c.License == "":
		r.Result, r.Detail, r.Fix = framework.Unknown, strings.ToLower(c.Name)+" present but no licence covers it", "add a licence that covers "+strings.ToLower(c.Name)
	case c.Open:
		r.Result, r.Detail = framework.Pass, strings.ToLower(c.Name)+" under "+c.License
	default:
		r.Result, r.Detail, r.Fix = framework.Fail, strings.ToLower(c.Name)+" under "+c.License+", not an Open Source licence", fix
	}
	if strings.HasPrefix(c.Note, "in linked repository") || strings.HasPrefix(c.Note, "linked ") {
		r.Detail += "; " + c.Note // where a linked repository put it, or why it was not read
	}
	return r
}

// dataInformation judges the training data or, in its place, Data Information in OSAID's sense:
// open data passes; otherwise the description must be substantive (named sources and most of
// scope, collection, processing and labelling; evidence.DataInfo). A partial description is
// partial, a one-paragraph overview fails, and named datasets whose terms were not read leave
// the criterion unknown.
func dataInformation(f *evidence.Facts) framework.Reason {
	data := f.Component(component.Datasets)
	card := f.Component(component.DataCard)
	di := f.DataInfo
	r := framework.Reason{Criterion: criterionDataInfo, Evidence: framework.Ev(append(append([]string{}, data.Evidence...), di.Evidence...)...)}
	named := strings.Join(firstN(data.Locations, 3), ", ")
	switch {
	case data.Status == evidence.Present && data.Open:
		// The full data is the most complete Data Information there is.
		r.Result, r.Detail = framework.Pass, "training data released under "+data.License+" ("+named+")"
	case di.Level == evidence.DataSubstantive:
		r.Result, r.Detail = framework.Pass, "Data Information: "+dataElements(di)
	case card.Status == evidence.Unknown:
		r.Result, r.Detail = framework.Unknown, "data documentation could not be looked for"
		r.Fix = "scan the complete release"
	case data.Status == evidence.Present && data.License == "" && di.Level != evidence.DataPartial:
		r.Result, r.Detail = framework.Unknown, "training datasets named ("+named+") but neither their licences nor a substantive description of them were found"
		r.Fix = "scan with the Hub source to read the datasets' cards, or " + dataFix(di)
	case di.Level == evidence.DataPartial:
		r.Result, r.Detail = framework.Partial, "the training data is described only in part: "+dataElements(di)
		r.Fix = dataFix(di)
	case data.Status == evidence.Present:
		r.Result, r.Detail = framework.Fail, "training datasets named ("+named+") under "+data.License+", not open terms, and not described"
		r.Fix = "release the training data under open terms, or " + dataFix(di)
	case di.Level == evidence.DataOverview:
		r.Result, r.Detail = framework.Fail, "only an overview of the training data: "+dataElements(di)
		r.Fix = dataFix(di)
	default:
		r.Result, r.Detail = framework.Fail, "no training data and no description of it (data card, datasheet, training-data section)"
		r.Fix = "publish the training data, or " + dataFix(di)
	}
	return r
}

// dataElements says which Data Information elements were found where, and which are missing.
func dataElements(di evidence.DataInfo) string {
	var parts []string
	for _, e := range di.Elements {
		if e.Found {
			parts = append(parts, e.Name+" ("+strings.Join(firstN(e.Where, 2), ", ")+")")
		}
	}
	s := "found " + strings.Join(parts, ", ")
	if len(parts) == 0 {
		s = "no element found"
	}
	if m := di.Missing(); len(m) > 0 {
		s += "; missing " + strings.Join(m, ", ")
	}
	return s
}

// dataFix says what a data card must add.
func dataFix(di evidence.DataInfo) string {
	return "describe the training data: " + strings.Join(di.Missing(), ", ") + " (OSAID Data Information: name every source and where to get it, its size and scope, how it was obtained, selected, processed, filtered and labelled)"
}

func fullData(f *evidence.Facts) framework.Reason {
	data := f.Component(component.Datasets)
	r := framework.Reason{Criterion: criterionFullData, Evidence: framework.Ev(data.Evidence...)}
	switch {
	case data.Status == evidence.Present && data.Open:
		r.Result, r.Detail = framework.Pass, "training data in the release under "+data.License
	case data.Status == evidence.Present && data.License == "":
		r.Result, r.Detail = framework.Unknown, "datasets named ("+strings.Join(firstN(data.Locations, 3), ", ")+") but their licences were not read"
		r.Fix = "scan with the Hub source to read the datasets' cards"
	case data.Status == evidence.Present:
		r.Result, r.Detail = framework.Fail, "training data under "+data.License+", not open terms"
		r.Fix = "release the training data under open terms (CC-BY-4.0, CDLA-Permissive-2.0, ODC-By-1.0)"
	case data.Status == evidence.Unknown:
		r.Result, r.Detail, r.Fix = framework.Unknown, "datasets could not be looked for", "scan the complete release"
	default:
		r.Result, r.Detail = framework.Fail, "the training data is not released"
		r.Fix = "release the full training data under open terms to reach open-source-ai-open-data"
	}
	return r
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(append([]string{}, s[:n]...), "…")
	}
	return s
}
