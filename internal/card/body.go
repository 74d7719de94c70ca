package card

import (
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// lineKind says what a body line is, for the analyses that must skip code and comments.
type lineKind uint8

const (
	kindProse   lineKind = iota
	kindCode             // inside a fenced code block, fences included
	kindComment          // entirely inside an HTML comment
)

// bodyLine is one line of the body with what the scanner learnt about it.
type bodyLine struct {
	n    int      // file line
	kind lineKind // prose, code or comment
	raw  string   // as written, without "\r"
	// text is raw with HTML comments blanked out; empty for code lines.
	text string
	// plain is text as a reader sees it (link text kept; URLs, tags and code dropped).
	plain string
	// table: part of a Markdown or HTML table, whose cells are labels, not sentences.
	table bool
	// heading: an ATX or HTML heading, or the text line of a setext heading.
	heading bool
	// underline: the === or --- line of a setext heading.
	underline bool
}

// analyseBody runs every body analysis over lines, the first of which is file line first.
func (c *Card) analyseBody(lines []string, first int) {
	bl := classify(lines, first)
	c.findHeadings(bl)
	c.findTables(bl)
	c.findLinks(bl)
	c.findPapers(bl)
	c.findClaims(bl)
	c.findProseBases(bl)
}

var fenceRe = lazyre.New("^ {0,3}(`{3,}|~{3,})")

// classify marks fenced code blocks and HTML comments. Both hide their content from
// headings, tables and claims: a licence quoted in a code block is not the card's prose.
func classify(lines []string, first int) []bodyLine {
	out := make([]bodyLine, len(lines))
	var fence string // the opening fence while inside a code block
	inComment := false
	for i, l := range lines {
		b := bodyLine{n: first + i, raw: l}
		switch {
		case fence != "":
			b.kind = kindCode
			// A closing fence is at least as long as the opening one, of the same
			// character, with nothing after it.
			t := strings.TrimLeft(l, " ")
			if len(l)-len(t) <= 3 {
				rest := strings.TrimLeft(t, fence[:1])
				if len(t)-len(rest) >= len(fence) && strings.TrimSpace(rest) == "" {
					fence = ""
				}
			}
		case !inComment && fenceRe.MatchString(l):
			m := fenceRe.FindStringSubmatch(l)[1]
			// A backtick fence's info string may not contain backticks; such a line is
			// inline code, not a fence.
			if m[0] == '`' && strings.Contains(strings.TrimLeft(l, " ")[len(m):], "`") {
				b.text = l
				break
			}
			fence = m
			b.kind = kindCode
		default:
			b.text, inComment = stripComments(l, inComment)
			if inComment && strings.TrimSpace(b.text) == "" {
				b.kind = kindComment
			}
		}
		out[i] = b
	}
	return out
}

// stripComments blanks the parts of a line inside HTML comments, given whether the line starts
// inside one, and says whether the line ends inside one.
func stripComments(l string, inComment bool) (string, bool) {
	if !inComment && !strings.Contains(l, "<!--") {
		return l, false
	}
	var b strings.Builder
	rest := l
	for rest != "" {
		if inComment {
			end := strings.Index(rest, "-->")
			if end < 0 {
				b.WriteString(strings.Repeat(" ", len(rest)))
				return b.String(), true
			}
			b.WriteString(strings.Repeat(" ", end+3))
			rest = rest[end+3:]
			inComment = false
			continue
		}
		start := strings.Index(rest, "<!--")
		if start < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:start])
		b.WriteString("    ")
		rest = rest[start+4:]
		inComment = true
	}
	return b.String(), inComment
}

var (
	atxRe      = lazyre.New(`^ {0,3}(#{1,6})(?:[ \t]+(.*))?$`)
	atxCloseRe = lazyre.New(`(?:^|[ \t])#+[ \t]*$`)
	setextRe   = lazyre.New(`^ {0,3}(=+|-+)[ \t]*$`)
	htmlHRe    = lazyre.New(`(?i)<h([1-6])\b[^>]*>(.*?)</h[1-6]\s*>`)
	tagRe      = lazyre.New(`</?[a-zA-Z][^<>]*>`)
	listItemRe = lazyre.New(`^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)`)
)

