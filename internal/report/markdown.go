package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/framework"
	"github.com/glassbox-dev/glassbox/internal/framework/g7"
)

// Markdown writes the whole report as GitHub-flavoured Markdown, for pull requests, wikis and
// model cards: the tier, the spectrum from the bottom up, every framework's criteria, the
// components, licences, lineage, datasets, artifacts, findings and the evidence they cite.
func Markdown(w io.Writer, a *assess.Assessment) error {
	f := a.Facts
	d := Build(a)
	b := &strings.Builder{}
	fmt.Fprintf(b, "# %s: %s\n\n", mdText(f.Name), g7.Names[a.Tier.Label])
	fmt.Fprintf(b, "Target `%s` at revision `%s`. Components present: %d of %d. Findings: %s.\n\n",
		mdCode(f.Target), mdCode(f.Revision), d.Summary.ComponentsPresent, d.Summary.ComponentsTotal, findingCount(f.Findings))
	if f.MetadataOnly {
		fmt.Fprintf(b, "%s\n\n", MetadataOnlyLine)
	}

	fmt.Fprintln(b, "## The spectrum, bottom to top")
	fmt.Fprintln(b)
	for _, r := range Explain(a) {
		state := "not reached"
		switch {
		case r.Current:
			state = "**this release**"
		case r.Reached:
			state = "reached"
		}
		fmt.Fprintf(b, "### %s %s (%s)\n\n", reachedMark(r), r.Name, state)
		if len(r.Checks) == 0 {
			fmt.Fprintln(b, "No requirement: where every release starts.")
			fmt.Fprintln(b)
			continue
		}
		mdReasons(b, r.Checks)
	}

	for _, pv := range verdicts(a) {
		mdFramework(b, pv.fw.Explanation(pv.v), pv.v.Label)
	}

	fmt.Fprintln(b, "## Components")
	fmt.Fprintln(b)
	fmt.Fprintln(b, "| id | component | status | licence | where | evidence |")
	fmt.Fprintln(b, "|---|---|---|---|---|---|")
	for _, c := range f.Components {
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s |\n", c.ID, c.Name, c.Status, mdCell(c.License), mdCell(strings.Join(c.Locations, ", ")), strings.Join(c.Evidence, ", "))
	}
	fmt.Fprintln(b)
	if len(f.Licenses) > 0 {
		fmt.Fprintln(b, "## Licences")
		fmt.Fprintln(b)
		fmt.Fprintln(b, "| licence | scope | source | OSI | restrictions | evidence |")
		fmt.Fprintln(b, "|---|---|---|---|---|---|")
		for _, l := range f.Licenses {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(l.Expression), l.Scope, l.Source, yesNo(l.OSIApproved), mdCell(strings.Join(l.Restrictions, "; ")), strings.Join(l.Evidence, ", "))
		}
		fmt.Fprintln(b)
	}
	if len(f.Lineage) > 0 || len(f.Datasets) > 0 {
		fmt.Fprintln(b, "## Lineage and datasets")
		fmt.Fprintln(b)
		for _, l := range f.Lineage {
			fmt.Fprintf(b, "- %s%s\n", mdText(lineageText(l)), "")
		}
		for _, ds := range f.Datasets {
			lic := ds.License
			if lic == "" {
				lic = "licence not read"
			}
			fmt.Fprintf(b, "- dataset %s (%s)%s\n", mdText(ds.Ref), mdText(lic), evRefs(ds.Evidence))
		}
		fmt.Fprintln(b)
	}
	if len(f.Linked) > 0 {
		fmt.Fprintf(b, "## Linked repositories\n\n%s\n\n", mdText(strings.TrimPrefix(linkedLine(f.Linked), "linked: ")))
	}
	if len(f.Artifacts) > 0 {
		fmt.Fprintln(b, "## Model files")
		fmt.Fprintln(b)
		fmt.Fprintln(b, "| path | format | parameters | safety | evidence |")
		fmt.Fprintln(b, "|---|---|---|---|---|")
		for _, ar := range f.Artifacts {
			params := ""
			if ar.Parameters > 0 {
				params = fmt.Sprint(ar.Parameters)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdCell(ar.Path), ar.Format, params, ar.Safety, strings.Join(ar.Evidence, ", "))
		}
		fmt.Fprintln(b)
	}
	if len(f.Findings) > 0 {
		fmt.Fprintln(b, "## Findings")
		fmt.Fprintln(b)
		for _, fi := range f.Findings {
			fmt.Fprintf(b, "- **%s** `%s`: %s%s\n", strings.ToUpper(fi.Severity), fi.ID, mdText(fi.Message), evRefs(fi.Evidence))
		}
		fmt.Fprintln(b)
	}
	fmt.Fprintln(b, "## Evidence")
	fmt.Fprintln(b)
	fmt.Fprintln(b, "| id | kind | location | excerpt |")
	fmt.Fprintln(b, "|---|---|---|---|")
	for _, e := range f.Evidence {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", e.ID, e.Kind, mdCell(e.Location), mdCell(e.Excerpt))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MarkdownMany writes several reports separated by rules.
func MarkdownMany(w io.Writer, as []*assess.Assessment) error {
	for i, a := range as {
		if i > 0 {
			if _, err := io.WriteString(w, "\n---\n\n"); err != nil {
				return err
			}
		}
		if err := Markdown(w, a); err != nil {
			return err
		}
	}
	return nil
}

// mdFramework writes one framework's explanation: its criteria, its table and its notes.
func mdFramework(b *strings.Builder, e framework.Explanation, label string) {
	fmt.Fprintf(b, "## %s: %s\n\n", mdText(e.Heading), mdText(label))
	if len(e.Criteria) > 0 {
		mdReasons(b, e.Criteria)
	}
	if tb := e.Table; tb != nil {
		fmt.Fprintf(b, "| %s | %s | %s | evidence |\n|---|---|---|---|\n", mdText(tb.Columns[0]), mdText(tb.Columns[1]), mdText(tb.Columns[2]))
		for _, r := range tb.Rows {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdCell(r.Name), mdCell(r.Value), mdCell(r.Detail), strings.Join(r.Evidence, ", "))
		}
		fmt.Fprintln(b)
	}
	for _, n := range e.Notes {
		fmt.Fprintf(b, "> %s\n>\n", mdText(n))
	}
	if len(e.Notes) > 0 {
		fmt.Fprintln(b)
	}
}

func mdReasons(b *strings.Builder, rs []framework.Reason) {
	for _, r := range rs {
		fmt.Fprintf(b, "- %s **%s**: %s%s\n", mark[r.Result], mdText(r.Criterion), mdText(r.Detail), evRefs(r.Evidence))
		if r.Result != framework.Pass && r.Fix != "" {
			fmt.Fprintf(b, "  - to fix: %s\n", mdText(r.Fix))
		}
	}
	fmt.Fprintln(b)
}

func reachedMark(r Rung) string {
	if r.Reached {
		return "✓"
	}
	return "✗"
}

// mdText escapes the characters that would turn prose into Markdown structure.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "|", `\|`)
	return r.Replace(s)
}

// mdCell is mdText for a table cell, shortened so one cell cannot swamp the table.
func mdCell(s string) string {
	if len([]rune(s)) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return mdText(s)
}

// mdCode makes s safe inside a code span.
func mdCode(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "\n", " ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
