package license

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
	"unicode"
)

// Fingerprint identifies an AI licence that licensecheck does not know, by short identifying
// phrases (titles, version lines) rather than its text. All of All must appear, none of None.
type Fingerprint struct {
	Key  string   `json:"key"`
	All  []string `json:"all"`
	None []string `json:"none,omitempty"`
}

//go:embed data/fingerprints.json
var fingerprintsJSON []byte

var (
	fpOnce sync.Once
	fps    []Fingerprint
	fpErr  error
)

func fingerprints() []Fingerprint {
	fpOnce.Do(func() {
		fpErr = json.Unmarshal(fingerprintsJSON, &fps)
		for i := range fps {
			for j, p := range fps[i].All {
				fps[i].All[j] = normText(p)
			}
			for j, p := range fps[i].None {
				fps[i].None[j] = normText(p)
			}
		}
	})
	if fpErr != nil {
		panic("license: embedded fingerprints: " + fpErr.Error())
	}
	return fps
}

// normText folds what hosting sites and Markdown change in a licence text (case, quotes,
// emphasis marks, line wrapping) so phrases match however the file was formatted.
func normText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch r {
		case '\u2018', '\u2019', '`':
			r = '\''
		case '\u201c', '\u201d':
			r = '"'
		case '*', '_', '#', '>':
			continue
		}
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimSpace(b.String())
}

// fingerprint matches the catalogue's fingerprints against text. The match spans from the line
// of the first phrase found to the end of the text.
func (c *Catalogue) fingerprint(text string) []Match {
	norm := normText(text)
	var out []Match
	for _, f := range fingerprints() {
		ok := true
		for _, p := range f.All {
			if !strings.Contains(norm, p) {
				ok = false
				break
			}
		}
		for _, p := range f.None {
			if ok && strings.Contains(norm, p) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		e, found := c.Lookup(f.Key)
		if !found {
			continue
		}
		first := firstLine(text, f.All[0])
		out = append(out, Match{Key: e.Key, ID: e.ID, Name: e.Name, Version: e.Version, Coverage: 1, Lines: [2]int{first, lineCount(text)}, How: "fingerprint"})
	}
	return out
}

// firstLine finds the 1-based line where a normalised phrase starts, by normalising line by line
// (and pairs of lines, for phrases wrapped across two).
func firstLine(text, phrase string) int {
	lines := strings.Split(text, "\n")
	for i := range lines {
		if strings.Contains(normText(lines[i]), phrase) {
			return i + 1
		}
		if i+1 < len(lines) && normText(lines[i]) != "" && strings.Contains(normText(lines[i]+" "+lines[i+1]), phrase) {
			return i + 1
		}
	}
	return 1
}

func lineCount(text string) int {
	n := strings.Count(text, "\n")
	if !strings.HasSuffix(text, "\n") {
		n++
	}
	return n
}
