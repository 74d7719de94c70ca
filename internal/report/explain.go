package report

import (
	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/g7"
)

// Rung is one tier of the G7 spectrum as it applies to a release: the criteria the tier adds
// to the ones below it, each with its result, and whether the release stands on it.
type Rung struct {
	Tier string
	Name string
	// Reached: this tier and every tier below it hold.
	Reached bool
	// Current: the release's tier (the highest reached).
	Current bool
	Checks  []framework.Reason
}

// Explain walks the spectrum from the bottom up. Every rung lists what it needs; the rungs above
// the release's tier show what is missing and how to get there. A release with insufficient
// evidence reaches no rung.
func Explain(a *assess.Assessment) []Rung {
	byCriterion := map[string]framework.Reason{}
	for _, r := range a.Tier.Reasons {
		byCriterion[r.Criterion] = r
	}
	current := -1
	for i, s := range g7.Ladder {
		if s.Tier == a.Tier.Label {
			current = i
		}
	}
	rungs := make([]Rung, 0, len(g7.Ladder))
	for i, s := range g7.Ladder {
		r := Rung{Tier: s.Tier, Name: g7.Names[s.Tier], Reached: i <= current, Current: i == current}
		for _, c := range s.Criteria {
			if reason, ok := byCriterion[c]; ok {
				r.Checks = append(r.Checks, reason)
			}
		}
		rungs = append(rungs, r)
	}
	return rungs
}

// missing lists the criteria of a rung that do not pass.
func (r Rung) missing() []framework.Reason {
	var out []framework.Reason
	for _, c := range r.Checks {
		if c.Result != framework.Pass {
			out = append(out, c)
		}
	}
	return out
}
