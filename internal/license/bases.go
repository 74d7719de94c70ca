package license

import (
	_ "embed"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
)

// baseRule maps Hub repositories of a well-known model family to the licence its weights carry.
type baseRule struct {
	Pattern string `json:"pattern"`
	Key     string `json:"key"`
	re      *regexp.Regexp
}

//go:embed data/bases.json
var basesJSON []byte

//go:embed data/families.json
var familiesJSON []byte

var (
	basesOnce sync.Once
	bases     []baseRule
	families  []baseRule
)

// loadBases compiles the embedded tables once.
func loadBases() {
	basesOnce.Do(func() {
		for _, t := range []struct {
			raw  []byte
			into *[]baseRule
		}{{basesJSON, &bases}, {familiesJSON, &families}} {
			if err := json.Unmarshal(t.raw, t.into); err != nil {
				panic("license: embedded base table: " + err.Error())
			}
			for i := range *t.into {
				(*t.into)[i].re = regexp.MustCompile((*t.into)[i].Pattern)
			}
		}
	})
}

// KnownFamily returns the licence of a model family named in prose ("Llama 2", "BLOOM",
// "Gemma"), for cards that say what they derive from only in words. Families whose terms
// differ by size or release (Qwen 2.5, Mistral) are not in the table and give false.
func (c *Catalogue) KnownFamily(name string) (*Entry, bool) {
	loadBases()
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.Join(strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), " ")
	n = strings.Replace(n, " v", " ", 1)
	for _, b := range families {
		if b.re.MatchString(n) {
			return c.Lookup(b.Key)
		}
	}
	return nil, false
}

// KnownBase returns the licence of a well-known base model, by its Hub id ("meta-llama/Llama-3.1-8B"),
// so a fine-tune's inherited terms are known offline. The table covers the families that most
// derivatives build on; anything else gives false and is left to the Hub source.
func (c *Catalogue) KnownBase(repo string) (*Entry, bool) {
	loadBases()
	repo = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(repo), "hf:"))
	repo = strings.TrimPrefix(repo, "https://huggingface.co/")
	for _, b := range bases {
		if b.re.MatchString(repo) {
			return c.Lookup(b.Key)
		}
	}
	return nil, false
}
