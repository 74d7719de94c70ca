package report

import (
	"fmt"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/framework"
)

// textLadder writes the spectrum from the bottom up: every tier with what it needs, a mark on
// the release's tier, and the fixes for the tiers above it.
func textLadder(t *textWriter, a *assess.Assessment) {
	t.printf("  The spectrum, bottom to top:\n")
	for _, r := range Explain(a) {
		m, col := "✓", ansiGreen
		if !r.Reached {
			m, col = "✗", ansiRed
		}
		var state painted
		switch {
		case r.Current:
			state = t.p.paint(ansiBold, "  ← this release")
		case len(r.Checks) == 0:
			state = " (no requirement: where every release starts)"
		case !r.Reached:
			if miss := len(r.missing()); miss > 0 {
				state = painted(fmt.Sprintf(" (%d of %d criteria missing)", miss, len(r.Checks)))
			} else {
				state = " (its own criteria hold; a tier below does not)"
			}
		}
		t.printf("  %s %s%s\n", t.p.paint(col, m), r.Name, state)
		for _, c := range r.Checks {
			textReason(t, c, "      ", true)
		}
	}
}

// textFrameworks details every framework below the tier as the framework explains itself:
// its criteria, its table of classes or parameters, and its standing notes.
func textFrameworks(t *textWriter, a *assess.Assessment) {
	for _, pv := range verdicts(a) {
		e := pv.fw.Explanation(pv.v)
		t.printf("\n%s: %s\n", e.Heading, pv.v.Label)
		for _, r := range e.Criteria {
			textReason(t, r, "  ", true)
		}
		if e.Table != nil {
			textTable(t, e.Table)
		}
		for _, n := range e.Notes {
			t.printf("  %s %s\n", t.p.paint(ansiDim, "note:"), n)
		}
	}
}

// textTable writes a framework's rows in aligned columns.
func textTable(t *textWriter, tb *framework.Table) {
	nameW, valueW := 0, 0
	for _, r := range tb.Rows {
		nameW = max(nameW, len([]rune(r.Name)))
		valueW = max(valueW, len([]rune(r.Value)))
	}
	for _, r := range tb.Rows {
		if rest := r.Detail + evRefs(r.Evidence); rest != "" {
			t.printf("  %-*s  %-*s  %s\n", nameW, r.Name, valueW, r.Value, rest)
		} else {
			t.printf("  %-*s  %s\n", nameW, r.Name, r.Value)
		}
	}
}

// textReason writes one criterion (mark, name, what was found, evidence ids) at indent and,
// when withFix and it does not pass, what would fix it.
func textReason(t *textWriter, r framework.Reason, indent string, withFix bool) {
	t.printf("%s%s %s: %s%s\n", indent, t.p.paint(markColour[r.Result], mark[r.Result]), r.Criterion, r.Detail, evRefs(r.Evidence))
	if withFix && r.Result != framework.Pass && r.Fix != "" {
		t.printf("%s    %s %s\n", indent, t.p.paint(ansiDim, "to fix:"), r.Fix)
	}
}
