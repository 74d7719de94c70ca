package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// metaLines describe the census in a few sentences, for both headers.
func metaLines(m Meta) []string {
	mode := "metadata mode (each model judged from its listing entry)"
	if m.Deep {
		mode = "deep mode (READMEs, licence texts and weights headers read)"
	}
	lines := []string{
		fmt.Sprintf("Census of %s in %s.", m.Query, mode),
		fmt.Sprintf("%s models listed, %s audited, %s unreadable.", num(int64(m.Listed)), num(int64(m.Audited)), num(int64(m.Unreadable))),
	}
	switch {
	case m.Started.IsZero():
	case m.Finished.IsZero():
		lines = append(lines, fmt.Sprintf("Running since %s: %s models still to audit; the figures below are what is done so far.",
			m.Started.UTC().Format(time.RFC3339), num(int64(max(0, m.Listed-m.Audited-m.Unreadable)))))
	default:
		lines = append(lines, fmt.Sprintf("Ran from %s to %s (%s).", m.Started.UTC().Format(time.RFC3339), m.Finished.UTC().Format(time.RFC3339),
			m.Finished.Sub(m.Started).Round(time.Second)))
	}
	lines = append(lines, fmt.Sprintf("%s requests to the Hub, %.2f per model.", num(m.Requests), m.RequestsPerModel))
	if m.GlassboxVersion != "" {
		lines = append(lines, "glassbox "+m.GlassboxVersion+".")
	}
	return lines
}

// mdEscape makes text from rows inert in Markdown: no markup, no HTML, no table breaks.
var mdEscape = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "#", `\#`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "\n", " ", "\r", " ",
)

// WriteMarkdown writes the state of openness as Markdown: the census's header, then each
// chart's title, caption and numbers as a table.
func WriteMarkdown(w io.Writer, m Meta, s *Summary) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# State of openness: %s\n\n", mdEscape.Replace(m.Query))
	for _, l := range metaLines(m) {
		fmt.Fprintf(b, "%s\n", mdEscape.Replace(l))
	}
	for _, sec := range sections(s) {
		fmt.Fprintf(b, "\n## %s\n\n%s\n\n", sec.Title, sec.Caption)
		for _, n := range sec.Notes {
			fmt.Fprintf(b, "%s\n\n", mdEscape.Replace(n))
		}
		writeMarkdownTable(b, sec.Head, sec.Rows)
	}
	return b.Flush()
}

func writeMarkdownTable(b *bufio.Writer, head []string, rows [][]string) {
	if len(rows) == 0 {
		b.WriteString("None.\n")
		return
	}
	writeMarkdownRow(b, head)
	b.WriteString("|---")
	b.WriteString(strings.Repeat("|--:", len(head)-1))
	b.WriteString("|\n")
	for _, r := range rows {
		writeMarkdownRow(b, r)
	}
}

func writeMarkdownRow(b *bufio.Writer, cells []string) {
	for _, c := range cells {
		b.WriteString("| ")
		b.WriteString(mdEscape.Replace(c))
		b.WriteString(" ")
	}
	b.WriteString("|\n")
}
