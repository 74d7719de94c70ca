package card

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// An open-source claim is prose that calls the model, its release or its base "open source",
// "open-source" (also as a verb: "we open-sourced X") or "fully open". The words alone are not
// enough: cards also say "outperforms open-source models", "an open-source library" or "the
// open-source community", which say nothing about this release. Each match is therefore judged
// by three things around it, read from the tables below:
//
//  1. the sentence before it: a comparison ("outperforms", "compared to", "than") or a
//     negation ("not") means the release is not the one called open source;
//  2. what it qualifies: the first telling noun in the next few words, or the subject of
//     "X is open source". Software, data, community and comparison nouns disqualify; model
//     nouns ("model", "weights", "LLM") and names, which say nothing, keep the claim;
//  3. "open weights", "open-weight" and "open access" never match: they are not open source.
//
// Front matter (including the gated prompt), code blocks, HTML comments and tables are never
// read: a quoted licence or a leaderboard's "Open-source models" row is not the card speaking.

var claimRe = lazyre.New(`(?i)fully[- ]open(?:[- ]?sourc[a-z]*)?|open[- ]?sourc[a-z]*`)

// claimSuffixes are the endings after "open source" that are still the phrase.
var claimSuffixes = map[string]bool{"source": true, "sourced": true, "sources": true, "sourcing": true}

// comparisonRe finds a comparison earlier in the sentence: the open-source things are the
// ones this model is measured against.
var comparisonRe = lazyre.New(`\b(?:outperform\w*|surpass\w*|beat|beats|beating|rival\w*|compar\w*|versus|vs|than|against|among|amongst|relative to|on par)\b`)

// negations before the phrase turn it around ("is not open source").
var negations = map[string]bool{
	"not": true, "no": true, "non": true, "never": true, "nor": true, "without": true,
	"isn't": true, "aren't": true, "wasn't": true, "weren't": true, "isn’t": true, "aren’t": true,
}

// notModel are nouns that, when "open source" qualifies them, are about something other than
// the model: software, people, data, evaluation, and the competitors in a comparison.
var notModel = map[string]bool{
	// software
	"library": true, "libraries": true, "lib": true, "code": true, "codebase": true, "codes": true,
	"framework": true, "frameworks": true, "tool": true, "tools": true, "toolkit": true,
	"toolkits": true, "tooling": true, "software": true, "package": true, "packages": true,
	"project": true, "projects": true, "implementation": true, "implementations": true,
	"repo": true, "repos": true, "repository": true, "repositories": true, "gui": true, "ui": true,
	"app": true, "apps": true, "application": true, "applications": true, "engine": true,
	"engines": true, "runtime": true, "runtimes": true, "platform": true, "platforms": true,
	"program": true, "programs": true, "script": true, "scripts": true, "sdk": true,
	"plugin": true, "plugins": true, "extension": true, "extensions": true, "client": true,
	"clients": true, "server": true, "servers": true, "frontend": true, "backend": true,
	"stack": true, "utility": true, "utilities": true, "notebook": true, "notebooks": true,
	"infrastructure": true, "tokenizer": true, "tokenizers": true, "compiler": true,
	"interface": true, "inference": true, "pipeline": true, "pipelines": true,
	// people and practice
	"community": true, "communities": true, "collaboration": true, "collaborations": true,
	"ecosystem": true, "ecosystems": true, "movement": true, "contributor": true,
	"contributors": true, "developer": true, "developers": true, "world": true, "spirit": true,
	"culture": true, "enthusiasts": true, "maintainers": true, "contributions": true,
	"principles": true, "values": true,
	// data and evaluation
	"dataset": true, "datasets": true, "data": true, "corpus": true, "corpora": true,
	"benchmark": true, "benchmarks": true, "evaluation": true, "evaluations": true, "eval": true,
	"evals": true, "leaderboard": true, "leaderboards": true, "harness": true,
	// the other side of a comparison
	"alternative": true, "alternatives": true, "counterpart": true, "counterparts": true,
	"competitor": true, "competitors": true, "baseline": true, "baselines": true, "peers": true,
	"rivals": true, "closed": true, "proprietary": true,
}

// isModel are nouns that make the phrase about a model or its release.
var isModel = map[string]bool{
	"model": true, "models": true, "llm": true, "llms": true, "lm": true, "lms": true,
	"weights": true, "weight": true, "checkpoint": true, "checkpoints": true, "release": true,
	"releases": true, "version": true, "versions": true, "language": true, "foundation": true,
	"license": true, "licence": true, "licensed": true, "ai": true, "variant": true,
	"variants": true, "family": true, "series": true, "parameters": true,
}

