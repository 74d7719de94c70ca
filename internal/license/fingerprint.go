package license

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// Fingerprint identifies a licence that google/licensecheck does not know (the AI model
// licences and their use policies) by short identifying phrases written for glassbox: titles,
// version lines, release dates, defined names and a few words of distinctive clauses. It never
// holds a licence text. Phrases are compared word by word after folding case, punctuation,
// Markdown and line wrapping, so "Llama 3.1" in a heading and "LLAMA 3.1" in a wrapped
// paragraph are the same phrase.
type Fingerprint struct {
	// Key is the catalogue key the fingerprint identifies.
	Key string `json:"key"`
	// Version is the version reported when no Versions entry decides (empty: the catalogue's
	// entry for the key without a version).
	Version string `json:"version,omitempty"`
	// Titles are headings; a text that carries one needs fewer phrases.
	Titles []string `json:"titles,omitempty"`
	// Phrases identify the licence's body.
	Phrases []string `json:"phrases"`
	// Require lists phrases that must all be present, None phrases that must all be absent.
	Require []string `json:"require,omitempty"`
	None    []string `json:"none,omitempty"`
	// Versions tell the dated versions of one licence apart ("Last modified: April 1, 2024").
	Versions []FingerprintVersion `json:"versions,omitempty"`
	// Absorbs lists SPDX ids of texts the licence is built on (MIT for a "modified MIT"): a match
	// of one of them next to the fingerprint is part of this licence, not a licence of its own.
	Absorbs []string `json:"absorbs,omitempty"`
	// Fallback marks a family fingerprint that yields to every specific one it overlaps.
	Fallback bool `json:"fallback,omitempty"`
}

// FingerprintVersion holds the phrases only one version of a licence has.
type FingerprintVersion struct {
	Version string   `json:"version"`
	Phrases []string `json:"phrases"`
	// None lists phrases that rule this version out.
	None []string `json:"none,omitempty"`
}

//go:embed data/fingerprints.json
var fingerprintsJSON []byte

// Phrase roles in the compiled matcher.
const (
	roleTitle = iota
	rolePhrase
	roleRequire
	roleNone
	roleVersion
	roleVersionNone
)

// phrase is one compiled phrase: its word hashes and where it belongs.
type phrase struct {
	words []uint64
	fp    int // index into matcher.fps
	role  int
	index int // index within its role's list (for versions: the version index)
}

// matcher finds every fingerprint phrase in a text in one pass over its words.
type matcher struct {
	fps     []Fingerprint
	phrases []phrase
	// byLast maps the hash of a phrase's last word to the phrases that end with it.
	byLast map[uint64][]int
	maxLen int
	groups []phraseGroup // per fingerprint
}

// phraseGroup holds the indices into matcher.phrases of one fingerprint's phrases, by role.
type phraseGroup struct{ titles, body, require, none []int }

var (
	matcherOnce sync.Once
	theMatcher  *matcher
	matcherErr  error
)

func fingerprintMatcher() *matcher {
	matcherOnce.Do(func() {
		var fps []Fingerprint
		if err := json.Unmarshal(fingerprintsJSON, &fps); err != nil {
			matcherErr = err
			return
		}
		theMatcher, matcherErr = compileFingerprints(fps)
	})
	if matcherErr != nil {
		panic("license: embedded fingerprints: " + matcherErr.Error())
	}
	return theMatcher
}

func compileFingerprints(fps []Fingerprint) (*matcher, error) {
	m := &matcher{fps: fps, byLast: map[uint64][]int{}}
	add := func(fp, role, index int, text string) error {
		w := phraseWords(text)
		if len(w) == 0 {
			return fmt.Errorf("%s: phrase %q has no words", fps[fp].Key, text)
		}
		m.phrases = append(m.phrases, phrase{words: w, fp: fp, role: role, index: index})
		m.byLast[w[len(w)-1]] = append(m.byLast[w[len(w)-1]], len(m.phrases)-1)
		m.maxLen = max(m.maxLen, len(w))
		return nil
	}
	for i, f := range fps {
		if f.Key == "" || len(f.Phrases) == 0 {
			return nil, fmt.Errorf("fingerprint %d (%q): a key and phrases are required", i, f.Key)
		}
		lists := []struct {
			role  int
			texts []string
		}{{roleTitle, f.Titles}, {rolePhrase, f.Phrases}, {roleRequire, f.Require}, {roleNone, f.None}}
		for _, l := range lists {
			for j, t := range l.texts {
				if err := add(i, l.role, j, t); err != nil {
					return nil, err
				}
			}
		}
		for j, v := range f.Versions {
			for _, t := range v.Phrases {
				if err := add(i, roleVersion, j, t); err != nil {
					return nil, err
				}
			}
			for _, t := range v.None {
				if err := add(i, roleVersionNone, j, t); err != nil {
					return nil, err
				}
			}
		}
	}
	m.groups = make([]phraseGroup, len(fps))
	for i, p := range m.phrases {
		g := &m.groups[p.fp]
		switch p.role {
		case roleTitle:
			g.titles = append(g.titles, i)
		case rolePhrase:
			g.body = append(g.body, i)
		case roleRequire:
			g.require = append(g.require, i)
		case roleNone:
			g.none = append(g.none, i)
		}
	}
	return m, nil
}

