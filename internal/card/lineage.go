package card

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
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

var proseBaseRes = []*lazyre.Regexp{
	// "based on Llama 2", "fine-tuned version of Llama-2", "derived from Gemma", "built on Bloom",
	// "trained on top of Mistral", "initialised from Qwen2.5"
	lazyre.New(`(?i)\b(?:based on|built (?:on top of|on|upon)|trained on top of|fine-?tuned (?:version )?(?:of|from|on top of)|derived from|a derivative of|continued pre-?training of|initiali[sz]ed (?:from|with)(?: the weights of)?)\s+(?:the\s+|Meta(?:'s)?\s+)?` + proseName + `\b([ -]+(?:architecture|tokenizer|design|recipe)\b)?`),
	// "a Bloom fine-tuned model", "a Llama-2 based model"
	lazyre.New(`(?i)\ban?\s+` + proseName + `[ -]+(?:fine-?tuned|based|derived)\s+(?:model|version|checkpoint|variant)\b`),
}

// baseFieldRe is a "Base model: X" line of the prose (a list item, a bold label): the card's
// own statement of its base, written outside the front matter.
var baseFieldRe = lazyre.New(`(?i)^[\s\-*+>#|_]*(?:base|parent|foundation)[ _-]?(?:model|llm|checkpoint)s?[\s*_]*[:：][\s*_]*(` +
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
// sentence, or the last ",", ";", ":" or dash, up to off, without parenthesised asides
// ("Large Language Model (LLM) is").
func subjectBefore(text string, off int) string {
	s := parenRe.ReplaceAllString(sentenceBefore(text, off), " ")
	if i := strings.LastIndexAny(s, ",;:—–"); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// parenRe is a parenthesised aside, or an unclosed one's opening up to the end.
var parenRe = lazyre.New(`\([^()]*\)?`)

// Lineage only about this release. Prose lineage belongs to the release only when its sentence
// is about the release; a card that describes a family ("the distilled X-Llama-8B is derived
// from Llama 3.1" in the card of another model of the family) states other models' lineage.
// The clause before the lineage phrase decides, in this order:
//
//  1. no subject at all ("Built on top of Mistral"), or one that starts with "it", "we" or
//     "this", says "this/our … model" ("this distilled model") or "here" make it the
//     release's;
//  2. words for other models ("distilled", "sibling", "other", "smaller", "larger") make it
//     another model's ("these models" and "all the models" include the release);
//  3. other words for the release ("its", "us") make it the release's;
//  4. otherwise the clause's first model name (a word with a digit or an inner capital:
//     "X-Llama-8B", "IndoBERT") makes it the release's only when every part of that name is
//     in one of the release's names (its repository or folder name, the card's title, the
//     model-index names);
//  5. anything else (a description: "A chat assistant fine-tuned from") is the release's.
//
// A "Base model: X" line is the card's own field and always the release's.

var (
	ownRe     = lazyre.New(`(?i)\b(?:this|our)\s+(?:[\w-]+\s+){0,3}?(?:model|checkpoint|version|release|repository|repo|llm|adapter|variant)\b|^\W*(?:it|we|this)\b|\bhere\b`)
	siblingRe = lazyre.New(`(?i)\b(?:distill\w*|siblings?|other|smaller|larger|bigger)\b`)
	selfRe    = lazyre.New(`(?i)\b(?:this|it|its|itself|we|our|us|here)\b`)
	nameRe    = lazyre.New(`[\pL\pN][\pL\pN_.]*(?:[-/][\pL\pN_.]+)*`)
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
	// The first model name is the sentence's subject; later ones are what it is compared with
	// or built by.
	for _, n := range nameRe.FindAllString(subject, -1) {
		if isModelName(n) {
			return isOwnName(n, names)
		}
	}
	return true
}

// isModelName reports whether a word reads as a model's name rather than an ordinary word:
// it has a digit ("Qwen2.5", "X-8B"), or a capital letter inside a part and a small letter
// ("IndoBERT", "LLaMA", "Dialog-ELECTRA"). "Korean-English", "state-of-the-art" and acronyms
// ("LLM", "GPU") do not.
func isModelName(w string) bool {
	prevLetter, inner, lower := false, false, false
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			return true
		case unicode.IsUpper(r) && prevLetter:
			inner = true
		case unicode.IsLower(r):
			lower = true
		}
		prevLetter = unicode.IsLetter(r)
	}
	return inner && lower
}

// isOwnName reports whether a model name in the prose is one of the release's names: every
// part of it ("LLaMA", "Omni" of "LLaMA-Omni") appears in one of the names ("Llama-3.1-8B-
// Omni"), ignoring case and punctuation. A name with a part the release's names lack
// ("DeepSeek-R1-Distill-Qwen-7B" against "DeepSeek-R1") is another model.
func isOwnName(n string, names []string) bool {
	parts := strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == '/' || r == '.' || r == ' ' })
	for _, name := range names {
		own := alnum(name)
		if own == "" {
			continue
		}
		all := true
		for _, p := range parts {
			if k := alnum(p); k != "" && !strings.Contains(own, k) {
				all = false
				break
			}
		}
		if all {
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
