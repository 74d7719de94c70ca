package eval

import (
	"context"

	"path/filepath"
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/source"
)

const (
	releaseArea = "Real releases"
	// releaseRows is how many releases releases/expected.tsv places.
	releaseRows = 9
)

// tierRank orders the G7 tiers from least to most open; insufficient-evidence ranks lowest, as
// it claims nothing.
var tierRank = map[string]int{
	"insufficient-evidence": 0, "closed": 1, "weights-available": 2, "open-weights": 3,
	"open-source-ai": 4, "open-source-ai-open-data": 5,
}

// releaseCheck is one column of expected.tsv judged against an assessment: it returns what
// glassbox said and whether that meets the expert's placement.
type releaseCheck struct {
	column string
	judge  func(a *assess.Assessment, want string) (got string, ok bool)
}

var releaseChecks = []releaseCheck{
	{"tiers", judgeTier},
	{"need_findings", judgeNeedFindings},
	{"forbid_findings", judgeForbidFindings},
	{"need_restrictions", judgeNeedRestrictions},
	{"forbid_restrictions", judgeForbidRestrictions},
	{"data_info", judgeDataInfo},
	{"systemic", judgeSystemic},
}

// releases audits each real release folder from its files alone and compares the audit with
// the expert's placement in releases/expected.tsv. A release agrees when every column holds;
// a second row counts releases placed no higher than the expert's highest tier (no false open).
func releases(dir string, rep *Report) {
	dir = filepath.Join(dir, "releases")
	placed := Row{Area: releaseArea, Measure: "placed as the experts' table says (expected.tsv, every column)", Want: releaseRows, Bar: 100}
	noFalseOpen := Row{Area: releaseArea, Measure: "no tier above the experts' highest (no false open)", Want: releaseRows, Bar: 100}
	rows, err := readTSV(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		noData(rep, releaseArea, placed.Measure, releaseRows, err)
		noData(rep, releaseArea, noFalseOpen.Measure, releaseRows, err)
		return
	}
	cat := license.Default()
	for _, row := range rows {
		id := row["id"]
		placed.Total++
		noFalseOpen.Total++
		rel, err := source.Local(context.Background(), filepath.Join(dir, id), source.DefaultLimits)
		if err != nil {
			rep.Disagreements = append(rep.Disagreements, Disagreement{Area: releaseArea, ID: id, Field: "read", Glassbox: "error: " + err.Error(), Expected: "a release"})
			continue
		}
		a := assess.Run(rel, cat)
		if notAbove(a.Tier.Label, row["tiers"]) {
			noFalseOpen.Passed++
		}
		agree := true
		for _, c := range releaseChecks {
			want := strings.TrimSpace(row[c.column])
			if want == "" {
				continue
			}
			if got, ok := c.judge(a, want); !ok {
				agree = false
				rep.Disagreements = append(rep.Disagreements, Disagreement{Area: releaseArea, ID: id, Field: c.column, Glassbox: got, Expected: want})
			}
		}
		if agree {
			placed.Passed++
		}
	}
	rep.Rows = append(rep.Rows, placed, noFalseOpen)
}

// notAbove reports whether tier ranks no higher than the highest of the expected tiers.
func notAbove(tier, expected string) bool {
	top := -1
	for _, t := range splitList(expected) {
		top = max(top, tierRank[t])
	}
	return tierRank[tier] <= top
}

func judgeTier(a *assess.Assessment, want string) (string, bool) {
	return a.Tier.Label, slices.Contains(splitList(want), a.Tier.Label)
}

// findingIDs lists the ids of the assessment's findings.
func findingIDs(a *assess.Assessment) []string {
	var ids []string
	for _, f := range a.Facts.Findings {
		if !slices.Contains(ids, f.ID) {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// judgeNeedFindings: every ";"-item must be reported; an item "a|b" is met by either id.
func judgeNeedFindings(a *assess.Assessment, want string) (string, bool) {
	ids := findingIDs(a)
	for _, item := range splitList(want) {
		if !slices.ContainsFunc(strings.Split(item, "|"), func(id string) bool { return slices.Contains(ids, id) }) {
			return strings.Join(ids, ";"), false
		}
	}
	return strings.Join(ids, ";"), true
}

func judgeForbidFindings(a *assess.Assessment, want string) (string, bool) {
	ids := findingIDs(a)
	for _, id := range splitList(want) {
		if slices.Contains(ids, id) {
			return strings.Join(ids, ";"), false
		}
	}
	return strings.Join(ids, ";"), true
}

// hasRestriction reports whether a word appears in one of the weights' restrictions.
func hasRestriction(a *assess.Assessment, word string) bool {
	return slices.ContainsFunc(a.Facts.Weights.Restrictions, func(r string) bool {
		return strings.Contains(strings.ToLower(r), strings.ToLower(word))
	})
}

func judgeNeedRestrictions(a *assess.Assessment, want string) (string, bool) {
	got := strings.Join(a.Facts.Weights.Restrictions, ";")
	for _, w := range splitList(want) {
		if !hasRestriction(a, w) {
			return got, false
		}
	}
	return got, true
}

func judgeForbidRestrictions(a *assess.Assessment, want string) (string, bool) {
	got := strings.Join(a.Facts.Weights.Restrictions, ";")
	for _, w := range splitList(want) {
		if hasRestriction(a, w) {
			return got, false
		}
	}
	return got, true
}

// dataInfoCriterion is the G7 criterion the data_info column judges.
const dataInfoCriterion = "training data or Data Information"

func judgeDataInfo(a *assess.Assessment, want string) (string, bool) {
	got := "missing"
	for _, r := range a.Tier.Reasons {
		if r.Criterion == dataInfoCriterion {
			got = string(r.Result)
		}
	}
	switch want {
	case "pass":
		return got, got == string(framework.Pass)
	case "not-pass":
		return got, got != string(framework.Pass) && got != "missing"
	}
	return got, false
}

// judgeSystemic: "not-fail" means the EU AI Act systemic-risk condition must not fail.
func judgeSystemic(a *assess.Assessment, want string) (string, bool) {
	v, _ := a.Verdict("euaiact")
	for _, r := range v.Reasons {
		if strings.Contains(r.Criterion, "systemic risk") {
			if want == "not-fail" {
				return string(r.Result), r.Result != framework.Fail
			}
			return string(r.Result), false
		}
	}
	return "missing", false
}