// copulas link a subject to "open source" ("the code is open source").
var copulas = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"remains": true, "remain": true, "stays": true, "becomes": true,
}

// adverbs may stand between a copula and the phrase.
var adverbs = map[string]bool{
	"fully": true, "also": true, "completely": true, "now": true, "all": true, "entirely": true,
	"totally": true, "truly": true, "100%": true, "100": true, "publicly": true, "both": true,
}

// wordsAfter is how far after the phrase the qualified noun is looked for; lookBehind and
// lookAhead bound the context read around the phrase, in bytes.
const (
	wordsAfter = 6
	lookBehind = 160
	lookAhead  = 200
	// maxClaims bounds Claims; a card that repeats the phrase more often is not saying
	// anything new, and scanning on would only cost time.
	maxClaims  = 200
	maxExcerpt = 160
)

// paragraph is prose joined across wrapped lines, so a phrase broken by a line end is found.
type paragraph struct {
	text   string
	starts []int // offset in text where each line begins
	lines  []int // file line of each
}

func (p *paragraph) lineAt(off int) int {
	i := sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return p.lines[i]
}

// paragraphs groups prose lines: blank lines, headings, list items, tables and code end a
// paragraph.
func paragraphs(bl []bodyLine) []paragraph {
	var out []paragraph
	var cur paragraph
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			cur.text = text.String()
			out = append(out, cur)
		}
		cur = paragraph{}
		text.Reset()
	}
	for _, b := range bl {
		t := strings.TrimSpace(b.plain)
		if b.kind != kindProse || b.table || b.underline || t == "" {
			flush()
			continue
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		if b.heading || listItemRe.MatchString(t) {
			flush()
		}
		if text.Len() > 0 {
			text.WriteByte(' ')
		}
		cur.starts = append(cur.starts, text.Len())
		cur.lines = append(cur.lines, b.n)
		text.WriteString(t)
		if b.heading {
			flush()
		}
	}
	flush()
	return out
}

// findClaims records open-source claims, at most one per line.
func (c *Card) findClaims(bl []bodyLine) {
	seen := map[int]bool{}
	for _, p := range paragraphs(bl) {
		// Most paragraphs never say "open"; the case-insensitive regexp is slow to find that.
		lower := strings.ToLower(p.text)
		if strings.Contains(lower, "open") {
			for _, m := range claimRe.FindAllStringIndex(p.text, -1) {
				c.addClaim(p, m, seen, isClaim)
			}
		}
		if hasForeignHint(lower) {
			for _, m := range foreignClaimRe.FindAllStringIndex(p.text, -1) {
				c.addClaim(p, m, seen, isForeignClaim)
			}
		}
		if len(c.Claims) >= maxClaims {
			return
		}
	}
}

// addClaim records the match m of paragraph p if judge accepts it and its line has no claim yet.
func (c *Card) addClaim(p paragraph, m []int, seen map[int]bool, judge func(string, int, int) bool) {
	if len(c.Claims) >= maxClaims {
		return
	}
	line := p.lineAt(m[0])
	if seen[line] || !judge(p.text, m[0], m[1]) {
		return
	}
	seen[line] = true
	c.Claims = append(c.Claims, Claim{Kind: ClaimOpenSource, Line: line, Excerpt: excerpt(p.text, m[0], m[1])})
}

// foreignHints are cheap substrings one of which every foreignClaimRe match contains; the
// ASCII ones are all a paragraph of plain ASCII needs checking.
var (
	foreignHintsASCII = []string{"digo", "codice", "sorgente", "ouvert", "quelloffen", "kaynak", "terbuka"}
	foreignHints      = append([]string{"开源", "開源", "オープンソース", "오픈", "otwarto", "исходн", "nguồn", "المصدر", "सोर्स", "โอเพนซอร์ส", "ódigo"}, foreignHintsASCII...)
)

func hasForeignHint(lower string) bool {
	hints := foreignHintsASCII
	for i := 0; i < len(lower); i++ {
		if lower[i] >= utf8.RuneSelf {
			hints = foreignHints
			break
		}
	}
	for _, h := range hints {
		if strings.Contains(lower, h) {
			return true
		}
	}
	return false
}

