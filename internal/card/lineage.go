package card

import (
	"regexp"
	"strconv"
	"strings"
)

// ProseBase is a base model the prose names rather than the front matter: "as this model is
// based on Llama 2", "a Bloom fine-tuned model", "Base model: Qwen/Qwen2.5-7B". Name is the
// model or family as written; the caller decides whether it is one it knows.
type ProseBase struct {
	Name    string
	Line    int
	Excerpt string
	// Subject is what the sentence says is based on Name: the words of its clause before the
	// lineage phrase ("As this model is", "the distilled X-Llama-8B is"), "" for a
	// "Base model:" line, which is the card's own field.
	Subject string
}

// maxProseBases bounds ProseBases; real cards name one or two.
const maxProseBases = 20

// A model name: a word, then an optional version ("Llama 2", "Llama-3.1", "Qwen2.5", "BLOOM").
const proseName = `([A-Za-z][A-Za-z]*(?:[ -]?v?[0-9]+(?:\.[0-9]+)*)?)`

var proseBaseRes = []*regexp.Regexp{
	// "based on Llama 2", "fine-tuned version of Llama-2", "derived from Gemma", "built on Bloom"
	regexp.MustCompile(`(?i)\b(?:based on|built (?:on top of|on|upon)|fine-?tuned (?:version )?(?:of|from|on top of)|derived from|a derivative of|continued pre-?training of)\s+(?:the\s+|Meta(?:'s)?\s+)?` + proseName + `\b([ -]+(?:architecture|tokenizer|design|recipe)\b)?`),
	// "a Bloom fine-tuned model", "a Llama-2 based model"
	regexp.MustCompile(`(?i)\ban?\s+` + proseName + `[ -]+(?:fine-?tuned|based|derived)\s+(?:model|version|checkpoint|variant)\b`),
}

// baseFieldRe is a "Base model: X" line of the prose (a list item, a bold label): the card's
// own statement of its base, written outside the front matter.
var baseFieldRe = regexp.MustCompile(`(?i)^[\s\-*+>#|_]*(?:base|parent|foundation)[ _-]?(?:model|llm|checkpoint)s?[\s*_]*[:：][\s*_]*(` +
	`[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?(?:[ -]v?[0-9]+(?:\.[0-9]+)*[A-Za-z]?)?)`)

// findProseBases records the base models the prose names, at most one per line. A name
// followed by "architecture", "tokenizer" or "recipe" says the model borrowed a design, not
// weights, and is skipped.
func (c *Card) findProseBases(bl []bodyLine) {
	seen := map[string]bool{}
	// add records the base named at text[m[2]:m[3]] unless its line already named it; it
	// reports false once ProseBases is full.
	add := func(p paragraph, m []int, subject bool) bool {
		if len(c.ProseBases) >= maxProseBases {
			return false
		}
		name, line := p.text[m[2]:m[3]], p.lineAt(m[2])
		key := strings.ToLower(name) + "\x00" + strconv.Itoa(line)
		if seen[key] {
			return true
		}
		seen[key] = true
		pb := ProseBase{Name: name, Line: line, Excerpt: excerpt(p.text, m[0], m[1])}
		if subject {
			pb.Subject = subjectBefore(p.text, m[0])
		}
		c.ProseBases = append(c.ProseBases, pb)
		return true
	}
	for _, p := range paragraphs(bl) {
		if mayBeBaseField(p.text) {
			if m := baseFieldRe.FindStringSubmatchIndex(p.text); m != nil && !add(p, m, false) {
				return
			}
		}
		for _, re := range proseBaseRes {
			for _, m := range re.FindAllStringSubmatchIndex(p.text, -1) {
				if len(m) > 4 && m[4] >= 0 {
					continue // "based on the Llama architecture"
				}
				if !add(p, m, true) {
					return
				}
			}
		}
	}
}

// mayBeBaseField is a cheap test for baseFieldRe: the label is within the first bytes.
func mayBeBaseField(text string) bool {
	head := strings.ToLower(text[:min(len(text), 48)])
	return strings.Contains(head, "base") || strings.Contains(head, "parent") || strings.Contains(head, "foundation")
}

