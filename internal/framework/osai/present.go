package osai

import "github.com/glassbox-dev/glassbox/internal/framework"

func init() {
	Framework.Summary = summary
	Framework.Explain = explain
	Framework.Entry = entry
	Framework.Standing = standing
}

// Entry is the "osai" entry of the JSON report's frameworks: the score (0..1) and each of the
// twelve parameters' class with the reason (CONTRACT.md).
type Entry struct {
	Score      float64              `json:"score"`
	Percent    string               `json:"percent"`
	Parameters map[string]Judgement `json:"parameters"`
	Notes      []string             `json:"notes,omitempty"`
}

func entry(v framework.Verdict) any {
	e := Entry{Percent: v.Label, Parameters: Judgements(v), Notes: v.Notes}
	if v.Score != nil {
		e.Score = *v.Score
	}
	return e
}

func summary(v framework.Verdict) string { return "OSAI index: " + v.Label }

// explain lists the twelve parameters in the index's order with their class.
func explain(v framework.Verdict) framework.Explanation {
	t := &framework.Table{Columns: [3]string{"parameter", "class", "why"}}
	for _, p := range Params {
		if r, ok := v.Elements[p.Key]; ok {
			t.Rows = append(t.Rows, framework.Row{Name: p.Key, Value: string(ClassOf(r.Result)), Detail: r.Detail, Evidence: r.Evidence})
		}
	}
	return framework.Explanation{Heading: Framework.Title, Table: t, Notes: v.Notes}
}

// standing ranks by the score.
func standing(e map[string]any) (string, float64, bool) {
	score, ok := e["score"].(float64)
	if !ok {
		return "", 0, false
	}
	label, _ := e["percent"].(string)
	if label == "" {
		label = Percent(score)
	}
	return label, score, true
}