// isClaim judges the match text[start:end].
func isClaim(text string, start, end int) bool {
	if start > 0 && isWordByte(text[start-1]) {
		return false // "reopen source", "xopensource"
	}
	if end < len(text) && isWordByte(text[end]) {
		return false
	}
	phrase := strings.ToLower(text[start:end])
	if strings.HasPrefix(phrase, "fully") && !strings.Contains(phrase, "sourc") {
		// "fully open" must not continue into "-weight(s)" or "access".
		next := strings.ToLower(strings.TrimLeft(text[end:min(len(text), end+12)], " -"))
		if strings.HasPrefix(next, "weight") || strings.HasPrefix(next, "access") {
			return false
		}
	} else if !claimSuffixes[phrase[strings.LastIndex(phrase, "sourc"):]] {
		return false
	}

	if inAddress(text, start, end) {
		return false
	}
	before := strings.ToLower(sentenceBefore(text, start))
	prev := words(before)
	for i := len(prev) - 1; i >= 0 && i >= len(prev)-3; i-- {
		if negations[prev[i]] || foreignNegations[prev[i]] && prev[i] != "no" {
			return false
		}
	}
	// "other open-source models", "among open-source models": the release is one of them.
	if presupposes(prev, before) {
		return !qualifiesOther(text[end:])
	}
	if comparisonRe.MatchString(before) || foreignComparisons.MatchString(before) {
		return false
	}
	// "modèle open source", "Open-Source-Modell": the noun before, or the compound's head.
	if claim, ok := nounBefore(prev); ok {
		return claim
	}
	if claim, ok := germanCompound(text[end:]); ok {
		return claim
	}
	// "<subject> is (fully) open source": the subject decides.
	i := len(prev) - 1
	for i >= 0 && adverbs[prev[i]] {
		i--
	}
	if i >= 1 && copulas[prev[i]] {
		subject := prev[i-1]
		if notModel[subject] {
			return false
		}
		if isModel[subject] {
			return true
		}
	}
	// Otherwise the first telling noun after the phrase decides; none means a name or an
	// end of sentence ("we open-sourced DeepSeek-R1", "X is open source.").
	for _, w := range clauseWords(text[end:], wordsAfter) {
		if notModel[w] {
			return false
		}
		if isModel[w] {
			return true
		}
	}
	return true
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// sentenceBefore returns the text from the start of the sentence (or lookBehind bytes) up to
// off.
func sentenceBefore(text string, off int) string {
	from := max(0, off-lookBehind)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from++
	}
	s := text[from:off]
	// Chinese and Japanese end sentences with full-width marks and no space.
	cut := 0
	if i := strings.LastIndexAny(s, "。！？"); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		cut = i + size
	}
	for i := len(s) - 2; i >= cut; i-- {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i+1] == ' ' {
			return s[i+2:]
		}
	}
	return s[cut:]
}

// words splits text into lowercase words, keeping inner hyphens and apostrophes ("non-",
// before "open-source", becomes "non").
func words(s string) []string {
	ws := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’' || r == '%')
	})
	out := ws[:0]
	for _, w := range ws {
		if w = strings.Trim(w, "-'’"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// clauseWords returns up to n words from the start of s, stopping at the end of the clause.
func clauseWords(s string, n int) []string {
	if len(s) > lookAhead {
		cut := lookAhead
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if i := strings.IndexAny(s, ",;:!?()[]\"“”"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i]
	}
	w := words(s)
	if len(w) > n {
		w = w[:n]
	}
	return w
}

// excerpt returns at most maxExcerpt characters of text around text[start:end], cut at word
// boundaries and marked with ellipses where cut.
func excerpt(text string, start, end int) string {
	budget := maxExcerpt - utf8.RuneCountInString(text[start:end]) - 2
	if budget < 0 {
		budget = 0
	}
	s, e := start, end
	for n := 0; n < budget/2 && s > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:s])
		s -= size
	}
	for n := 0; n < budget-budget/2 && e < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[e:])
		e += size
	}
	if s > 0 {
		if i := strings.IndexByte(text[s:start], ' '); i >= 0 {
			s += i + 1
		}
	}
	if e < len(text) {
		if i := strings.LastIndexByte(text[end:e], ' '); i >= 0 {
			e = end + i
		}
	}
	out := strings.TrimSpace(spaceRe.ReplaceAllString(text[s:e], " "))
	if s > 0 {
		out = "…" + out
	}
	if e < len(text) {
		out += "…"
	}
	return out
}
