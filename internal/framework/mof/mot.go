package mof

import (
	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// motOpenDataIDs are the licence ids the reference tool accepts besides OSI-approved and FSF-libre
// ones: its list of open data and content licences, and OpenMDW-1.0. They are compared as
// written, so ODC-PDDL-1.0 (which is not an SPDX id; SPDX says PDDL-1.0) is kept as the tool
// has it.
var motOpenDataIDs = []string{
	"CC0-1.0",
	"CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-2.5-AU", "CC-BY-3.0", "CC-BY-3.0-AT", "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO", "CC-BY-3.0-NL", "CC-BY-3.0-US", "CC-BY-4.0",
	"CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-3.0-AT", "CC-BY-SA-4.0",
	"CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "CDLA-Sharing-1.0",
	"ODC-PDDL-1.0", "ODC-By-1.0", "ODbL-1.0", "GFDL-1.3",
	"OGL-Canada-2.0", "OGL-UK-2.0", "OGL-UK-3.0",
	"OpenMDW-1.0",
}

var motOpenData = func() map[string]bool {
	m := make(map[string]bool, len(motOpenDataIDs))
	for _, id := range motOpenDataIDs {
		m[id] = true
	}
	return m
}()

// motNoLicence is the component licence value with which the tool's records say "no licence".
const motNoLicence = "unlicensed"

// MOT classifies a record exactly as the Model Openness Tool does (FRAMEWORKS.md §1,
// "MOT-compatible mode"), using the 2024-05-21 SPDX flags of the embedded catalogue. Its quirks
// are reproduced on purpose, because users compare glassbox's number with the tool's:
//   - licences are exact, case-sensitive SPDX ids; "Apache 2.0" is invalid;
//   - a component licence of "unlicensed" or "" means no licence, without falling back to the
//     release-wide licences;
//   - a research paper stands in for a technical report that is not included;
//   - a class scores 0% as soon as a class above it is incomplete.
//
// A nil record is treated as an empty one.
func MOT(rec *Record) Result {
	return evalMOT(rec, license.Default()).Result
}

// motEval is a MOT result with the facts Compare needs to explain it.
type motEval struct {
	Result
	counts counts
	// zeroedBy maps a class whose progress the tool set to 0 to the higher class that failed.
	zeroedBy map[int]int
}

func evalMOT(rec *Record, cat *license.Catalogue) motEval {
	if rec == nil {
		rec = &Record{}
	}
	byName := recordComponents(rec)
	ev := motEval{
		Result:   Result{Progress: map[int]float64{}, Components: make([]ComponentResult, 0, len(component.All))},
		counts:   counts{included: map[component.ID]bool{}},
		zeroedBy: map[int]int{},
	}
	present := map[component.ID]bool{}
	for _, info := range component.All {
		cr := ComponentResult{ID: info.ID, Name: info.Name, Status: StatusMissing, Source: SourceNone}
		if rc, ok := byName[info.Name]; ok {
			present[info.ID] = true
			cr.License, cr.Source = resolveLicence(rec, rc, info.Type)
			switch {
			case cr.License == "" || cr.License == motNoLicence:
				cr.Status = StatusUnlicensed
			case motOpen(cat, cr.License):
				cr.Status = StatusOpen
				ev.counts.included[info.ID] = true
			default:
				cr.Status = StatusInvalid
			}
		}
		ev.Components = append(ev.Components, cr)
	}
	// The tool lets the paper's status stand for the report whenever the report is not
	// included, even when the report is present under a licence it rejects.
	ev.counts.standIn = !ev.counts.included[component.TechnicalReport] && present[component.ResearchPaper]
	if ev.counts.standIn {
		setNote(ev.Components, component.TechnicalReport, standInNote)
	}
	for _, c := range classes {
		ev.Progress[c] = ev.progress(c)
		// The class is the lowest one at 100%; classes are walked from III down, so the last
		// complete one wins. Counts are compared rather than rounded percentages.
		if inc, tot := ev.counts.of(c); inc == tot && ev.zeroedBy[c] == 0 {
			ev.Class = c
		}
	}
	ev.Label = Label(ev.Class)
	return ev
}

// progress walks from Class III down to c, as the tool does, and gives up with 0 at the first
// higher class that is incomplete.
func (ev *motEval) progress(c int) float64 {
	for i := 3; i > c; i-- {
		if inc, tot := ev.counts.of(i); inc < tot {
			ev.zeroedBy[c] = i
			return 0
		}
	}
	return percent(ev.counts.of(c))
}

// motOpen reports whether the tool accepts s: an id on its open-data list, or an SPDX id that the
// 2024 list marks OSI-approved or FSF-libre. The comparison is exact and case-sensitive.
func motOpen(cat *license.Catalogue, s string) bool {
	if motOpenData[s] {
		return true
	}
	e, ok := cat.ByID(s)
	if !ok || e.SPDX2024 == nil {
		return false
	}
	return e.SPDX2024.OSI || e.SPDX2024.FSF
}

// recordComponents indexes a record's components by exact name. A later entry with the same name
// replaces an earlier one: the tool keeps one entry per component, and no record of the
// reference set lists a component twice, so which one wins is glassbox's choice.
func recordComponents(rec *Record) map[string]RecordComponent {
	m := make(map[string]RecordComponent, len(rec.Components))
	for _, c := range rec.Components {
		m[c.Name] = c
	}
	return m
}

// resolveLicence finds the licence that applies to a component, in the tool's order: the
// component's own, the release-wide licence for its type, the distribution licence. A declared
// licence stops the search even when it is empty or "unlicensed".
func resolveLicence(rec *Record, rc RecordComponent, t component.Type) (string, Source) {
	if rc.LicenseDeclared {
		return rc.License, SourceComponent
	}
	if name := rec.Licenses.ForType(t).Name; name != "" {
		return name, SourceType
	}
	if name := rec.Licenses.Distribution.Name; name != "" {
		return name, SourceDistribution
	}
	return "", SourceNone
}

func setNote(crs []ComponentResult, id component.ID, note string) {
	for i := range crs {
		if crs[i].ID == id {
			crs[i].Note = note
		}
	}
}