// phraseWords hashes the words of a phrase as the tokenizer hashes a text's words.
func phraseWords(s string) []uint64 {
	var out []uint64
	tokenize(s, 0, func(h uint64, _, _ int) { out = append(out, h) })
	return out
}

// hit is one occurrence of a phrase: the word index and byte offsets of its first and last word.
type hit struct {
	word       int
	start, end int // byte offsets in the text
}

// maxHits bounds the occurrences kept per phrase, so a 10 MB text of one phrase repeated costs
// bounded memory; the last occurrence is always kept as well.
const maxHits = 64

type occurrences struct {
	first []hit
	last  hit
	n     int
}

func (o *occurrences) add(h hit) {
	if len(o.first) < maxHits {
		o.first = append(o.first, h)
	}
	o.last = h
	o.n++
}

// firstFrom returns the first occurrence at or after word w.
func (o *occurrences) firstFrom(w int) (hit, bool) {
	if o.n == 0 || o.last.word < w {
		return hit{}, false
	}
	i := sort.Search(len(o.first), func(i int) bool { return o.first[i].word >= w })
	if i < len(o.first) {
		return o.first[i], true
	}
	return o.last, true
}

// scan finds every phrase occurrence in text[from:], in one pass: the words of the last
// maxLen positions sit in a ring, and each word looks up the phrases that end with it. It
// returns the occurrences per phrase, the number of words and the number of word comparisons
// made, which is at most words × (phrases sharing a last word) × maxLen.
func (m *matcher) scan(text string, from int) (occ []occurrences, words, work int) {
	occ = make([]occurrences, len(m.phrases))
	size := m.maxLen
	ring := make([]uint64, size)
	starts := make([]int, size)
	n := 0
	tokenize(text[from:], from, func(h uint64, start, end int) {
		ring[n%size], starts[n%size] = h, start
		for _, pi := range m.byLast[h] {
			p := &m.phrases[pi]
			k := len(p.words)
			if k > n+1 {
				continue
			}
			ok := true
			for j := 0; j < k-1; j++ {
				work++
				if ring[(n-k+1+j)%size] != p.words[j] {
					ok = false
					break
				}
			}
			if ok {
				occ[pi].add(hit{word: n - k + 1, start: starts[(n-k+1)%size], end: end})
			}
		}
		n++
	})
	return occ, n, work
}

// candidate is one fingerprint found in a text.
type candidate struct {
	fp       int
	title    bool
	found    int // distinct body phrases found from start on
	total    int
	startW   int // word index of the first word of the match
	start    int // byte offset of the match's first word
	lastEnd  int // byte offset after the last phrase found: the end of the match's core
	regionTo int // byte offset where the next licence starts (set after resolution)
}

func (c candidate) score() float64 { return float64(c.found) / float64(max(c.total, 1)) }

// better reports whether a should win over b where they overlap: a specific fingerprint over
// a family one, a text that carries the title over one that does not, then the larger share
// and number of phrases found.
func (a candidate) better(b candidate, fps []Fingerprint) bool {
	if fa, fb := fps[a.fp].Fallback, fps[b.fp].Fallback; fa != fb {
		return fb
	}
	if a.title != b.title {
		return a.title
	}
	if a.score() != b.score() {
		return a.score() > b.score()
	}
	if a.found != b.found {
		return a.found > b.found
	}
	return a.start < b.start
}

