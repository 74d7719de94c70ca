package osaid

import "github.com/glassbox-dev/glassbox/internal/framework"

func init() {
	Framework.Summary = framework.LabelWhy("OSAID 1.0", framework.FirstFailing)
	Framework.Explain = framework.Checklist(Framework.Title)
	Framework.Entry = entry
	Framework.Standing = standing
}

// Entry is the "osaid" entry of the JSON report's frameworks (CONTRACT.md).
type Entry struct {
	Verdict  string                      `json:"verdict"`
	Elements map[string]framework.Reason `json:"elements"`
}

func entry(v framework.Verdict) any { return Entry{Verdict: v.Label, Elements: v.Elements} }

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
