package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/license"
)

// TierRank orders the G7 tiers from least to most open; insufficient-evidence ranks lowest.
var TierRank = map[string]int{
	"insufficient-evidence": 0, "closed": 1, "weights-available": 2, "open-weights": 3,
	"open-source-ai": 4, "open-source-ai-open-data": 5,
}

// reportFields are the parts of a glassbox.report/v1 document the index reads.
type reportFields struct {
	Schema   string `json:"schema"`
	Target   string `json:"target"`
	Revision string `json:"revision"`
	Tier     struct {
		Label string `json:"label"`
	} `json:"tier"`
	Frameworks struct {
		MOF struct {
			Class int `json:"class"`
		} `json:"mof"`
		OSAID struct {
			Verdict string `json:"verdict"`
		} `json:"osaid"`
		OSAI struct {
			Score float64 `json:"score"`
		} `json:"osai"`
		EU struct {
			Exemption string `json:"exemption"`
		} `json:"euaiact"`
	} `json:"frameworks"`
	Weights struct {
		Licenses     []string `json:"licenses"`
		Open         bool     `json:"open"`
		Restrictions []string `json:"restrictions"`
	} `json:"weights"`
	Library *struct {
		Name string `json:"name"`
	} `json:"library"`
	Task     string `json:"task"`
	Licenses []struct {
		Key string `json:"key"`
	} `json:"licenses"`
	Findings []struct {
		ID string `json:"id"`
	} `json:"findings"`
}

// Extract reads the index columns, the target and the revision of a glassbox.report/v1
// document.
func Extract(report []byte) (idx Index, target, revision string, err error) {
	var r reportFields
	if err := json.Unmarshal(report, &r); err != nil {
		return Index{}, "", "", fmt.Errorf("report: %v", err)
	}
	if r.Schema != "glassbox.report/v1" {
		return Index{}, "", "", fmt.Errorf("report: schema %q, want glassbox.report/v1", r.Schema)
	}
	rank, ok := TierRank[r.Tier.Label]
	if !ok {
		return Index{}, "", "", fmt.Errorf("report: unknown tier %q", r.Tier.Label)
	}
	idx = Index{
		Tier: r.Tier.Label, TierRank: rank, MOFClass: r.Frameworks.MOF.Class, OSAID: r.Frameworks.OSAID.Verdict,
		OSAIScore: r.Frameworks.OSAI.Score, EUAIAct: r.Frameworks.EU.Exemption,
		WeightsLicense: strings.Join(r.Weights.Licenses, " AND "), WeightsOpen: r.Weights.Open,
	}
	if r.Library != nil {
		idx.Library = r.Library.Name
	}
	cat := license.Default()
	for _, l := range r.Licenses {
		idx.Licenses = addSorted(idx.Licenses, l.Key)
		if es := cat.Versions(l.Key); len(es) > 0 && es[0].Family != "" {
			idx.Families = addSorted(idx.Families, es[0].Family)
		}
	}
	idx.Task = r.Task
	for _, x := range r.Weights.Restrictions {
		idx.Restrictions = addSorted(idx.Restrictions, restrictionName(x))
	}
	for _, f := range r.Findings {
		idx.Findings = addSorted(idx.Findings, f.ID)
	}
	return idx, r.Target, r.Revision, nil
}

// restrictionName drops what a restriction says about where it came from ("700M MAU cap
// (inherited from org/base)" → "700M MAU cap").
func restrictionName(s string) string {
	if i := strings.Index(s, " (inherited from "); i > 0 {
		return s[:i]
	}
	return s
}

// addSorted adds v to a sorted set.
func addSorted(set []string, v string) []string {
	if v == "" {
		return set
	}
	i := sort.SearchStrings(set, v)
	if i < len(set) && set[i] == v {
		return set
	}
	return append(set[:i], append([]string{v}, set[i:]...)...)
}
