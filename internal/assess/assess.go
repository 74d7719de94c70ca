// Package assess runs the pure part of the pipeline: detectors over a Release, then every
// framework over the Facts. Its Assessment is the one result model that all renderers share.
package assess

import (
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/euaiact"
	"github.com/glassbox-dev/glassbox/internal/framework/g7"
	"github.com/glassbox-dev/glassbox/internal/framework/mof"
	"github.com/glassbox-dev/glassbox/internal/framework/osai"
	"github.com/glassbox-dev/glassbox/internal/framework/osaid"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// Assessment is an audit's result: the facts and each framework's verdict.
type Assessment struct {
	Facts *evidence.Facts
	// Tier is the G7 verdict, the report's headline.
	Tier framework.Verdict
	// Verdicts holds the other frameworks' verdicts by name, in Registry order.
	Verdicts []framework.Verdict
}

// Registry lists the frameworks below the headline tier, in report order.
var Registry = []*framework.Framework{mof.Framework, osaid.Framework, osai.Framework, euaiact.Framework}

// Run audits a release.
func Run(rel *release.Release, cat *license.Catalogue) *Assessment {
	f := evidence.Detect(rel, cat)
	a := &Assessment{Facts: f, Tier: g7.Framework.Evaluate(f)}
	for _, fw := range Registry {
		a.Verdicts = append(a.Verdicts, fw.Evaluate(f))
	}
	return a
}

// Verdict returns the verdict of the named framework.
func (a *Assessment) Verdict(name string) (framework.Verdict, bool) {
	if name == "g7" {
		return a.Tier, true
	}
	for _, v := range a.Verdicts {
		if v.Framework == name {
			return v, true
		}
	}
	return framework.Verdict{}, false
}
