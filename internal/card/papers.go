package card

import (
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// arxivIDPattern matches new-style (2307.09288, with optional version) and old-style
// (hep-th/9901001) arXiv identifiers.
const arxivIDPattern = `(?:[0-9]{4}\.[0-9]{4,5}|[a-z][a-z.\-]{1,15}/[0-9]{7})(?:v[0-9]+)?`

var (
	arxivIDRe = lazyre.New(arxivIDPattern)
	// Hub paper pages are keyed by arXiv id, so they count as arXiv references.
	arxivURLRe   = lazyre.New(`(?i)(?:arxiv\.org/(?:abs|pdf|html)/|huggingface\.co/papers/)(` + arxivIDPattern + `)`)
	arxivTextRe  = lazyre.New(`(?i)\barxiv:\s?(` + arxivIDPattern + `)`)
	doiRe        = lazyre.New(`\b(10\.[0-9]{4,9}/[^\s"'<>{}\[\]|,;]+)`)
	bibtexRe     = lazyre.New(`(?i)^\s*@(article|inproceedings|misc|techreport|report|book|inbook|incollection|conference|proceedings|phdthesis|mastersthesis|unpublished|online|software)\s*\{\s*([^,\s}]*)`)
	techReportRe = lazyre.New(`(?i)\btech(?:nical|\.)?\s+report\b`)
)

// maxBibTeXLines bounds how far a BibTeX entry is followed when its braces never balance.
const maxBibTeXLines = 80

// stripArxivVersion drops a trailing vN so that one paper has one id.
func stripArxivVersion(id string) string {
	if i := strings.LastIndexByte(id, 'v'); i > 0 && i+1 < len(id) && strings.Trim(id[i+1:], "0123456789") == "" &&
		(id[i-1] >= '0' && id[i-1] <= '9') {
		return id[:i]
	}
	return id
}

// findPapers records papers in file order: BibTeX entries, then on each line the paper links
// and the arXiv ids and DOIs written as text.
func (c *Card) findPapers(bl []bodyLine) {
	// A BibTeX entry whose title or type says "technical report" makes every reference
	// inside it one.
	reportLine := make(map[int]bool)
	bibtexAt := make(map[int]Paper)
	entryOf := make(map[int]bibEntry) // file line → the BibTeX entry it is part of
	for i := 0; i < len(bl); i++ {
		if bl[i].kind == kindComment {
			continue
		}
		if !strings.Contains(bl[i].raw, "@") {
			continue
		}
		m := bibtexRe.FindStringSubmatch(bl[i].raw)
		if m == nil {
			continue
		}
		depth, j := 0, i
		var entry strings.Builder
		for ; j < len(bl) && j < i+maxBibTeXLines; j++ {
			entry.WriteString(bl[j].raw)
			entry.WriteByte('\n')
			depth += strings.Count(bl[j].raw, "{") - strings.Count(bl[j].raw, "}")
			if depth <= 0 {
				break
			}
		}
		if j == len(bl) {
			j--
		}
		kind := strings.ToLower(m[1])
		report := kind == "techreport" || kind == "report" || mentionsReport(entry.String())
		title := bibtexTitle(entry.String())
		own := ""
		if len(bibtexAt) == 0 || ownHeading(c.headingAt(bl[i].n)) {
			own = OwnCitation
		}
		for k := i; k <= j; k++ {
			reportLine[bl[k].n] = reportLine[bl[k].n] || report
			entryOf[bl[k].n] = bibEntry{title: title, own: own}
		}
		bibtexAt[bl[i].n] = Paper{Kind: PaperBibTeX, ID: m[2], Line: bl[i].n, TechnicalReport: report, Own: own, Title: title}
		i = j
	}

	li := 0 // next link to look at; links are in line order
	for _, b := range bl {
		if b.kind == kindComment {
			for li < len(c.Links) && c.Links[li].Line <= b.n {
				li++
			}
			continue
		}
		text := b.plain
		if b.kind == kindCode {
			text = b.raw
		}
		lineReport := reportLine[b.n] || mentionsReport(text)
		if p, ok := bibtexAt[b.n]; ok {
			c.addPaper(p)
		}
		entry, inEntry := entryOf[b.n]
		lineOwn := entry.own
		if !inEntry && c.mayMentionPaper(b, text) {
			lineOwn = c.ownLine(b, text)
		}
		for ; li < len(c.Links) && c.Links[li].Line <= b.n; li++ {
			l := c.Links[li]
			if l.Line < b.n || l.Image {
				continue
			}
			p := Paper{URL: l.URL, Line: b.n, TechnicalReport: lineReport || mentionsReport(l.Text), Own: lineOwn, Title: l.Text}
			if p.Own == "" && paperLabelRe.MatchString(l.Text) {
				p.Own = OwnField
			}
			switch m, d := findArxiv(l.URL), findDOIs(l.URL); {
			case m != nil:
				p.Kind, p.ID = PaperArXiv, stripArxivVersion(m[0][1])
			case d != nil:
				p.Kind, p.ID = PaperDOI, trimURL(d[0][1])
			case isPDF(l.URL):
				p.Kind, p.ID = PaperPDF, l.URL
			default:
				continue
			}
			c.addPaper(p)
		}
		// Scheme-less arxiv.org addresses are not links but still name a paper, and so
		// does "arXiv:2401.01234" in a citation.
		for _, m := range findArxiv(text) {
			c.addPaper(Paper{Kind: PaperArXiv, ID: stripArxivVersion(m[1]), Line: b.n, TechnicalReport: lineReport, Own: lineOwn, Title: entry.title})
		}
		for _, m := range findDOIs(text) {
			c.addPaper(Paper{Kind: PaperDOI, ID: trimURL(m[1]), Line: b.n, TechnicalReport: lineReport, Own: lineOwn, Title: entry.title})
		}
	}
}

// mayMentionPaper is a cheap test for whether line b can mention a paper, so that the
// regexps judging how it presents one run only where it might: a link on the line, or text
// findArxiv or findDOIs could match.
func (c *Card) mayMentionPaper(b bodyLine, text string) bool {
	i := sort.Search(len(c.Links), func(i int) bool { return c.Links[i].Line >= b.n })
	return i < len(c.Links) && c.Links[i].Line == b.n || findArxiv(text) != nil || strings.Contains(text, "10.")
}

// mentionsReport reports whether s says "technical report" or "tech report".
func mentionsReport(s string) bool {
	return (strings.Contains(s, "eport") || strings.Contains(s, "EPORT")) && techReportRe.MatchString(s)
}

// findArxiv returns the arXiv ids in s (submatch 1), by URL or "arXiv:" prefix. The cheap
// test first matters: case-insensitive regexps cannot skip ahead to a literal, and most lines
// mention no paper.
func findArxiv(s string) [][]string {
	if !strings.Contains(s, "rxiv") && !strings.Contains(s, "rXiv") && !strings.Contains(s, "RXIV") &&
		!strings.Contains(s, "papers/") {
		return nil
	}
	return append(arxivURLRe.FindAllStringSubmatch(s, -1), arxivTextRe.FindAllStringSubmatch(s, -1)...)
}

// findDOIs returns the DOIs in s (submatch 1).
func findDOIs(s string) [][]string {
	if !strings.Contains(s, "10.") {
		return nil
	}
	return doiRe.FindAllStringSubmatch(s, -1)
}

// isPDF reports whether a URL names a PDF file, ignoring any query or fragment.
func isPDF(u string) bool {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.HasSuffix(strings.ToLower(u), ".pdf")
}

// addPaper records a paper unless it was already mentioned.  A later mention that presents it
// as the model's own (Own) replaces the earlier one too. A later mention that calls it a
// technical report replaces the earlier one, so the evidence cites the line that says so.
func (c *Card) addPaper(p Paper) {
	if p.ID == "" && p.Kind != PaperBibTeX {
		return
	}
	key := p.Kind + "\x00" + strings.ToLower(p.ID)
	if c.paperIndex == nil {
		c.paperIndex = map[string]int{}
	}
	if i, seen := c.paperIndex[key]; seen {
		old := c.Papers[i]
		if p.TechnicalReport && !old.TechnicalReport || p.Own != "" && old.Own == "" {
			if p.URL == "" {
				p.URL = old.URL
			}
			if p.Title == "" {
				p.Title = old.Title
			}
			p.TechnicalReport = p.TechnicalReport || old.TechnicalReport
			if p.Own == "" {
				p.Own = old.Own
			}
			c.Papers[i] = p
		}
		return
	}
	c.paperIndex[key] = len(c.Papers)
	c.Papers = append(c.Papers, p)
}
