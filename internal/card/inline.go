package card

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// The inline scanner works one line at a time and in linear time (or close to it): cards are
// untrusted input and some are megabytes long, so nothing here may rescan a line per match.

var (
	bareURLRe  = lazyre.New(`(?i)\b(?:https?://|www\.)[^\s<>"'\x60|{}\\]+`)
	attrRe     = lazyre.New(`(?i)\s(href|src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	autolinkRe = lazyre.New(`(?i)^<((?:https?|ftp)://[^\s<>]+)>$`)
	linkDefRe  = lazyre.New(`^ {0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?`)
	mdImageRe  = lazyre.New(`!\[([^\]]*)\]\([^)]*\)`)
	mdLinkRe   = lazyre.New(`\[([^\]]*)\]\([^)]*\)`)
	spaceRe    = lazyre.New(`\s+`)
	// modelIDRe is inline code that names a model or a repository: one word of letters,
	// digits and . _ - /, with a letter.
	modelIDRe = lazyre.New(`^[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?$`)
)

// span is a part of a line that the plain text replaces.
type span struct {
	start, end int
	repl       string
}

// inlineResult is what one line yields.
type inlineResult struct {
	links []Link
	plain string // the line as a reader sees it: link text kept, URLs, tags and code dropped
}

// scanInline finds the links in a prose line and renders its plain text.
func scanInline(s string) inlineResult {
	var res inlineResult
	if strings.TrimSpace(s) == "" {
		return res
	}
	if strings.HasPrefix(strings.TrimLeft(s, " "), "[") {
		if m := linkDefRe.FindStringSubmatch(s); m != nil {
			// A reference definition is metadata, not a sentence.
			res.links = append(res.links, Link{Text: cleanInline(m[1]), URL: m[2]})
			return res
		}
	}
	masked, codeSpans := maskCodeSpans(s)

	var spans []span // sorted by start once built

	// HTML tags, including <a href> and <img src>, and <https://…> autolinks.
	var tags [][]int
	if strings.Contains(masked, "<") {
		tags = tagRe.FindAllStringIndex(masked, -1)
	}
	closeAt := -1 // position of the first "</a" at or after the last search start
	for _, t := range tags {
		tag := masked[t[0]:t[1]]
		spans = append(spans, span{t[0], t[1], " "})
		if m := autolinkRe.FindStringSubmatch(tag); m != nil {
			res.links = append(res.links, Link{URL: m[1]})
			continue
		}
		name := strings.ToLower(tagName(tag))
		switch name {
		case "a":
			href, ok := attr(tag, "href")
			if !ok {
				continue
			}
			// The search result is reused by later anchors that open before it, so a
			// line of anchors without closing tags costs one scan, not one per anchor.
			if closeAt < t[1] {
				if i := indexCloseA(masked[t[1]:]); i >= 0 {
					closeAt = t[1] + i
				} else {
					closeAt = len(masked) + 1 // none left on the line
				}
			}
			text := ""
			if closeAt <= len(masked) {
				text = masked[t[1]:closeAt]
			}
			res.links = append(res.links, Link{Text: cleanInline(text), URL: href})
		case "img":
			if src, ok := attr(tag, "src"); ok {
				alt, _ := attr(tag, "alt")
				res.links = append(res.links, Link{Text: cleanInline(alt), URL: src, Image: true})
			}
		}
	}

	// Markdown links and images, matched with a stack so that a badge inside a link
	// ([![alt](img)](url)) gives both.
	var mdSpans []span
	if strings.Contains(masked, "](") {
		nextClose, nextOpen := parenIndex(masked)
		var stack []int
		for i := 0; i < len(masked); i++ {
			switch masked[i] {
			case '[':
				stack = append(stack, i)
			case ']':
				if len(stack) == 0 {
					continue
				}
				open := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if i+1 >= len(masked) || masked[i+1] != '(' {
					continue
				}
				end := nextClose[i+2]
				if end < 0 {
					continue
				}
				if o := nextOpen[i+2]; o >= 0 && o < end {
					// One level of parentheses inside the destination, as in Wikipedia URLs.
					if end+1 >= len(masked) || nextClose[end+1] < 0 {
						continue
					}
					end = nextClose[end+1]
				}
				dest := destination(masked[i+2 : end])
				if dest == "" {
					continue
				}
				image := open > 0 && masked[open-1] == '!'
				start := open
				if image {
					start--
				}
				text := cleanInline(masked[open+1 : i])
				res.links = append(res.links, Link{Text: text, URL: dest, Image: image})
				// Drop the spans of links nested inside this one: the outer text wins.
				for len(mdSpans) > 0 && mdSpans[len(mdSpans)-1].start >= start {
					mdSpans = mdSpans[:len(mdSpans)-1]
				}
				repl := " " + text + " "
				if image {
					repl = " "
				}
				mdSpans = append(mdSpans, span{start, end + 1, repl})
				i = end
			}
		}
	}

	// Bare URLs, except those already inside a link or a tag.
	covered := append(append([]span(nil), spans...), mdSpans...)
	sort.Slice(covered, func(a, b int) bool { return covered[a].start < covered[b].start })
	var urlSpans []span
	k := 0
	maxEnd := -1
	var urls [][]int
	if hasURL(s) {
		urls = bareURLRe.FindAllStringIndex(s, -1)
	}
	for _, u := range urls {
		for k < len(covered) && covered[k].start <= u[0] {
			if covered[k].end > maxEnd {
				maxEnd = covered[k].end
			}
			k++
		}
		if u[0] < maxEnd || (k < len(covered) && covered[k].start < u[1]) {
			continue
		}
		url := trimURL(s[u[0]:u[1]])
		res.links = append(res.links, Link{URL: url})
		urlSpans = append(urlSpans, span{u[0], u[0] + len(url), " "})
	}

	all := append(append(append(spans, mdSpans...), urlSpans...), codeSpans...)
	sort.SliceStable(all, func(a, b int) bool { return all[a].start < all[b].start })
	var b strings.Builder
	pos := 0
	for _, sp := range all {
		if sp.start < pos {
			continue // inside a span already replaced
		}
		b.WriteString(masked[pos:sp.start])
		b.WriteString(sp.repl)
		pos = sp.end
	}
	b.WriteString(masked[pos:])
	res.plain = b.String()
	return res
}

// indexCloseA returns the index of the first </a or </A in s, or -1.
func indexCloseA(s string) int {
	i, j := strings.Index(s, "</a"), strings.Index(s, "</A")
	if i < 0 || (j >= 0 && j < i) {
		return j
	}
	return i
}

// scanCodeURLs finds the URLs in a line of a code block, where Markdown syntax does not apply.
func scanCodeURLs(s string) []Link {
	var out []Link
	if !hasURL(s) {
		return nil
	}
	for _, u := range bareURLRe.FindAllString(s, -1) {
		out = append(out, Link{URL: trimURL(u), Code: true})
	}
	return out
}

// hasURL is a cheap test for whether bareURLRe can match, since a case-insensitive regexp
// cannot skip ahead to a literal and most lines hold no URL.
func hasURL(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.Contains(s, "WWW.")
}

// maskCodeSpans blanks inline code (`…`) so that brackets and tags inside it are not read as
// links, and returns the spans it blanked. A span closes at the next backtick run of the same
// length; runs are indexed by length so that unmatched runs do not make this quadratic.
func maskCodeSpans(s string) (string, []span) {
	if !strings.Contains(s, "`") {
		return s, nil
	}
	type run struct{ start, n int }
	var runs []run
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		runs = append(runs, run{i, j - i})
		i = j
	}
	byLen := map[int][]int{} // run length → indexes into runs, ascending
	for i, r := range runs {
		byLen[r.n] = append(byLen[r.n], i)
	}
	next := map[int]int{} // run length → position in byLen already passed
	b := []byte(s)
	var spans []span
	for i := 0; i < len(runs); {
		r := runs[i]
		idx := byLen[r.n]
		p := next[r.n]
		for p < len(idx) && idx[p] <= i {
			p++
		}
		next[r.n] = p
		if p == len(idx) {
			i++
			continue
		}
		closing := runs[idx[p]]
		end := closing.start + closing.n
		for x := r.start; x < end; x++ {
			b[x] = ' '
		}
		// A model id in code ("based on `Qwen/Qwen2.5-7B`") is still a name in the sentence.
		repl := " "
		if inner := s[r.start+r.n : closing.start]; modelIDRe.MatchString(inner) {
			repl = " " + inner + " "
		}
		spans = append(spans, span{r.start, end, repl})
		i = idx[p] + 1
	}
	return string(b), spans
}

// parenIndex returns, for each position, the index of the next ')' and the next '(' at or
// after it, or -1. The extra last entry lets callers look one past the end.
func parenIndex(s string) (nextClose, nextOpen []int) {
	nextClose = make([]int, len(s)+1)
	nextOpen = make([]int, len(s)+1)
	c, o := -1, -1
	nextClose[len(s)], nextOpen[len(s)] = -1, -1
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			c = i
		case '(':
			o = i
		}
		nextClose[i], nextOpen[i] = c, o
	}
	return nextClose, nextOpen
}

