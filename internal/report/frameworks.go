package report

import (
	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// presented is one verdict with the framework that gave it, which says how it reads.
type presented struct {
	fw *framework.Framework
	v  framework.Verdict
}

// verdicts pairs every verdict below the tier with its framework from assess.Registry; a
// verdict of a framework not in the registry reads through the generic forms.
func verdicts(a *assess.Assessment) []presented {
	out := make([]presented, 0, len(a.Verdicts))
	for _, v := range a.Verdicts {
		fw := &framework.Framework{Name: v.Framework, Title: v.Framework}
		for _, r := range assess.Registry {
			if r.Name == v.Framework {
				fw = r
			}
		}
		out = append(out, presented{fw, v})
	}
	return out
}
