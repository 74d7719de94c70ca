package license

import (
	"sort"
	"strings"
	"sync"

	"github.com/google/licensecheck"
)

// Building google/licensecheck's scanner over every licence text glassbox scans for takes about
// 0.4 s of CPU, which a one-file `glassbox license` or `inspect` run should not pay. A licence
// text can only match an input that holds most of its words, so the scanner is built over the
// candidates alone: the licences at least minShare of whose distinctive words (five letters or
// more, from the licence's pattern) occur in the input. Scanners are cached per candidate set,
// and the full set is one of them, so a batch over many texts builds a few at most.

// minShare is the share of a licence's distinctive words an input must hold for the licence to
// be a candidate. A real match holds nearly all of them; the margin covers a pattern's
// alternatives and optional parts, which the words of one text never all show.
const minShare = 0.25

// maxRareDF is how many patterns a word may appear in and still name its licences.
const maxRareDF = 8

// scanCandidate is one licence the scanner may look for, with its distinctive words.
type scanCandidate struct {
	lic   licensecheck.License
	words []string
	rare  []string
}

var (
	candidatesOnce sync.Once
	candidates     []scanCandidate
	scanners       sync.Map // candidate set key → *licensecheck.Scanner
)

// scanCandidates lists the licences of scannedLicences with their distinctive words.
func scanCandidates() []scanCandidate {
	candidatesOnce.Do(func() {
		for _, l := range licensecheck.BuiltinLicenses() {
			if l.LRE == "" || !scanned(l.ID) {
				continue
			}
			seen := map[string]bool{}
			var words []string
			for _, w := range longWords(stripLREComments(l.LRE)) {
				if !seen[w] {
					seen[w] = true
					words = append(words, w)
				}
			}
			candidates = append(candidates, scanCandidate{lic: l, words: words})
		}
		df := map[string]int{}
		for _, c := range candidates {
			for _, w := range c.words {
				df[w]++
			}
		}
		for i := range candidates {
			for _, w := range candidates[i].words {
				if df[w] <= maxRareDF {
					candidates[i].rare = append(candidates[i].rare, w)
				}
			}
		}
	})
	return candidates
}

// couldMatch reports whether a text holding the words have could match candidate c.
func (c scanCandidate) couldMatch(have map[string]bool) bool {
	n := 0
	for _, w := range c.words {
		if have[w] {
			n++
		}
	}
	if len(c.words) > 0 && float64(n) >= minShare*float64(len(c.words)) {
		return true
	}
	for _, w := range c.rare {
		if have[w] {
			return true
		}
	}
	return false
}

// textScanner returns a licensecheck scanner over the licences that text could match, nil when
// it can match none.
func textScanner(text []byte) *licensecheck.Scanner {
	have := map[string]bool{}
	for _, w := range longWords(string(text)) {
		have[w] = true
	}
	var list []licensecheck.License
	var ids []string
	for _, c := range scanCandidates() {
		if c.couldMatch(have) {
			list = append(list, c.lic)
			ids = append(ids, c.lic.ID)
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.Strings(ids)
	key := strings.Join(ids, ",")
	if s, ok := scanners.Load(key); ok {
		return s.(*licensecheck.Scanner)
	}
	s, err := licensecheck.NewScanner(list)
	if err != nil {
		panic("license: building the licence text scanner: " + err.Error())
	}
	actual, _ := scanners.LoadOrStore(key, s)
	return actual.(*licensecheck.Scanner)
}

// longWords splits s into lower-case runs of ASCII letters five or more long.
func longWords(s string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= 5 {
			out = append(out, strings.ToLower(s[start:end]))
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// stripLREComments removes the //** … **// comments of a licence pattern.
func stripLREComments(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "//**")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+4:], "**//")
		if j < 0 {
			return b.String()
		}
		s = s[i+4+j+4:]
	}
}