// destination extracts the URL from the inside of a Markdown link's parentheses, dropping an
// optional title.
func destination(inside string) string {
	inside = strings.TrimSpace(inside)
	if strings.HasPrefix(inside, "<") {
		if end := strings.IndexByte(inside, '>'); end > 0 {
			return strings.TrimSpace(inside[1:end])
		}
	}
	if i := strings.IndexAny(inside, " \t"); i >= 0 {
		inside = inside[:i]
	}
	return inside
}

// trimURL drops the punctuation that ends a sentence after a bare URL, and a closing
// parenthesis or bracket the URL did not open.
func trimURL(u string) string {
	for u != "" {
		last := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*_'\"", last) >= 0:
			u = u[:len(u)-1]
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
			u = u[:len(u)-1]
		case last == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}

// tagName returns the element name of an HTML tag such as `<a href=…>` or `</p>`.
func tagName(tag string) string {
	t := strings.TrimPrefix(strings.TrimPrefix(tag, "<"), "/")
	end := strings.IndexFunc(t, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if end < 0 {
		return t
	}
	return t[:end]
}

// attr returns the value of an attribute of an HTML tag.
func attr(tag, name string) (string, bool) {
	for _, m := range attrRe.FindAllStringSubmatch(tag, -1) {
		if strings.EqualFold(m[1], name) {
			return strings.TrimSpace(m[2] + m[3] + m[4]), true
		}
	}
	return "", false
}

// maxCleanInput bounds the text cleanInline works on; link texts and headings are short, and
// deeply nested brackets would otherwise be cleaned once per level.
const maxCleanInput = 1000

// cleanInline turns inline Markdown or HTML into the text a reader sees: images give their alt
// text, links their text; tags, code ticks and emphasis markers go; whitespace collapses.
func cleanInline(s string) string {
	if len(s) > maxCleanInput {
		cut := maxCleanInput
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if !strings.ContainsAny(s, "[<*_`\t\n") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	s = mdImageRe.ReplaceAllString(s, "$1")
	s = mdLinkRe.ReplaceAllString(s, "$1")
	s = tagRe.ReplaceAllString(s, " ")
	s = strings.NewReplacer("**", "", "__", "", "`", "").Replace(s)
	return strings.TrimSpace(spaceRe.ReplaceAllString(s, " "))
}

// findLinks records the links of every body line: Markdown and HTML in prose, bare URLs in
// code blocks. It also keeps each prose line's plain text for the claim finder.
func (c *Card) findLinks(bl []bodyLine) {
	for i := range bl {
		b := &bl[i]
		switch b.kind {
		case kindCode:
			for _, l := range scanCodeURLs(b.raw) {
				l.Line = b.n
				c.Links = append(c.Links, l)
			}
		case kindProse:
			r := scanInline(b.text)
			for _, l := range r.links {
				l.Line = b.n
				c.Links = append(c.Links, l)
			}
			b.plain = r.plain
		}
	}
}
