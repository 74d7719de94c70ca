package osaid

import "github.com/glassbox-dev/glassbox/internal/framework"

func init() {
	Framework.Summary = summary
	Framework.Explain = explain
	Framework.Entry = entry
	Framework.Standing = standing
}

// Entry is the "osaid" entry of the JSON report's frameworks (CONTRACT.md).
type Entry struct {
	Verdict  string                      `json:"verdict"`
	Elements map[string]framework.Reason `json:"elements"`
}

func entry(v framework.Verdict) any { return Entry{Verdict: v.Label, Elements: v.Elements} }

// summary is the verdict with the first reason it does not pass.
func summary(v framework.Verdict) string {
	s := "OSAID 1.0: " + v.Label
	if why := framework.FirstFailing(v.Reasons); why != "" {
		s += " (" + why + ")"
	}
	return s
}

func explain(v framework.Verdict) framework.Explanation {
	return framework.Explanation{Heading: Framework.Title, Criteria: v.Reasons, Notes: v.Notes}
}

// standing ranks pass above fail and insufficient-evidence.
func standing(e map[string]any) (string, float64, bool) {
	v, ok := e["verdict"].(string)
	if !ok {
		return "", 0, false
	}
	if v == Pass {
		return v, 1, true
	}
	return v, 0, true
}