// maxHeadingLine bounds the length of a line read as a heading.
const maxHeadingLine = 4096

// findHeadings records ATX (`# Title`), setext (Title over ===) and one-line HTML headings.
func (c *Card) findHeadings(bl []bodyLine) {
	for i := range bl {
		b := &bl[i]
		if b.kind != kindProse {
			continue
		}
		if len(b.text) > maxHeadingLine {
			continue // headings are short; long lines are not worth the regexps
		}
		t := strings.TrimLeft(b.text, " ")
		if t == "" {
			continue
		}
		if t[0] == '#' {
			if m := atxRe.FindStringSubmatch(b.text); m != nil {
				text := strings.TrimSpace(atxCloseRe.ReplaceAllString(m[2], ""))
				c.Headings = append(c.Headings, Heading{Level: len(m[1]), Text: cleanInline(text), Line: b.n})
				b.heading = true
				continue
			}
		}
		if (t[0] == '=' || t[0] == '-') && i > 0 && setextRe.MatchString(b.text) {
			p := &bl[i-1]
			pt := strings.TrimSpace(p.text)
			if p.kind == kindProse && !p.heading && !p.underline && !strings.Contains(pt, "|") &&
				!listItemRe.MatchString(pt) && !strings.HasPrefix(pt, ">") && !strings.HasPrefix(p.text, "    ") &&
				cleanInline(pt) != "" {
				level := 2
				if t[0] == '=' {
					level = 1
				}
				c.Headings = append(c.Headings, Heading{Level: level, Text: cleanInline(pt), Line: p.n})
				p.heading = true
				b.underline = true
				continue
			}
		}
		if strings.Contains(b.text, "<h") || strings.Contains(b.text, "<H") {
			if m := htmlHRe.FindStringSubmatch(b.text); m != nil {
				if text := cleanInline(m[2]); text != "" {
					c.Headings = append(c.Headings, Heading{Level: int(m[1][0] - '0'), Text: text, Line: b.n})
					b.heading = true
					continue
				}
			}
		}
		if text, ok := pseudoHeading(bl, i); ok {
			c.Headings = append(c.Headings, Heading{Level: 6, Text: text, Line: b.n, Pseudo: true})
			b.heading = true
		}
	}
}

// pseudoRe is a line that is all bold: **Text**, __Text__, <b>Text</b> or <strong>Text</strong>,
// with an optional colon inside or after.
var pseudoRe = lazyre.New(`^(?:\*\*([^*]+)\*\*|__([^_]+)__|<(?:b|strong)>([^<]+)</(?:b|strong)>):?$`)

// Limits of a pseudo-heading: a label, not a bold sentence.
const (
	maxPseudoChars = 80
	maxPseudoWords = 12
)

// pseudoHeading reports whether line i is a bold line standing alone as a heading: all bold,
// short, not a sentence (no final full stop), and the first line of its block (after a blank
// line, a heading, a fence or the start of the body).
func pseudoHeading(bl []bodyLine, i int) (string, bool) {
	t := strings.TrimSpace(bl[i].text)
	if len(t) < 5 || len(t) > maxPseudoChars+12 || (t[0] != '*' && t[0] != '_' && t[0] != '<') {
		return "", false
	}
	if i > 0 {
		p := bl[i-1]
		if p.kind == kindProse && strings.TrimSpace(p.text) != "" && !p.heading && !p.underline {
			return "", false
		}
	}
	m := pseudoRe.FindStringSubmatch(t)
	if m == nil {
		return "", false
	}
	text := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[1]+m[2]+m[3]), ":"))
	if text == "" || len(text) > maxPseudoChars || len(strings.Fields(text)) > maxPseudoWords ||
		strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") {
		return "", false
	}
	return cleanInline(text), true
}

var delimRowRe = lazyre.New(`^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$`)

