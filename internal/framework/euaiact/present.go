package euaiact

import "github.com/glassbox-dev/glassbox/internal/framework"

func init() {
	Framework.Summary = framework.LabelWhy("EU AI Act 53(2)", framework.FirstNotPassing)
	Framework.Explain = framework.Checklist(Framework.Title)
	Framework.Entry = entry
	Framework.Standing = standing
}

// Entry is the "euaiact" entry of the JSON report's frameworks: the Art. 53(2) exemption, its
// conditions, and the obligations that stay whatever the verdict (CONTRACT.md).
type Entry struct {
	Exemption  string      `json:"exemption"`
	Conditions []Condition `json:"conditions"`
	Notes      []string    `json:"notes"`
}

// Condition is one condition of the exemption.
type Condition struct {
	Condition string           `json:"condition"`
	Result    framework.Result `json:"result"`
	Detail    string           `json:"detail,omitempty"`
	Fix       string           `json:"fix,omitempty"`
	Evidence  []string         `json:"evidence"`
}

func entry(v framework.Verdict) any {
	e := Entry{Exemption: v.Label, Notes: v.Notes}
	for _, r := range v.Reasons {
		e.Conditions = append(e.Conditions, Condition{Condition: r.Criterion, Result: r.Result, Detail: r.Detail, Fix: r.Fix, Evidence: r.Evidence})
	}
	return e
}

// standing ranks eligible above cannot-determine above not-eligible.
func standing(e map[string]any) (string, float64, bool) {
	v, ok := e["exemption"].(string)
	if !ok {
		return "", 0, false
	}
	switch v {
	case Eligible:
		return v, 2, true
	case CannotDetermine:
		return v, 1, true
	}
	return v, 0, true
}