// candidates finds the fingerprints a text matches and resolves overlaps between them.
func (m *matcher) candidates(text string, from int) ([]candidate, []occurrences) {
	occ, _, _ := m.scan(text, from)
	groups := m.groups
	var out []candidate
	for fi := range m.fps {
		g := groups[fi]
		if !allFound(occ, g.require) || anyFound(occ, g.none) || !anyFound(occ, g.body) {
			continue
		}
		c := candidate{fp: fi, total: len(g.body), startW: -1}
		// The match starts at the first title from which the most phrases follow, or at a later
		// title that still precedes every phrase: a policy appended to a licence that names it
		// starts at its own heading, not at the licence's mention of it.
		var titles []hit
		for _, ti := range g.titles {
			o := &occ[ti]
			titles = append(titles, o.first...)
			if o.n > len(o.first) {
				titles = append(titles, o.last)
			}
		}
		sort.Slice(titles, func(i, j int) bool { return titles[i].word < titles[j].word })
		best := -1
		for _, h := range titles {
			n := 0
			for _, bi := range g.body {
				if occ[bi].n > 0 && occ[bi].last.word >= h.word {
					n++
				}
			}
			if n > best {
				best, c.startW, c.start = n, h.word, h.start
			}
		}
		if best >= 0 {
			firstBody := -1
			for _, bi := range g.body {
				if h, ok := occ[bi].firstFrom(c.startW); ok && (firstBody < 0 || h.word < firstBody) {
					firstBody = h.word
				}
			}
			for _, h := range titles {
				if h.word > c.startW && h.word <= firstBody {
					c.startW, c.start = h.word, h.start
				}
			}
		}
		c.title = c.startW >= 0
		if !c.title {
			// No heading: the match starts at the first phrase found.
			for _, bi := range g.body {
				if occ[bi].n > 0 && (c.startW < 0 || occ[bi].first[0].word < c.startW) {
					c.startW, c.start = occ[bi].first[0].word, occ[bi].first[0].start
				}
			}
		}
		c.lastEnd = c.start
		for _, bi := range g.body {
			if h, ok := occ[bi].firstFrom(c.startW); ok {
				c.found++
				c.lastEnd = max(c.lastEnd, h.end)
			}
		}
		if !accepted(c) {
			continue
		}
		out = append(out, c)
	}
	// Resolve overlapping cores: the better candidate keeps the span.
	sort.SliceStable(out, func(i, j int) bool { return out[i].better(out[j], m.fps) })
	var kept []candidate
	for _, c := range out {
		clash := false
		for _, k := range kept {
			if c.start < k.lastEnd && k.start < c.lastEnd {
				clash = true
				break
			}
		}
		if !clash {
			kept = append(kept, c)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept, occ
}

// accepted decides whether enough of a fingerprint was found: a title and three phrases (a
// heading, its version line and release date, say), or, without a title, three phrases and
// three fifths of them. A README that names a licence ("under the Llama 3.1 Community License
// Agreement; built with Llama") does not qualify.
func accepted(c candidate) bool {
	if c.title && c.found >= min(3, c.total) {
		return true
	}
	return c.found >= 3 && c.found*5 >= c.total*3
}

// version picks the version whose phrases appear in text[c.start:c.regionTo], if exactly one
// version has the most.
func (m *matcher) version(c candidate, occ []occurrences) string {
	f := m.fps[c.fp]
	if len(f.Versions) == 0 {
		return f.Version
	}
	counts := make([]int, len(f.Versions))
	ruled := make([]bool, len(f.Versions))
	in := func(o *occurrences) bool {
		h, ok := o.firstFrom(c.startW)
		return ok && h.start < c.regionTo
	}
	for i, p := range m.phrases {
		if p.fp != c.fp || !in(&occ[i]) {
			continue
		}
		switch p.role {
		case roleVersion:
			counts[p.index]++
		case roleVersionNone:
			ruled[p.index] = true
		}
	}
	best, bestN, tie := -1, 0, false
	for i, n := range counts {
		if ruled[i] || n == 0 {
			continue
		}
		switch {
		case n > bestN:
			best, bestN, tie = i, n, false
		case n == bestN:
			tie = true
		}
	}
	if best < 0 || tie {
		return f.Version
	}
	return f.Versions[best].Version
}

func allFound(occ []occurrences, idx []int) bool {
	for _, i := range idx {
		if occ[i].n == 0 {
			return false
		}
	}
	return true
}

func anyFound(occ []occurrences, idx []int) bool {
	for _, i := range idx {
		if occ[i].n > 0 {
			return true
		}
	}
	return false
}
