package license

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/licensecheck"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Match is one licence found in a text.
type Match struct {
	Key     string `json:"key"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Coverage is the share of the text's words that this match spans (1 for an identifier
	// line, which identifies without covering). A YAML front-matter header is not counted.
	Coverage float64 `json:"coverage"`
	// Lines is the 1-based first and last line of the match.
	Lines [2]int `json:"lines"`
	// How says how it was found: "text" (a licence text google/licensecheck knows),
	// "fingerprint" (an AI licence's or policy's identifying phrases) or "identifier" (an
	// SPDX-License-Identifier line).
	How string `json:"how"`
}

var spdxLine = lazyre.New(`(?m)SPDX-License-Identifier:[ \t]*([^\r\n*]+?)[ \t]*(?:\*/|-->)?[ \t]*$`)

// Identify finds the licences in text: the AI licences and use policies of the catalogue (by
// fingerprint), licence texts google/licensecheck knows, and SPDX-License-Identifier lines.
// Each match says which licence and which version, how much of the text it spans and where.
// A file that holds a licence and the policy it incorporates gives both, in text order. A
// YAML front-matter header at the top of the text is skipped: it describes the text rather
// than being part of it. A text that is no licence gives no match.
func (c *Catalogue) Identify(text string) []Match {
	return c.identifyOnce(text, c.identify)
}

func (c *Catalogue) identify(text string) []Match {
	body := frontMatterEnd(text)
	m := fingerprintMatcher()
	cands, occ := m.candidates(text, body)

	scan := []byte(text)
	for i := range body {
		if scan[i] != '\n' {
			scan[i] = ' '
		}
	}
	type span struct {
		e          *Entry
		start, end int
	}
	var texts []span
	var found []licensecheck.Match
	if s := textScanner(scan); s != nil {
		found = s.Scan(scan).Match
	}
	for _, lm := range found {
		if lm.IsURL {
			continue
		}
		e, ok := c.ByID(lm.ID)
		if !ok {
			// licensecheck's own names for texts SPDX does not list ("CommonsClause").
			if e, ok = c.Lookup(lm.ID); !ok {
				continue
			}
		}
		if absorbed(m, cands, text, lm.ID, lm.Start, lm.End) {
			continue
		}
		start := withHeading(text, body, lm.Start)
		if insideCore(cands, start, lm.Start) {
			start = lm.Start // the line above belongs to an AI licence
		}
		texts = append(texts, span{c.current(e), start, lm.End})
	}

	// Each fingerprint match runs from its start to where the next licence starts.
	starts := make([]int, 0, len(cands)+len(texts))
	for _, k := range cands {
		starts = append(starts, k.start)
	}
	for _, t := range texts {
		starts = append(starts, t.start)
	}
	sort.Ints(starts)
	offsets := []int{}
	for i := range cands {
		k := &cands[i]
		k.regionTo = len(text)
		for _, s := range starts {
			if s > k.start && s >= k.lastEnd {
				// The next licence owns its whole first line ("**Llama 3.1** **Acceptable…").
				k.regionTo = max(k.lastEnd, strings.LastIndexByte(text[:s], '\n')+1)
				break
			}
		}
		offsets = append(offsets, k.start, max(k.start, lastWordEnd(text, k.start, k.regionTo)-1))
	}
	for _, t := range texts {
		offsets = append(offsets, t.start, max(t.start, lastWordEnd(text, t.start, t.end)-1))
	}
	lines := lineNumbers(text, offsets)
	total := max(wordCount(text[body:]), 1)

	var out []Match
	for _, k := range cands {
		f := m.fps[k.fp]
		e, ok := c.Version(f.Key, m.version(k, occ))
		if !ok {
			if e, ok = c.Lookup(f.Key); !ok {
				continue
			}
		}
		end := max(k.start, lastWordEnd(text, k.start, k.regionTo)-1)
		out = append(out, Match{Key: e.Key, ID: e.ID, Name: e.Name, Version: e.Version,
			Coverage: round2(float64(wordCount(text[k.start:end+1])) / float64(total)),
			Lines:    [2]int{lines[k.start], lines[end]}, How: "fingerprint"})
	}
	for _, t := range texts {
		end := max(t.start, lastWordEnd(text, t.start, t.end)-1)
		out = append(out, Match{Key: t.e.Key, ID: t.e.ID, Name: t.e.Name, Version: t.e.Version,
			Coverage: round2(float64(wordCount(text[t.start:t.end])) / float64(total)),
			Lines:    [2]int{lines[t.start], lines[end]}, How: "text"})
	}
	c.addedTerms(out, text, body)
	if len(out) == 0 {
		if v, ok := c.nearVariant(text[body:]); ok {
			v.Lines[0] += strings.Count(text[:body], "\n")
			v.Lines[1] += strings.Count(text[:body], "\n")
			out = append(out, v)
		}
	}
	out = append(out, c.identifiers(string(scan))...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Lines[0] != out[j].Lines[0] {
			return out[i].Lines[0] < out[j].Lines[0]
		}
		return out[i].ID < out[j].ID
	})
	return dedupe(out)
}

// absorbed reports whether a licence text found by google/licensecheck belongs to an AI
// licence found by fingerprint: it lies inside the AI licence's span (OpenRAIL borrows
// Apache's wording), or it is the text the AI licence is built on and sits right before it (the
// MIT text of a "modified MIT"), in which case the AI licence's span grows to include it.
func absorbed(m *matcher, cands []candidate, text, id string, start, end int) bool {
	if insideCore(cands, start, end) {
		return true
	}
	for i := range cands {
		k := &cands[i]
		if slices.Contains(m.fps[k.fp].Absorbs, id) && end <= k.start && strings.Count(text[end:k.start], "\n") <= 3 {
			k.start = start
			return true
		}
	}
	return false
}

// insideCore reports whether text[start:end] overlaps the span from an AI licence's first
// phrase to its last.
func insideCore(cands []candidate, start, end int) bool {
	for _, k := range cands {
		if start < k.lastEnd && k.start < end {
			return true
		}
	}
	return false
}

// withHeading moves the start of a licence text found by google/licensecheck back over a short
// heading line ("MIT License") separated from it only by blank lines, so that the heading
// belongs to the licence it names rather than to the text before it.
func withHeading(text string, from, start int) int {
	i := strings.LastIndexByte(text[from:start], '\n')
	if i < 0 {
		return start
	}
	i += from
	// Skip blank lines above the match.
	for i > from && strings.TrimSpace(text[strings.LastIndexByte(text[from:i], '\n')+1+from:i]) == "" {
		j := strings.LastIndexByte(text[from:i], '\n')
		if j < 0 {
			return start
		}
		i = j + from
	}
	lineStart := strings.LastIndexByte(text[from:i], '\n') + 1 + from
	line := strings.TrimSpace(text[lineStart:i])
	if line != "" && wordCount(line) <= 6 && !strings.ContainsAny(line, ":;") && !strings.ContainsAny(line[len(line)-1:], ".,") {
		return lineStart
	}
	return start
}

// Identifiers finds only the SPDX-License-Identifier lines of a text: the cheap signal that
// source files carry, without matching licence texts.
func (c *Catalogue) Identifiers(text string) []Match {
	return c.identifiers(text)
}

func (c *Catalogue) identifiers(text string) []Match {
	var out []Match
	for _, loc := range spdxLine.FindAllStringSubmatchIndex(text, -1) {
		expr := strings.TrimSpace(text[loc[2]:loc[3]])
		line := 1 + strings.Count(text[:loc[0]], "\n")
		ev := c.Evaluate(expr)
		for _, id := range ev.IDs {
			e, ok := c.ByID(id)
			if !ok {
				e, ok = c.Lookup(id)
			}
			m := Match{ID: id, Coverage: 1, Lines: [2]int{line, line}, How: "identifier"}
			if ok {
				m.Key, m.ID, m.Name, m.Version = e.Key, e.ID, e.Name, e.Version
			}
			out = append(out, m)
		}
	}
	return out
}

// scannedLicences are the licence texts google/licensecheck is asked to recognise: those model,
// code and data repositories ship (every licence with a Hugging Face Hub id, and the common
// code licences). Building a scanner costs time and memory for every licence it knows, and more
// than linearly (1.4 s and 330 MB allocated for licensecheck's full built-in set), while an AI
// release ships these, not the long tail of historical SPDX licences; other texts are still
// found through their SPDX-License-Identifier lines. The GNU licences are scanned with their
// -only and -or-later forms.
var scannedLicences = []string{
	// Permissive code licences.
	"0BSD", "AFL-3.0", "Apache-2.0", "Artistic-2.0", "BSD-2-Clause", "BSD-3-Clause",
	"BSD-3-Clause-Clear", "BSL-1.0", "ECL-2.0", "ISC", "MIT", "MIT-0", "MS-PL", "MulanPSL-2.0",
	"NCSA", "OFL-1.1", "PostgreSQL", "PSF-2.0", "Python-2.0", "Unlicense", "UPL-1.0", "WTFPL",
	"Zlib",
	// Copyleft code licences.
	"AGPL-3.0", "GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1",
	"EUPL-1.2", "LPPL-1.3c", "MPL-2.0", "MS-RL", "OSL-3.0", "CommonsClause",
	// Content and data licences with a Hub id.
	"CC0-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0",
	"CC-BY-NC-2.0", "CC-BY-NC-3.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-3.0",
	"CC-BY-NC-ND-4.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0", "CDLA-Permissive-1.0",
	"CDLA-Sharing-1.0", "etalab-2.0", "GFDL-1.3", "LGPLLR", "O-UDA-1.0", "ODbL-1.0", "ODC-By-1.0",
	"PDDL-1.0",
}

// scanned reports whether licensecheck's licence id is one of scannedLicences, or a variant
// of one of the GNU licences there ("GPL-2.0-or-later", "GFDL-1.3-no-invariants-only").
func scanned(id string) bool {
	for _, s := range scannedLicences {
		if id == s || strings.HasPrefix(id, s+"-only") || strings.HasPrefix(id, s+"-or-later") ||
			strings.HasPrefix(s, "GFDL-") && strings.HasPrefix(id, s+"-") {
			return true
		}
	}
	return false
}

func dedupe(ms []Match) []Match {
	seen := map[string]bool{}
	out := ms[:0]
	for _, m := range ms {
		k := m.ID + "\x00" + m.How
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, m)
	}
	return out
}

func round2(f float64) float64 {
	return float64(int(f*100+0.5)) / 100
}

// wordCount counts the whitespace-separated words of s without allocating.
func wordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f' {
				in = false
			} else if !in {
				in = true
				n++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size - 1
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}
