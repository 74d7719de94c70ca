package license

import (
	"regexp"
	"sort"
	"strings"

	"github.com/google/licensecheck"
)

// Match is one licence found in a text.
type Match struct {
	Key     string `json:"key"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Coverage is the share of the text's words that this match explains (1 for an identifier
	// line or a fingerprint, which identify without covering).
	Coverage float64 `json:"coverage"`
	// Lines is the 1-based first and last line of the match.
	Lines [2]int `json:"lines"`
	// How says how it was found: "text" (licence text), "identifier" (an SPDX-License-Identifier
	// line), "fingerprint" (an AI licence's identifying phrases) or "url".
	How string `json:"how"`
}

var spdxLine = regexp.MustCompile(`(?m)SPDX-License-Identifier:[ \t]*([^\r\n*]+?)[ \t]*(?:\*/|-->)?[ \t]*$`)

// Identify finds the licences in text: SPDX licence texts (google/licensecheck), the catalogue's
// fingerprints for AI licences, and SPDX-License-Identifier lines. Matches are ordered by line.
// A text that is no licence gives no match.
func (c *Catalogue) Identify(text string) []Match {
	var out []Match
	fp := c.fingerprint(text)
	out = append(out, fp...)
	cov := licensecheck.Scan([]byte(text))
	total := wordCount(text)
	for _, m := range cov.Match {
		if m.IsURL {
			continue
		}
		e, ok := c.ByID(m.ID)
		if !ok {
			continue
		}
		start, end := lineOf(text, m.Start), lineOf(text, max(m.Start, m.End-1))
		if overlapsFingerprint(fp, start, end) {
			// An AI licence built on a known text (modified MIT, OpenRAIL's Apache base) is the
			// AI licence, not the text it borrows.
			continue
		}
		out = append(out, Match{Key: e.Key, ID: e.ID, Name: e.Name, Version: e.Version, Coverage: round2(float64(wordCount(text[m.Start:m.End])) / float64(max(total, 1))), Lines: [2]int{start, end}, How: "text"})
	}
	out = append(out, c.Identifiers(text)...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Lines[0] != out[j].Lines[0] {
			return out[i].Lines[0] < out[j].Lines[0]
		}
		return out[i].ID < out[j].ID
	})
	return dedupe(out)
}

// Identifiers finds only the SPDX-License-Identifier lines of a text: the cheap signal that
// source files carry, without matching licence texts.
func (c *Catalogue) Identifiers(text string) []Match {
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

func overlapsFingerprint(fp []Match, start, end int) bool {
	for _, m := range fp {
		if start <= m.Lines[1] && end >= m.Lines[0] {
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

func lineOf(text string, off int) int {
	off = min(max(off, 0), len(text))
	return 1 + strings.Count(text[:off], "\n")
}

func wordCount(s string) int {
	return len(strings.Fields(s))
}
