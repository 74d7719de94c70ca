// Package mof judges a release against the Model Openness Framework (LF AI & Data, arXiv
// 2403.13784) in two modes. MOT reproduces the reference Model Openness Tool
// (lfai/model_openness_tool) exactly, quirks included, so users can check glassbox against it on
// the same record. Glassbox judges the same components with glassbox's own licence
// identification: names normalised, expressions evaluated, nothing zeroed by a higher class.
// Compare says where and why the two differ. The package is pure: it takes values and returns
// values.
package mof

import (
	"math"

	"github.com/glassbox-dev/glassbox/internal/component"
)

// Status is what one mode concludes about one component.
type Status string

// Component statuses.
const (
	// StatusOpen: present under an open licence; the component counts towards its class.
	StatusOpen Status = "open"
	// StatusUnlicensed: present with no licence ("unlicensed", empty, undisclosed).
	StatusUnlicensed Status = "unlicensed"
	// StatusInvalid: present under a licence that is not open, or not recognised as one.
	StatusInvalid Status = "invalid"
	// StatusMissing: not part of the release (or not listed in the record).
	StatusMissing Status = "missing"
)

// Source says where the licence judged for a component came from.
type Source string

// Licence sources, in the order the reference tool consults them.
const (
	// SourceComponent: the component's own license.
	SourceComponent Source = "component"
	// SourceType: the release-wide licence for the component's type (code, data or document).
	SourceType Source = "type"
	// SourceDistribution: the release-wide distribution licence.
	SourceDistribution Source = "distribution"
	// SourceNone: no licence anywhere.
	SourceNone Source = "none"
)

// Result is a MOF verdict: the class reached, the progress towards each class and the status of
// every component. Both modes return it, so renderers need not know which mode produced it.
type Result struct {
	// Class is 1, 2 or 3, or 0 when the release reaches none (Unclassified).
	Class int `json:"class"`
	// Label is "Class I", "Class II", "Class III" or "Unclassified".
	Label string `json:"label"`
	// Progress maps each class (1, 2, 3) to the percentage of its requirements met, rounded to
	// two decimals.
	Progress map[int]float64 `json:"progress"`
	// Components lists all 17 MOF components in the MOF's own order (component.All).
	Components []ComponentResult `json:"components"`
}

// ComponentResult is the verdict on one component.
type ComponentResult struct {
	ID     component.ID `json:"id"`
	Name   string       `json:"name"`
	Status Status       `json:"status"`
	// License is the licence string judged: as written in MOT mode, the normalised expression
	// (or the text, when it names no known licence) in glassbox mode.
	License string `json:"license"`
	// Source says where License came from.
	Source Source `json:"source,omitempty"`
	// Reason explains the status in glassbox mode.
	Reason string `json:"reason,omitempty"`
	// Warning flags an open licence that does not suit the component's type (a software
	// licence on a dataset); it never changes the status.
	Warning string `json:"warning,omitempty"`
	// Note records that the component's requirement was met or waived by another component (a
	// research paper standing in for a technical report).
	Note string `json:"note,omitempty"`
}

// Label returns the display name of a class: "Class I" … "Class III", "Unclassified" for 0.
func Label(class int) string {
	switch class {
	case 1:
		return "Class I"
	case 2:
		return "Class II"
	case 3:
		return "Class III"
	}
	return "Unclassified"
}

// classes lists the MOF classes from the least demanding to the most, the order both modes
// walk them in.
var classes = []int{3, 2, 1}

// required maps each class to the components it adds to the classes above it.
var required = map[int][]component.Info{
	3: component.Required(3),
	2: component.Required(2),
	1: component.Required(1),
}

// standInNote is the Note a technical report carries when the research paper stands in for it.
const standInNote = "the research paper stands in for the technical report in Classes III and II"

// percent returns n/d as a percentage rounded to two decimals, capped at 100.
func percent(n, d int) float64 {
	if d <= 0 {
		return 0
	}
	p := float64(n) / float64(d) * 100
	return math.Min(100, math.Round(p*100)/100)
}

// counts holds, per component, whether it counts towards a class, and answers the two
// questions both modes ask: how many of the components a class needs are included, and out of
// how many.
type counts struct {
	included map[component.ID]bool
	// standIn: the research paper stands in for the technical report; its inclusion is
	// counted for the report in Classes III and II, and Class I needs one component fewer.
	standIn bool
}

// of returns the included and total counts for class c, cumulative over the classes above it.
func (k counts) of(c int) (included, total int) {
	for i := 3; i >= c; i-- {
		for _, info := range required[i] {
			id := info.ID
			if id == component.TechnicalReport && k.standIn {
				if c == 1 {
					// Class I requires the paper itself; counting it twice would let one
					// document meet two requirements.
					continue
				}
				id = component.ResearchPaper
			}
			total++
			if k.included[id] {
				included++
			}
		}
	}
	return included, total
}
