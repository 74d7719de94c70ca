package card

import (
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// The release's own paper. A card cites many papers (its method's sources, its base model's,
// its benchmarks'); only some are the model's own paper or technical report, and only those
// may stand for the release's documentation (MOF research paper and technical report, OSAID
// Data Information). A paper is the model's own when the card presents it so:
//
//   - OwnTag: the front matter links it (`arxiv:NNNN.NNNNN` tags, an `arxiv` key);
//   - OwnField: a Paper / Technical report / arXiv field or label names it ("Paper: …",
//     "- **Technical report:** …", a link or badge whose text is "Paper" or "arXiv");
//   - OwnHeading: it sits under a heading that names the paper or how to cite the model
//     ("Paper", "Technical Report", "Citation", "How to cite"), or the heading itself links it;
//   - OwnCitation: it is in the card's citation block: a BibTeX entry under such a heading, or
//     the card's first BibTeX entry;
//   - OwnWords: the sentence calls it "our paper", "our technical report", "this model's paper";
//   - OwnTitle: its title (link text or BibTeX title) names the model (OwnPapers' names).
//
// Every other mention is a cited reference.
const (
	OwnTag      = "arxiv tag"
	OwnField    = "paper field"
	OwnHeading  = "paper heading"
	OwnCitation = "citation block"
	OwnWords    = "called our paper"
	OwnTitle    = "title names the model"
)

var (
	ownHeadingRe = lazyre.New(`(?i)\b(?:paper|technical report|tech report|citation|citing|cite|bibtex|publication)s?\b`)
	paperFieldRe = lazyre.New(`(?i)^[\W_]*(?:paper|technical report|tech report|report|arxiv|preprint|publication)s?(?:\s*\[optional\])?[\s*_]*[:：]`)
	paperLabelRe = lazyre.New(`(?i)^\W*(?:paper|technical report|tech report|report|arxiv|preprint|publication)(?:\s+(?:paper|link))?\W*$`)
	ownWordsRe   = lazyre.New(`(?i)\b(?:our|this model'?s|the model'?s)\s+(?:\w+\s+)?(?:paper|technical report|tech report|report|preprint|publication)\b`)
	bibTitleRe   = lazyre.New(`(?i)\btitle\s*=\s*[{"]+([^}"]*)`)
)

// bibEntry is what a BibTeX entry's lines share.
type bibEntry struct {
	title string
	own   string
}

// bibtexTitle is the title field of a BibTeX entry, without braces.
func bibtexTitle(entry string) string {
	if m := bibTitleRe.FindStringSubmatch(entry); m != nil {
		return strings.Join(strings.Fields(m[1]), " ")
	}
	return ""
}

// ownHeading reports whether a heading names the paper or the citation.
func ownHeading(h Heading) bool {
	return h.Line > 0 && ownHeadingRe.MatchString(h.Text) && !strings.Contains(strings.ToLower(h.Text), "reference")
}

// headingAt returns the last heading at or before file line n, or a zero Heading.
func (c *Card) headingAt(n int) Heading {
	i := sort.Search(len(c.Headings), func(i int) bool { return c.Headings[i].Line > n })
	if i == 0 {
		return Heading{}
	}
	return c.Headings[i-1]
}

// ownLine says how a body line outside BibTeX presents the papers it mentions, or "".
func (c *Card) ownLine(b bodyLine, text string) string {
	switch {
	case paperFieldRe.MatchString(text):
		return OwnField
	case ownWordsRe.MatchString(text):
		return OwnWords
	case ownHeading(c.headingAt(b.n)):
		return OwnHeading
	}
	return ""
}

// OwnPapers returns the papers the card presents as the model's own (see above). names are
// the release's names (repository or folder name); the card's title and model-index names are
// added, and a paper whose title names one of them is the model's own too.
func (c *Card) OwnPapers(names ...string) []Paper {
	own := append(append([]string(nil), names...), c.ownNames()...)
	var out []Paper
	for _, p := range c.Papers {
		if p.Own == "" && p.Title != "" && titleNames(p.Title, own) {
			p.Own = OwnTitle
		}
		if p.Own != "" {
			out = append(out, p)
		}
	}
	return out
}

// titleNames reports whether a paper title names one of the model's names: a name of at least
// four letters and digits contained in the title, ignoring case and punctuation.
func titleNames(title string, names []string) bool {
	t := alnum(title)
	for _, n := range names {
		// The name without an organisation prefix, and its first word ("Qwen2" of
		// "Qwen2-7B-Instruct"), which is how papers name a family.
		n = n[strings.LastIndexByte(n, '/')+1:]
		keys := []string{alnum(n)}
		if words := strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }); len(words) > 0 {
			keys = append(keys, alnum(words[0]))
		}
		for _, k := range keys {
			if len(k) >= 4 && strings.Contains(t, k) {
				return true
			}
		}
	}
	return false
}
