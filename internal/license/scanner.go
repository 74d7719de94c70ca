package license

import (
	_ "embed"
	"fmt"
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

// scanCandidate is one licence the scanner may look for, with the hashes (wordHash) of its
// distinctive words and of the rare ones among them.
type scanCandidate struct {
	lic   licensecheck.License
	words []uint32
	rare  []uint32
}

var (
	candidatesOnce sync.Once
	candidates     []scanCandidate
)

// scanWordsData is the candidates' word hashes, computed from google/licensecheck's patterns by
// computeCandidates and kept in the binary so that no run pays for reading every pattern;
// TestScanWordsUpToDate regenerates it (-update) and fails when it is stale.
//
//go:embed data/scanwords.bin
var scanWordsData []byte

// scanCandidates lists the licences of scannedLicences with their distinctive words: from the
// embedded table when it is current, else computed.
func scanCandidates() []scanCandidate {
	candidatesOnce.Do(func() {
		if cs, ok := decodeCandidates(scanWordsData, licensecheck.BuiltinLicenses()); ok {
			candidates = cs
			return
		}
		candidates = computeCandidates(licensecheck.BuiltinLicenses())
	})
	return candidates
}

// computeCandidates reads every scanned pattern's distinctive words and marks the rare ones.
func computeCandidates(all []licensecheck.License) []scanCandidate {
	var cs []scanCandidate
	for _, l := range all {
		if l.LRE == "" || !scanned(l.ID) {
			continue
		}
		seen := map[uint32]bool{}
		var words []uint32
		for _, w := range longWords(stripLREComments(l.LRE)) {
			if h := wordHash(w); !seen[h] {
				seen[h] = true
				words = append(words, h)
			}
		}
		cs = append(cs, scanCandidate{lic: l, words: words})
	}
	df := map[uint32]int{}
	for _, c := range cs {
		for _, w := range c.words {
			df[w]++
		}
	}
	for i := range cs {
		for _, w := range cs[i].words {
			if df[w] <= maxRareDF {
				cs[i].rare = append(cs[i].rare, w)
			}
		}
	}
	return cs
}

// wordHash is FNV-1a over a word already lower-cased.
func wordHash(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return h
}

// couldMatch reports whether a text holding the word hashes have could match candidate c. A hash
// collision can only add a candidate, never drop one.
func (c scanCandidate) couldMatch(have map[uint32]bool) bool {
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
	picked := candidatesFor(text)
	if len(picked) == 0 {
		return nil
	}
	return scannerFor(picked)
}

// candidatesFor lists the indexes of the candidates text could match.
func candidatesFor(text []byte) []int {
	have := map[uint32]bool{}
	for _, w := range longWords(string(text)) {
		have[wordHash(w)] = true
	}
	var picked []int
	for i, c := range scanCandidates() {
		if c.couldMatch(have) {
			picked = append(picked, i)
		}
	}
	return picked
}

// maxScanners bounds the scanners kept per candidate set: a long-running server or census sees
// many sets, and past the bound every text uses the one scanner over all candidates.
const maxScanners = 64

var (
	scannersMu sync.Mutex
	scanners   = map[string]*licensecheck.Scanner{} // by the candidates' indexes
	allScanner *licensecheck.Scanner
)

// scannerFor returns the scanner over the candidates at these indexes, building it once.
func scannerFor(picked []int) *licensecheck.Scanner {
	cs := scanCandidates()
	key := fmt.Sprint(picked)
	scannersMu.Lock()
	defer scannersMu.Unlock()
	if s, ok := scanners[key]; ok {
		return s
	}
	if len(scanners) >= maxScanners {
		if allScanner == nil {
			all := make([]int, len(cs))
			for i := range all {
				all[i] = i
			}
			allScanner = buildScanner(cs, all)
		}
		return allScanner
	}
	s := buildScanner(cs, picked)
	scanners[key] = s
	return s
}

func buildScanner(cs []scanCandidate, picked []int) *licensecheck.Scanner {
	list := make([]licensecheck.License, len(picked))
	for i, p := range picked {
		list[i] = cs[p].lic
	}
	s, err := licensecheck.NewScanner(list)
	if err != nil {
		panic("license: building the licence text scanner: " + err.Error())
	}
	return s
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