// subjectBefore returns the clause before a lineage phrase at off: from the start of its
// sentence, or the last ",", ";", ":", "(" or dash, up to off.
func subjectBefore(text string, off int) string {
	s := sentenceBefore(text, off)
	if i := strings.LastIndexAny(s, ",;:(—–"); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// Lineage only about this release. Prose lineage belongs to the release only when its sentence
// is about the release; a card that describes a family ("the distilled X-Llama-8B is derived
// from Llama 3.1" in the card of another model of the family) states other models' lineage.
// The clause before the lineage phrase decides, in this order:
//
//  1. no subject at all ("Built on top of Mistral"), or one that starts with "it", "we" or
//     "this", or says "this/our … model" ("this distilled model") make it the release's;
//  2. words for other models ("distilled", "sibling", "other", "smaller", "larger", "each
//     of", "these", "those", "the … models") make it another model's;
//  3. other words for the release ("its", "us", "here") make it the release's;
//  4. a model name (a word with a digit, or capitalised words joined by "-" or "/") makes it
//     the release's only when it is one of the release's names (its repository or folder
//     name, the card's title, the model-index names);
//  5. anything else (a description: "A chat assistant fine-tuned from") is the release's.
//
// A "Base model: X" line is the card's own field and always the release's.

var (
	ownRe     = regexp.MustCompile(`(?i)\b(?:this|our)\s+(?:[\w-]+\s+){0,3}?(?:model|checkpoint|version|release|repository|repo|llm|adapter|variant)\b|^\W*(?:it|we|this)\b`)
	siblingRe = regexp.MustCompile(`(?i)\b(?:distill\w*|siblings?|other|smaller|larger|bigger|each of|these|those|all of)\b|\bthe\b[^.]*\bmodels\b`)
	selfRe    = regexp.MustCompile(`(?i)\b(?:this|it|its|itself|we|our|us|here)\b`)
	nameRe    = regexp.MustCompile(`[A-Za-z0-9][\w.]*(?:[-/][\w.]+)+|[A-Za-z][\w.]*[0-9][\w.]*|[0-9]+(?:\.[0-9]+)?[BbMm]\b`)
)

// ReleaseBases returns the prose bases whose sentence is about the release (see above). names
// are the release's own names, such as its repository or folder name; the card's title and
// model-index names are added.
func (c *Card) ReleaseBases(names ...string) []ProseBase {
	own := append(append([]string(nil), names...), c.ownNames()...)
	var out []ProseBase
	for _, pb := range c.ProseBases {
		if aboutRelease(pb.Subject, own) {
			out = append(out, pb)
		}
	}
	return out
}

// ownNames are the names the card gives its model: the first level-1 heading and the
// model-index model names.
func (c *Card) ownNames() []string {
	var out []string
	for _, h := range c.Headings {
		if h.Level == 1 {
			out = append(out, h.Text)
			break
		}
	}
	for _, r := range c.ModelIndex {
		if r.Model != "" {
			out = append(out, r.Model)
		}
	}
	return out
}

// aboutRelease applies the rule above to a subject clause.
func aboutRelease(subject string, names []string) bool {
	if subject == "" || ownRe.MatchString(subject) {
		return true
	}
	if siblingRe.MatchString(subject) {
		return false
	}
	if selfRe.MatchString(subject) {
		return true
	}
	for _, n := range nameRe.FindAllString(subject, -1) {
		if !isOwnName(n, names) {
			return false
		}
	}
	return true
}

// isOwnName reports whether a model name in the prose is one of the release's names: equal to
// one, or contained in one ("xLAM-2-3b-fc-r" in "xLAM-2-3b-fc-r-gguf"), ignoring case and
// punctuation. A longer name that merely starts with the release's ("DeepSeek-R1-Distill-
// Qwen-7B" against "DeepSeek-R1") is another model.
func isOwnName(n string, names []string) bool {
	k := alnum(n)
	if k == "" {
		return true
	}
	for _, name := range names {
		if strings.Contains(alnum(name), k) {
			return true
		}
	}
	return false
}

// alnum lowercases s and drops everything but letters and digits.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}
