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

type painter struct{ on bool }

func (p painter) paint(code, s string) string {
	if !p.on {
		return s
	}
	return code + s + ansiReset
}

// tierColour maps tiers to colours: green for open, yellow for restricted, red for closed.
var tierColour = map[string]string{
	g7.OpenSourceAIOpenData: ansiGreen, g7.OpenSourceAI: ansiGreen, g7.OpenWeights: ansiGreen,
	g7.WeightsAvailable: ansiYellow, g7.Closed: ansiRed, g7.InsufficientEvidence: ansiDim,
}

var mark = map[framework.Result]string{framework.Pass: "✓", framework.Fail: "✗", framework.Partial: "~", framework.Unknown: "?"}
var markColour = map[framework.Result]string{framework.Pass: ansiGreen, framework.Fail: ansiRed, framework.Partial: ansiYellow, framework.Unknown: ansiDim}

// Text writes the report for a terminal: the tier and why, the other frameworks on one line, the
// components and the findings, each judgement with its evidence ids.
func Text(w io.Writer, a *assess.Assessment, opt TextOptions) error {
	p := painter{opt.Color}
	f := a.Facts
	d := Build(a)
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s — %s\n", p.paint(ansiBold, f.Name), p.paint(ansiBold+tierColour[a.Tier.Label], g7.Names[a.Tier.Label]))
	if opt.Explain {
		textLadder(b, p, a)
	} else {
		for _, r := range a.Tier.Reasons {
			textReason(b, p, r, "  ", opt.Verbose || isBlocking(a.Tier, r))
		}
	}
	var line []string
	for _, v := range a.Verdicts {
		switch v.Framework {
		case "mof":
			s := "MOF: " + v.Label
			if v.Class != nil && *v.Class != 1 {
				next := 3
				if *v.Class > 1 {
					next = *v.Class - 1
				}
				s += fmt.Sprintf(" (Class %s %s%%)", roman(next), trimFloat(v.Progress[fmt.Sprint(next)]))
			}
			line = append(line, s)
		case "osaid":
			s := "OSAID 1.0: " + v.Label
			if why := firstFailing(v.Reasons); why != "" {
				s += " (" + why + ")"
			}
			line = append(line, s)
		case "osai":
			line = append(line, "OSAI index: "+v.Label)
		case "euaiact":
			s := "EU AI Act 53(2): " + v.Label
			if why := firstNotPassing(v.Reasons); why != "" {
				s += " (" + why + ")"
			}
			line = append(line, s)
		default:
			line = append(line, v.Framework+": "+v.Label)
		}
	}
	fmt.Fprintln(b, strings.Join(line, " · "))
	if len(f.Lineage) > 0 {
		var parts []string
		for _, l := range f.Lineage {
			parts = append(parts, lineageText(l))
		}
		fmt.Fprintf(b, "lineage: %s\n", strings.Join(parts, "; "))
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
		fmt.Fprintf(b, "datasets: %s%s\n", strings.Join(parts, ", "), evRefs(datasetEvidence(f.Datasets)))
	}
	if len(f.Linked) > 0 {
		fmt.Fprintln(b, linkedLine(f.Linked))
	}
	if opt.Explain {
		textFrameworks(b, p, a)
	}
	if opt.Verbose {
		fmt.Fprintln(b, "components:")
		for _, c := range f.Components {
			lic := ""
			if c.License != "" {
				lic = " under " + c.License
			}
			fmt.Fprintf(b, "  %-32s %-8s %s%s%s\n", c.Name, c.Status, strings.Join(c.Locations, ", "), lic, evRefs(c.Evidence))
		}
	}
	if opt.Explain && len(f.Findings) > 0 {
		fmt.Fprintln(b, "\nFindings:")
	}
	for _, fi := range f.Findings {
		sev := strings.ToUpper(fi.Severity)
		col := ansiYellow
		if fi.Severity == evidence.High {
			col = ansiRed
		}
		fmt.Fprintf(b, "  %s %s: %s%s\n", p.paint(col, sev), fi.ID, fi.Message, evRefs(fi.Evidence))
	}
	fmt.Fprintf(b, "components: %d/%d present · findings: %s\n", d.Summary.ComponentsPresent, d.Summary.ComponentsTotal, findingCount(f.Findings))
	if opt.Verbose {
		fmt.Fprintln(b, "evidence:")
		for _, e := range f.Evidence {
			fmt.Fprintf(b, "  %-4s %s %s\n", e.ID, e.Location, p.paint(ansiDim, e.Excerpt))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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

func firstFailing(rs []framework.Reason) string {
	for _, r := range rs {
		if r.Result == framework.Fail {
			return r.Detail
		}
	}
	for _, r := range rs {
		if r.Result == framework.Unknown {
			return r.Criterion + " unknown"
		}
	}
	return ""
}

// firstNotPassing names the first failing criterion, else the unknown ones.
func firstNotPassing(rs []framework.Reason) string {
	for _, r := range rs {
		if r.Result == framework.Fail {
			return r.Criterion + ": no"
		}
	}
	var unknown []string
	for _, r := range rs {
		if r.Result == framework.Unknown {
			unknown = append(unknown, r.Criterion)
		}
	}
	if len(unknown) > 0 {
		return "unknown: " + strings.Join(unknown, "; ")
	}
	return ""
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

func roman(c int) string {
	return [...]string{"0", "I", "II", "III"}[max(0, min(c, 3))]
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
