package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/osai"
)

// textLadder writes the spectrum from the bottom up: every tier with what it needs, a mark on
// the release's tier, and the fixes for the tiers above it.
func textLadder(b *strings.Builder, p painter, a *assess.Assessment) {
	fmt.Fprintln(b, "  The spectrum, bottom to top:")
	for _, r := range Explain(a) {
		m, col := "✓", ansiGreen
		if !r.Reached {
			m, col = "✗", ansiRed
		}
		head := r.Name
		switch {
		case r.Current:
			head += p.paint(ansiBold, "  ← this release")
		case len(r.Checks) == 0:
			head += " (no requirement: where every release starts)"
		case !r.Reached:
			if miss := len(r.missing()); miss > 0 {
				head += fmt.Sprintf(" (%d of %d criteria missing)", miss, len(r.Checks))
			} else {
				head += " (its own criteria hold; a tier below does not)"
			}
		}
		fmt.Fprintf(b, "  %s %s\n", p.paint(col, m), head)
		for _, c := range r.Checks {
			textReason(b, p, c, "      ", true)
		}
	}
}

// textFrameworks details every framework below the tier: MOF per class, OSAID per element, the
// OSAI index per parameter and the EU AI Act per condition with its standing notes.
func textFrameworks(b *strings.Builder, p painter, a *assess.Assessment) {
	for _, v := range a.Verdicts {
		switch v.Framework {
		case "mof":
			fmt.Fprintf(b, "\nMOF (Model Openness Framework): %s\n", v.Label)
			for _, c := range mofClasses(v) {
				fmt.Fprintf(b, "  Class %s: %s%%", roman(c.class), trimFloat(c.progress))
				if len(c.missing) > 0 {
					fmt.Fprintf(b, " — missing: %s", strings.Join(c.missing, "; "))
				}
				fmt.Fprintln(b)
			}
		case "osaid":
			fmt.Fprintf(b, "\nOSI Open Source AI Definition 1.0: %s\n", v.Label)
			textReasons(b, p, v.Reasons)
		case "osai":
			fmt.Fprintf(b, "\nEuropean Open Source AI Index: %s\n", v.Label)
			for _, prm := range osai.Params {
				r, ok := v.Elements[prm.Key]
				if !ok {
					continue
				}
				fmt.Fprintf(b, "  %-22s %-8s %s%s\n", prm.Key, osai.ClassOf(r.Result), r.Detail, evRefs(r.Evidence))
			}
			for _, n := range v.Notes {
				fmt.Fprintf(b, "  %s\n", p.paint(ansiDim, n))
			}
		case "euaiact":
			fmt.Fprintf(b, "\nEU AI Act, Article 53(2) open-source exemption: %s\n", v.Label)
			textReasons(b, p, v.Reasons)
			for _, n := range v.Notes {
				fmt.Fprintf(b, "  %s %s\n", p.paint(ansiDim, "note:"), n)
			}
		}
	}
}

func textReasons(b *strings.Builder, p painter, rs []framework.Reason) {
	for _, r := range rs {
		textReason(b, p, r, "  ", true)
	}
}

// textReason writes one criterion (mark, name, what was found, evidence ids) at indent and,
// when withFix and it does not pass, what would fix it.
func textReason(b *strings.Builder, p painter, r framework.Reason, indent string, withFix bool) {
	fmt.Fprintf(b, "%s%s %s: %s%s\n", indent, p.paint(markColour[r.Result], mark[r.Result]), r.Criterion, r.Detail, evRefs(r.Evidence))
	if withFix && r.Result != framework.Pass && r.Fix != "" {
		fmt.Fprintf(b, "%s    %s %s\n", indent, p.paint(ansiDim, "to fix:"), r.Fix)
	}
}

// mofClass is one MOF class with its progress and the required components it lacks.
type mofClass struct {
	class    int
	progress float64
	missing  []string
}

// mofClasses lists Class III, II and I (the order a release climbs them) with the required
// components of each that do not pass, named with what is wrong.
func mofClasses(v framework.Verdict) []mofClass {
	byName := map[string]framework.Reason{}
	for _, r := range v.Reasons {
		byName[r.Criterion] = r
	}
	var out []mofClass
	for _, c := range []int{3, 2, 1} {
		mc := mofClass{class: c, progress: v.Progress[fmt.Sprint(c)]}
		for _, info := range component.All {
			if info.Class != c || info.Optional {
				continue
			}
			if r, ok := byName[info.Name]; ok && r.Result != framework.Pass {
				mc.missing = append(mc.missing, strings.ToLower(info.Name)+" ("+r.Detail+")")
			}
		}
		sort.Strings(mc.missing)
		out = append(out, mc)
	}
	return out
}
