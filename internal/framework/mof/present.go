package mof

import (
	"fmt"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

func init() {
	Framework.Summary = summary
	Framework.Explain = explain
	Framework.Entry = entry
	Framework.Standing = standing
}

// Entry is the "mof" entry of the JSON report's frameworks (CONTRACT.md).
type Entry struct {
	Class    int                `json:"class"`
	Label    string             `json:"label"`
	Progress map[string]float64 `json:"progress"`
	Reasons  []framework.Reason `json:"reasons"`
}

func entry(v framework.Verdict) any {
	e := Entry{Label: v.Label, Progress: v.Progress, Reasons: v.Reasons}
	if v.Class != nil {
		e.Class = *v.Class
	}
	return e
}

// summary is the label with the progress towards the next class: "Unclassified (Class III 16.67%)".
func summary(v framework.Verdict) string {
	s := "MOF: " + v.Label
	if v.Class != nil && *v.Class != 1 {
		next := 3
		if *v.Class > 1 {
			next = *v.Class - 1
		}
		s += fmt.Sprintf(" (Class %s %s%%)", roman(next), framework.TrimFloat(v.Progress[fmt.Sprint(next)]))
	}
	return s
}

// explain lists Class III, II and I (the order a release climbs them) with each class's
// progress and the required components it lacks.
func explain(v framework.Verdict) framework.Explanation {
	t := &framework.Table{Columns: [3]string{"class", "progress", "status"}}
	for _, c := range []int{3, 2, 1} {
		row := framework.Row{Name: "Class " + roman(c), Value: framework.TrimFloat(v.Progress[fmt.Sprint(c)]) + "%"}
		if missing := Missing(v, c); len(missing) > 0 {
			row.Detail = "missing: " + strings.Join(missing, "; ")
		}
		t.Rows = append(t.Rows, row)
	}
	return framework.Explanation{Heading: "MOF (Model Openness Framework)", Table: t}
}

// Missing lists the required components of class c that do not pass in v, each named with
// what is wrong ("data card (not found)"), sorted.
func Missing(v framework.Verdict, c int) []string {
	byName := map[string]framework.Reason{}
	for _, r := range v.Reasons {
		byName[r.Criterion] = r
	}
	var out []string
	for _, info := range component.All {
		if info.Class != c || info.Optional {
			continue
		}
		if r, ok := byName[info.Name]; ok && r.Result != framework.Pass {
			out = append(out, strings.ToLower(info.Name)+" ("+r.Detail+")")
		}
	}
	sort.Strings(out)
	return out
}

// standing ranks the class: I is 3, II 2, III 1, Unclassified 0.
func standing(e map[string]any) (string, float64, bool) {
	label, ok := e["label"].(string)
	class, cok := e["class"].(float64)
	if !ok || !cok || class < 0 || class > 3 {
		return "", 0, false
	}
	if class == 0 {
		return label, 0, true
	}
	return label, 4 - class, true
}