// findTables counts Markdown tables (a header row, then a delimiter row such as |---|:--:|)
// and HTML tables, and marks their lines.
func (c *Card) findTables(bl []bodyLine) {
	inHTML := 0
	for i := 0; i < len(bl); i++ {
		b := &bl[i]
		if b.kind != kindProse {
			continue
		}
		lower := ""
		if strings.Contains(b.text, "<") {
			lower = strings.ToLower(b.text)
		}
		if opens := strings.Count(lower, "<table"); opens > 0 {
			for range opens {
				c.Tables++
				c.TableLines = append(c.TableLines, b.n)
			}
			inHTML += opens
		}
		if inHTML > 0 {
			b.table = true
			inHTML -= strings.Count(lower, "</table")
			if inHTML < 0 {
				inHTML = 0
			}
			continue
		}
		if i+1 < len(bl) && strings.Contains(b.text, "|") && !b.heading && bl[i+1].kind == kindProse &&
			strings.Contains(bl[i+1].text, "|") && delimRowRe.MatchString(bl[i+1].text) {
			c.Tables++
			c.TableLines = append(c.TableLines, b.n)
			b.table = true
			j := i + 1
			for ; j < len(bl) && bl[j].kind == kindProse && strings.Contains(bl[j].text, "|"); j++ {
				bl[j].table = true
			}
			i = j - 1
		}
	}
}

// Section is the part of the body under one heading, up to the next heading of the same or a
// higher level.
type Section struct {
	Heading Heading
	Text    string // the lines under the heading, trimmed
	EndLine int    // last file line of the section
	Tables  int    // tables that start inside the section
}

// HeadingMatches returns a predicate for Section and Sections that matches heading text.
func HeadingMatches(re interface{ MatchString(string) bool }) func(Heading) bool {
	return func(h Heading) bool { return re.MatchString(h.Text) }
}

// Section returns the text under the first heading that pred accepts and the heading's line,
// or "", 0 when none does. Detectors use it to find, say, "Training Data" or "Evaluation".
func (c *Card) Section(pred func(Heading) bool) (text string, line int) {
	for i, h := range c.Headings {
		if pred(h) {
			s := c.sections(func(j int) bool { return j == i })
			return s[0].Text, h.Line
		}
	}
	return "", 0
}

// Sections returns every section whose heading pred accepts, in card order.
func (c *Card) Sections(pred func(Heading) bool) []Section {
	return c.sections(func(i int) bool { return pred(c.Headings[i]) })
}

// sections builds the sections of the headings whose index want accepts. It splits the body
// once and finds every section's end in one pass, so that asking for all sections of a card
// with thousands of headings stays linear.
func (c *Card) sections(want func(int) bool) []Section {
	lines := strings.Split(c.Body, "\n")
	last := c.BodyStartLine + len(lines) - 1

	// A section ends before the next heading of the same or a higher level.
	ends := make([]int, len(c.Headings))
	var open []int
	for j, h := range c.Headings {
		for len(open) > 0 && c.Headings[open[len(open)-1]].Level >= h.Level {
			ends[open[len(open)-1]] = h.Line - 1
			open = open[:len(open)-1]
		}
		open = append(open, j)
	}
	for _, j := range open {
		ends[j] = last
	}

	var out []Section
	for i, h := range c.Headings {
		if !want(i) {
			continue
		}
		end := max(ends[i], h.Line)
		s := Section{Heading: h, EndLine: end}
		from := h.Line - c.BodyStartLine + 1 // index of the line after the heading
		to := end - c.BodyStartLine + 1      // index after the section's last line
		if from >= 0 && from < len(lines) && setextRe.MatchString(lines[from]) {
			from++ // the underline of a setext heading
		}
		if from >= 0 && from < to && to <= len(lines) {
			s.Text = strings.TrimSpace(strings.Join(lines[from:to], "\n"))
		}
		lo := sort.SearchInts(c.TableLines, h.Line)
		hi := sort.SearchInts(c.TableLines, end+1)
		s.Tables = hi - lo
		out = append(out, s)
	}
	return out
}
