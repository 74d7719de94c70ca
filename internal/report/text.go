package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/g7"
)

// TextOptions control the terminal rendering.
type TextOptions struct {
	// Color adds ANSI colours; the caller sets it only for a terminal without NO_COLOR.
	Color bool
	// Verbose lists every component and every evidence item.
	Verbose bool
	// Explain walks the spectrum from the bottom up (what holds, what is missing for each
	// tier) and details every framework's criteria.
	Explain bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
)

// tierColour maps tiers to colours: green for open, yellow for restricted, red for closed.
var tierColour = map[string]string{
	g7.OpenSourceAIOpenData: ansiGreen, g7.OpenSourceAI: ansiGreen, g7.OpenWeights: ansiGreen,
	g7.WeightsAvailable: ansiYellow, g7.Closed: ansiRed, g7.InsufficientEvidence: ansiDim,
}

var mark = map[framework.Result]string{framework.Pass: "✓", framework.Fail: "✗", framework.Partial: "~", framework.Unknown: "?"}
var markColour = map[framework.Result]string{framework.Pass: ansiGreen, framework.Fail: ansiRed, framework.Partial: ansiYellow, framework.Unknown: ansiDim}

// Text writes the report for a terminal: the tier and why, the other frameworks on one line, the
// components and the findings, each judgement with its evidence ids. Every string read from the
// release is escaped (TermSafe).
func Text(w io.Writer, a *assess.Assessment, opt TextOptions) error {
	p := painter{opt.Color}
	f := a.Facts
	t := &textWriter{p: p}
	t.printf("%s — %s\n", p.paint(ansiBold, f.Name), p.paint(ansiBold+tierColour[a.Tier.Label], g7.Names[a.Tier.Label]))
	if f.MetadataOnly {
		t.printf("%s\n", p.paint(ansiDim, MetadataOnlyLine))
	}
	if opt.Explain {
		textLadder(t, a)
	} else {
		for _, r := range a.Tier.Reasons {
			textReason(t, r, "  ", opt.Verbose || isBlocking(a.Tier, r))
		}
	}
	var line []string
	for _, pv := range verdicts(a) {
		line = append(line, pv.fw.Summarise(pv.v))
	}
	t.printf("%s\n", strings.Join(line, " · "))
	textContext(t, f)
	if opt.Explain {
		textFrameworks(t, a)
	}
	if opt.Verbose {
		t.printf("components:\n")
		for _, c := range f.Components {
			lic := ""
			if c.License != "" {
				lic = " under " + c.License
			}
			t.printf("  %-32s %-8s %s%s%s\n", c.Name, c.Status, strings.Join(c.Locations, ", "), lic, evRefs(c.Evidence))
		}
	}
	textFindings(t, f, opt.Explain)
	if opt.Verbose {
		t.printf("evidence:\n")
		for _, e := range f.Evidence {
			t.printf("  %-4s %s %s\n", e.ID, e.Location, p.paint(ansiDim, e.Excerpt))
		}
	}
	_, err := io.WriteString(w, t.b.String())
	return err
}

// textContext writes the lineage and datasets lines.
func textContext(t *textWriter, f *evidence.Facts) {
	if len(f.Lineage) > 0 {
		var parts []string
		for _, l := range f.Lineage {
			parts = append(parts, lineageText(l))
		}
		t.printf("lineage: %s\n", strings.Join(parts, "; "))
	}
	if len(f.Datasets) > 0 {
		var parts []string
		for _, ds := range f.Datasets {
			lic := ds.License
			if lic == "" {
				lic = "licence not read"
			}
			parts = append(parts, strings.TrimPrefix(ds.Ref, "hf:datasets/")+" ("+lic+")")
		}
		t.printf("datasets: %s%s\n", strings.Join(parts, ", "), evRefs(datasetEvidence(f.Datasets)))
	}
	if len(f.Linked) > 0 {
		t.printf("%s\n", linkedLine(f.Linked))
	}
}

// textFindings writes the findings (under a heading with --explain) and the summary line.
func textFindings(t *textWriter, f *evidence.Facts, explain bool) {
	if explain && len(f.Findings) > 0 {
		t.printf("\nFindings:\n")
	}
	for _, fi := range f.Findings {
		col := ansiYellow
		if fi.Severity == evidence.High {
			col = ansiRed
		}
		t.printf("  %s %s: %s%s\n", t.p.paint(col, strings.ToUpper(fi.Severity)), fi.ID, fi.Message, evRefs(fi.Evidence))
	}
	present := 0
	for _, c := range f.Components {
		if c.Status == evidence.Present || c.Status == evidence.Gated {
			present++
		}
	}
	t.printf("components: %d/%d present · findings: %s\n", present, len(f.Components), findingCount(f.Findings))
}

// lineageText is one parent: "finetune of meta-llama/Llama-3.2-1B (LicenseRef-…; restricted)".
func lineageText(l evidence.Parent) string {
	s := l.Relation
	if s == "" {
		s = "derived"
	}
	s += " of " + strings.TrimPrefix(l.Ref, "hf:")
	switch {
	case l.License == "":
		s += " (licence unknown)"
	case l.Open:
		s += " (" + l.License + ")"
	default:
		s += " (" + l.License + ", restricted)"
	}
	return s + evRefs(l.Evidence)
}

func datasetEvidence(ds []evidence.Dataset) []string {
	var ids []string
	for _, d := range ds {
		for _, e := range d.Evidence {
			if !slices.Contains(ids, e) {
				ids = append(ids, e)
			}
		}
	}
	return ids
}

// isBlocking reports whether a failed criterion is what keeps the release below the next tier,
// so the default report shows only the fixes that matter.
func isBlocking(tier framework.Verdict, r framework.Reason) bool {
	for _, x := range tier.Reasons {
		if x.Result != framework.Pass {
			return x.Criterion == r.Criterion
		}
	}
	return false
}

func findingCount(fs []evidence.Finding) string {
	if len(fs) == 0 {
		return "0"
	}
	var parts []string
	for _, sev := range []string{evidence.High, evidence.Medium, evidence.Low, evidence.Info} {
		n := 0
		for _, f := range fs {
			if f.Severity == sev {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	return fmt.Sprintf("%d (%s)", len(fs), strings.Join(parts, ", "))
}

func evRefs(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	if len(ids) > 4 {
		ids = append(ids[:4:4], "…")
	}
	return " [" + strings.Join(ids, ",") + "]"
}
