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

var (
	basesOnce sync.Once
	bases     []baseRule
)

// KnownBase returns the licence of a well-known base model, by its Hub id ("meta-llama/Llama-3.1-8B"),
// so a fine-tune's inherited terms are known offline. The table covers the families that most
// derivatives build on; anything else gives false and is left to the Hub source.
func (c *Catalogue) KnownBase(repo string) (*Entry, bool) {
	basesOnce.Do(func() {
		if err := json.Unmarshal(basesJSON, &bases); err != nil {
			panic("license: embedded bases.json: " + err.Error())
		}
		for i := range bases {
			bases[i].re = regexp.MustCompile(bases[i].Pattern)
		}
	})
	repo = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(repo), "hf:"))
	repo = strings.TrimPrefix(repo, "https://huggingface.co/")
	for _, b := range bases {
		if b.re.MatchString(repo) {
			return c.Lookup(b.Key)
		}
	}
	return nil, false
}
