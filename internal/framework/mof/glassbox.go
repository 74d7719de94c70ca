package mof

import (
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/license"
)

// Judged is glassbox's finding about one MOF component, whoever made it: the detectors when
// glassbox reads a release, FromRecord when it reads a MOT record.
type Judged struct {
	ID component.ID
	// Present: the release contains the component.
	Present bool
	// License is the licence that covers it, as an SPDX expression or id; empty when none is
	// known. Text that names no known licence is kept as written.
	License string
	// Open: License grants use, study, modification and sharing for any purpose.
	Open bool
	// Reason explains Present and Open, citing the evidence.
	Reason string
	// Warning flags an open licence unsuited to the component's type; it never changes Open.
	Warning string
	// Source says where License came from, when known.
	Source Source
}

// Glassbox classifies a release from glassbox's own findings. A component counts when it is
// present and its licence is open. Classes are cumulative (III needs its 6 components, II those
// and 4 more, I all 14), and the progress towards a class is the share of the components it
// needs that are included, without the reference tool's rule that zeroes a class whenever a
// higher one is incomplete. The MOF's substitution is kept as the reference tool applies it: a
// present research paper stands in for a technical report that does not count (missing, or not
// openly licensed); the paper's status counts for the report in Classes III and II, and Class I
// then needs 13 components. Components not in the input are missing; for duplicates the last
// one counts.
func Glassbox(in []Judged) Result {
	byID := make(map[component.ID]Judged, len(in))
	for _, j := range in {
		byID[j.ID] = j
	}
	res := Result{Progress: map[int]float64{}, Components: make([]ComponentResult, 0, len(component.All))}
	k := counts{included: map[component.ID]bool{}}
	for _, info := range component.All {
		j := byID[info.ID]
		cr := ComponentResult{
			ID: info.ID, Name: info.Name, Status: StatusMissing,
			License: j.License, Source: j.Source, Reason: j.Reason, Warning: j.Warning,
		}
		switch {
		case !j.Present:
			cr.Warning = "" // a warning about the licence of an absent component helps no one
		case j.Open:
			cr.Status = StatusOpen
			k.included[info.ID] = true
		case strings.TrimSpace(j.License) == "":
			cr.Status = StatusUnlicensed
		default:
			cr.Status = StatusInvalid
		}
		res.Components = append(res.Components, cr)
	}
	k.standIn = !k.included[component.TechnicalReport] && byID[component.ResearchPaper].Present
	if k.standIn {
		setNote(res.Components, component.TechnicalReport, standInNote)
	}
	for _, c := range classes {
		inc, tot := k.of(c)
		res.Progress[c] = percent(inc, tot)
		if inc == tot {
			res.Class = c // classes are walked from III down: the last complete one is the lowest
		}
	}
	res.Label = Label(res.Class)
	return res
}

// noLicence are licence values (lower case) by which records say that a component has no
// licence, or none that is known.
var noLicence = map[string]bool{
	"": true, "unlicensed": true, "undisclosed": true, "unknown": true, "none": true,
	"noassertion": true, "not specified": true, "n/a": true,
}

// notIncluded reports whether a licence value says that the component is absent: the tool's
// form once offered "Component not included" as a licence, and records carry it with typos
// ("Component not include", "Component Component not included").
func notIncluded(s string) bool {
	return strings.Contains(strings.ToLower(s), "not include")
}

// FromRecord judges the components of a MOT record in glassbox mode, for Glassbox and Compare.
// The licence of each listed component is found as the tool finds it (its own, else the
// release-wide one for its type, else the distribution licence; "unlicensed" does not fall back)
// and then judged as glassbox judges any licence: names normalised ("Apache 2.0" is
// Apache-2.0), expressions evaluated (an OR is open if one branch is, an AND if all are), open
// meaning OSI-approved, FSF-libre or open terms by the current catalogue, or an open data
// licence of the tool's list, and no use restriction recorded in the catalogue. Two readings
// differ from the tool's on purpose: "Undisclosed" and the like mean no licence rather than an
// invalid one, and a "Component not included" licence means the component is absent. The result
// has one entry per MOF component, in MOF order.
func FromRecord(rec *Record, cat *license.Catalogue) []Judged {
	if rec == nil {
		rec = &Record{}
	}
	if cat == nil {
		cat = license.Default()
	}
	byName := recordComponents(rec)
	out := make([]Judged, 0, len(component.All))
	for _, info := range component.All {
		rc, ok := byName[info.Name]
		if !ok {
			out = append(out, Judged{ID: info.ID, Source: SourceNone, Reason: "not listed in the record"})
			continue
		}
		raw, src := resolveLicence(rec, rc, info.Type)
		out = append(out, judgeRecordLicence(cat, info, raw, src))
	}
	return out
}

func judgeRecordLicence(cat *license.Catalogue, info component.Info, raw string, src Source) Judged {
	j := Judged{ID: info.ID, Present: true, Source: src}
	text := strings.TrimSpace(raw)
	from := sourceWords[src]
	switch {
	case notIncluded(text):
		j.Present = false
		j.Reason = fmt.Sprintf("the record gives %q as its licence%s, which says the component is not included", raw, from)
		return j
	case noLicence[strings.ToLower(text)]:
		if text == "" {
			j.Reason = "no licence" + from
		} else {
			j.Reason = fmt.Sprintf("no licence: the record says %q%s", raw, from)
		}
		return j
	}
	v := judgeLicence(cat, text, info)
	j.Open, j.Warning = v.open, v.warning
	switch {
	case v.expression == "":
		j.License = raw
		j.Reason = fmt.Sprintf("licence %q%s: %s", raw, from, v.why)
	case v.expression != raw:
		j.License = v.expression
		j.Reason = fmt.Sprintf("licence %q%s normalised to %s; %s", raw, from, v.expression, v.why)
	default:
		j.License = v.expression
		j.Reason = fmt.Sprintf("licence %s%s: %s", raw, from, v.why)
	}
	return j
}

// sourceWords phrase a licence source for reasons.
var sourceWords = map[Source]string{
	SourceComponent:    "",
	SourceType:         " (the release's licence for this type of component)",
	SourceDistribution: " (the release's distribution licence)",
	SourceNone:         "",
}
