package mof

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// Difference is one place where glassbox mode and MOT-compatible mode disagree on a record.
type Difference struct {
	// Kind is "component" (a component's status), "progress" (a class's percentage) or
	// "class" (the class reached).
	Kind string `json:"kind"`
	// Component is the MOF component name, for a component difference.
	Component string `json:"component,omitempty"`
	// Class is 1, 2 or 3, for a progress difference.
	Class int `json:"class,omitempty"`
	// MOT and Glassbox are the two modes' values: a status, a percentage ("0%") or a class label.
	MOT      string `json:"mot"`
	Glassbox string `json:"glassbox"`
	// Why explains the difference in words.
	Why string `json:"why"`
}

// Difference kinds.
const (
	DiffComponent = "component"
	DiffProgress  = "progress"
	DiffClass     = "class"
)

// Compare judges a record in both modes and lists where they differ and why: component by
// component in MOF order, then the progress of Classes III, II and I, then the class. Both modes
// read licence facts from cat (MOT mode only its 2024 SPDX flags); a nil cat means the embedded
// catalogue. A record on which the modes agree gives no differences.
func Compare(rec *Record, cat *license.Catalogue) []Difference {
	if cat == nil {
		cat = license.Default()
	}
	mot := evalMOT(rec, cat)
	judged := FromRecord(rec, cat)
	gb := Glassbox(judged)
	gbStandIn := gb.Components[indexOf(component.TechnicalReport)].Note != ""

	var out []Difference
	// changed maps a component that counts in one mode only to "Name (invalid → open)", the
	// reason progress differs; a change between two failing statuses moves no number.
	changed := map[component.ID]string{}
	for i, m := range mot.Components {
		g := gb.Components[i]
		if m.Status == g.Status {
			continue
		}
		if (m.Status == StatusOpen) != (g.Status == StatusOpen) {
			changed[m.ID] = fmt.Sprintf("%s (%s → %s)", m.Name, m.Status, g.Status)
		}
		out = append(out, Difference{
			Kind: DiffComponent, Component: m.Name, MOT: string(m.Status), Glassbox: string(g.Status),
			Why: componentWhy(m, g),
		})
	}
	for _, c := range classes {
		mp, gp := mot.Progress[c], gb.Progress[c]
		if mp == gp {
			continue
		}
		var why []string
		if higher, ok := mot.zeroedBy[c]; ok {
			inc, tot := mot.counts.of(higher)
			why = append(why, fmt.Sprintf("the reference tool reports 0%% for %s because %s is incomplete (%d of %d required components); glassbox reports the share of required components included",
				Label(c), Label(higher), inc, tot))
		}
		if diffs := changedIn(c, changed, mot.counts.standIn || gbStandIn); diffs != "" {
			why = append(why, "component statuses differ: "+diffs)
		}
		if mot.counts.standIn != gbStandIn {
			why = append(why, standInWhy(mot.counts.standIn, mot.Result, gb))
		}
		out = append(out, Difference{
			Kind: DiffProgress, Class: c, MOT: pct(mp), Glassbox: pct(gp), Why: strings.Join(why, "; "),
		})
	}
	if mot.Class != gb.Class {
		why := "component statuses differ: " + changedIn(1, changed, true)
		if len(changed) == 0 {
			why = "the modes read the same components differently"
		}
		out = append(out, Difference{Kind: DiffClass, MOT: mot.Label, Glassbox: gb.Label, Why: why})
	}
	return out
}

// componentWhy explains a status difference: glassbox's reason, followed by what the reference
// tool did differently when the reason alone does not say it.
func componentWhy(m, g ComponentResult) string {
	switch {
	case m.Status == StatusInvalid && g.Status == StatusMissing:
		return g.Reason + "; the reference tool judges the text as a licence and rejects it"
	case m.Status == StatusInvalid && g.Status == StatusUnlicensed:
		return g.Reason + "; the reference tool counts it as an invalid licence rather than none"
	case m.Status == StatusInvalid && g.Status == StatusOpen:
		return g.Reason + "; the reference tool accepts only exact ids that its 2024 SPDX list marks OSI-approved or FSF-libre, or that are on its open-data list"
	case m.Status == StatusOpen && g.Status != StatusOpen:
		return g.Reason + "; the reference tool accepts " + strconv.Quote(m.License) + " on its 2024 SPDX flags"
	}
	return g.Reason
}

// changedIn lists the changed components that class c requires, directly or through the
// classes above it, and the research paper when it stands in for the report in Classes III and II.
func changedIn(c int, changed map[component.ID]string, standIn bool) string {
	var parts []string
	for i := 3; i >= c; i-- {
		for _, info := range required[i] {
			if s, ok := changed[info.ID]; ok {
				parts = append(parts, s)
			}
		}
	}
	if s, ok := changed[component.ResearchPaper]; ok && standIn && c > 1 {
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// standInWhy explains why the research paper stands in for the technical report in one mode
// only: either the report counts in the other mode, or the other mode finds no paper.
func standInWhy(motStandIn bool, mot, gb Result) string {
	tr, rp := indexOf(component.TechnicalReport), indexOf(component.ResearchPaper)
	if motStandIn {
		if gb.Components[tr].Status == StatusOpen {
			return "the reference tool lets the research paper stand in for the technical report, which glassbox counts as included"
		}
		return "the reference tool lets the research paper stand in for the technical report; glassbox finds the paper " + string(gb.Components[rp].Status)
	}
	if mot.Components[tr].Status == StatusOpen {
		return "glassbox lets the research paper stand in for the technical report, which the reference tool counts as included"
	}
	return "glassbox lets the research paper stand in for the technical report; the reference tool finds the paper " + string(mot.Components[rp].Status)
}

// pct formats a progress value for a Difference: "83.33%", "0%".
func pct(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

func indexOf(id component.ID) int {
	for i, c := range component.All {
		if c.ID == id {
			return i
		}
	}
	return -1
}
