package mof

import "github.com/glassbox-dev/glassbox/internal/component"

// Component sets of each class, for building records and findings in tests.
var (
	classIII = []component.ID{component.ModelArchitecture, component.ModelParameters, component.TechnicalReport,
		component.EvaluationResults, component.ModelCard, component.DataCard}
	classII = []component.ID{component.TrainingCode, component.InferenceCode, component.EvaluationCode,
		component.EvaluationData}
	classI = []component.ID{component.Datasets, component.DataPreprocessingCode, component.ResearchPaper,
		component.IntermediateParameters}
)

// openLicence is an exact SPDX id that both modes accept and that suits the component's type,
// so that tests about other things see no warnings.
func openLicence(id component.ID) string {
	info, _ := component.Lookup(id)
	switch info.Type {
	case component.Code:
		return "MIT"
	case component.Data:
		return "CDLA-Permissive-2.0"
	}
	return "CC-BY-4.0"
}

// withLicence is a record component with its own licence.
func withLicence(id component.ID, lic string) RecordComponent {
	return RecordComponent{Name: id.Name(), License: lic, LicenseDeclared: true}
}

// openComponents lists record components for ids, each under openLicence, leaving out skip.
func openComponents(skip map[component.ID]bool, sets ...[]component.ID) []RecordComponent {
	var out []RecordComponent
	for _, set := range sets {
		for _, id := range set {
			if !skip[id] {
				out = append(out, withLicence(id, openLicence(id)))
			}
		}
	}
	return out
}

// without returns ids as a set, for openComponents' skip argument.
func without(ids ...component.ID) map[component.ID]bool {
	m := map[component.ID]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// statusOf returns the status of component id in a result.
func statusOf(r Result, id component.ID) ComponentResult {
	for _, c := range r.Components {
		if c.ID == id {
			return c
		}
	}
	return ComponentResult{}
}
