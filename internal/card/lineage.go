package card

import (
	"regexp"
	"strconv"
	"strings"
)

// ProseBase is a base model the prose names rather than the front matter: "as this model is
// based on Llama 2", "a Bloom fine-tuned model". Name is the model or family as written; the
// caller decides whether it is one it knows.
type ProseBase struct {
	Name    string
	Line    int
	Excerpt string
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

// findProseBases records the base models the prose names, at most one per line. A name
// followed by "architecture", "tokenizer" or "recipe" says the model borrowed a design, not
// weights, and is skipped.
func (c *Card) findProseBases(bl []bodyLine) {
	seen := map[string]bool{}
	for _, p := range paragraphs(bl) {
		for _, re := range proseBaseRes {
			for _, m := range re.FindAllStringSubmatchIndex(p.text, -1) {
				if len(c.ProseBases) >= maxProseBases {
					return
				}
				if len(m) > 4 && m[4] >= 0 {
					continue // "based on the Llama architecture"
				}
				name := p.text[m[2]:m[3]]
				line := p.lineAt(m[2])
				key := strings.ToLower(name) + "\x00" + strconv.Itoa(line)
				if seen[key] {
					continue
				}
				seen[key] = true
				c.ProseBases = append(c.ProseBases, ProseBase{Name: name, Line: line, Excerpt: excerpt(p.text, m[0], m[1])})
			}
		}
	}
}
