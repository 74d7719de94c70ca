package evidence

import (
	"strings"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Data Information, judged by substance.
//
// OSAID 1.0 asks for "sufficiently detailed information about the data used to train the system
// so that a skilled person can build a substantially equivalent system": a description of all
// training data with its provenance, scope and characteristics, how it was obtained and selected,
// how it was labelled, processed and filtered, and a list of the data and where to get it. A
// heading called "Training Data" over one sentence ("pretrained on ~15T tokens of publicly
// available data") says almost none of that, so glassbox reads what the data sections and data
// cards actually say, element by element:
//
//   - sources: the data named, by name or link (the card's `datasets`, dataset links, URLs and
//     well-known corpus names in a data section);
//   - scope: size, languages, domains or time range (token, document or byte counts, languages,
//     a cut-off date);
//   - collection: how the data was obtained and selected (crawled, collected, sampled, curated,
//     provenance, a mixture's proportions);
//   - processing: processing and filtering (deduplication, quality or toxicity filters, PII
//     removal, decontamination);
//   - labelling: how data was annotated or labelled (annotators, human preference data).
//
// The judgement is DataSubstantive when the sources are named and at least three of the five
// elements are present, DataPartial when two are, and DataOverview when a description exists
// with fewer (a one-paragraph overview). G7's and OSAID's Data Information, the MOF data card and
// the OSAI index's datasheet all read this one judgement.

// Data Information levels.
const (
	DataNone        = "none"        // no data section, data card or named dataset
	DataOverview    = "overview"    // a description with at most one element
	DataPartial     = "partial"     // some elements
	DataSubstantive = "substantive" // named sources and most elements
)

// Data Information elements, in OSAID's order.
const (
	ElemSources    = "sources"
	ElemScope      = "scope"
	ElemCollection = "collection"
	ElemProcessing = "processing"
	ElemLabelling  = "labelling"
)

// DataElement is one element of the rubric and where it was found.
type DataElement struct {
	Name     string   `json:"name"`
	Found    bool     `json:"found"`
	Where    []string `json:"where,omitempty"`
	Evidence []string `json:"evidence"`
}

// DataInfo is the substance of the release's description of its training data.
type DataInfo struct {
	Level    string        `json:"level"`
	Elements []DataElement `json:"elements"`
	// Places are the data sections and data card files that were read.
	Places   []string `json:"places,omitempty"`
	Evidence []string `json:"evidence"`
}

// Found lists the names of the elements found.
func (d DataInfo) Found() []string {
	var out []string
	for _, e := range d.Elements {
		if e.Found {
			out = append(out, e.Name)
		}
	}
	return out
}

// Missing lists the names of the elements not found.
func (d DataInfo) Missing() []string {
	var out []string
	for _, e := range d.Elements {
		if !e.Found {
			out = append(out, e.Name)
		}
	}
	return out
}

// dataElementRules say, per element, what a line of a data description must contain.
var dataElementRules = []struct {
	name string
	re   *lazyre.Regexp
}{
	{ElemSources, lazyre.New(`(?i)https?://|\]\(|huggingface\.co/datasets/|\b(the pile|common ?crawl|c4|refinedweb|redpajama|dolma|fineweb|slimpajama|the stack|starcoderdata|wikipedia|wikitext|bookcorpus|books3|project gutenberg|openwebtext|laion[-\w]*|coyo[-\w]*|cc12m|conceptual captions|imagenet|ms ?coco|librispeech|common voice|mc4|oscar|roots|stackexchange|arxiv|pubmed|openassistant|ultrachat|sharegpt|alpaca|dolly|flan)\b`)},
	{ElemScope, lazyre.New(`(?i)\d[\d.,]*\s*(k|m|b|t|g|gi|ti|thousand|million|billion|trillion)?\s*(tokens|documents|docs|words|images|image-text pairs|pairs|hours|samples|examples|instructions|conversations|sentences|gib|gb|tib|tb)\b|\b\d+\s+(natural )?languages\b|\bmultilingual\b|\b(in|of) (english|chinese|french|german|spanish)\b|\bcut-?off\b|\b(19|20)\d\d\s*(-|–|to)\s*(19|20)\d\d\b|\bdomains?\b|\bcategories\b`)},
	{ElemCollection, lazyre.New(`(?i)\bcrawl|\bscrap(ed|ing)\b|\bcollect(ed|ion|ing)\b|\bgathered\b|\bsourced\b|\bobtained\b|\bselect(ed|ion)\b|\bsampl(ed|ing)\b|\bcurat(ed|ion)\b|\bprovenance\b|\bmixture\b|\bproportions?\b|\bupsampl|\bcreated (by|for|specifically)\b|\bcompiled\b|\blicensed from\b`)},
	{ElemProcessing, lazyre.New(`(?i)\bfilter(ed|ing|s)?\b|\bde-?dup(licat\w*)?\b|\bclean(ed|ing)\b|\bquality (classifier|filter|score)|\bheuristic|\btoxic|\bpii\b|personally identifiable|\bdecontaminat|\bremov(ed|al|ing)\b|\bnormali[sz](ed|ation)\b|\bpre-?process(ed|ing)\b|\blanguage identification\b|\bblocklist|\bnsfw\b`)},
	{ElemLabelling, lazyre.New(`(?i)\bannotat(ed|ion|ors?)\b|\blabel(l)?(ed|ing|ers)\b|\bhuman (feedback|preference|rat(ers|ings))\b|\bpreference (data|pairs)\b|\bcrowd-?(sourc|work)|\braters?\b`)},
}

// dataSectionRe matches the headings of sections that describe training data: data headings,
// and the pre-training sections of cards that describe their data there.
var dataSectionRe = lazyre.New(`(?i)(training|pre-?training|fine-?tuning|instruction|tuning) (data|dataset|corpus|corpora|mixture|mix)|\bdata ?(sets?|card|sheet|sources?|collection|processing|preprocessing|curation|composition|statement|mixture)\b|^(the )?(training )?data$|^pre-?training$|^training (details|procedure|setup)$|^corpus$|datasheet`)

// dataInfo judges how substantively the card's data sections, data card files and the card's
// `datasets` field describe the training data.
func (v *view) dataInfo() DataInfo {
	d := DataInfo{Level: DataNone, Evidence: []string{}}
	for _, name := range []string{ElemSources, ElemScope, ElemCollection, ElemProcessing, ElemLabelling} {
		d.Elements = append(d.Elements, DataElement{Name: name, Evidence: []string{}})
	}
	mark := func(i int, where, ev string) {
		e := &d.Elements[i]
		if !e.Found || len(e.Where) < 3 {
			e.Where = appendUnique(e.Where, where)
			e.Evidence = appendUnique(e.Evidence, ev)
		}
		e.Found = true
	}
	if len(v.card.Datasets) > 0 {
		mark(0, v.cardPath+":"+itoa(v.card.FieldLines["datasets"]), v.cardField("datasets", strings.Join(v.card.Datasets, ", ")))
	}
	for _, h := range v.dataHeadings() {
		d.Places = append(d.Places, v.cardPath+":"+itoa(h.Line))
		v.judgeLines(sectionLines(v.card, h), func(i, line int, text string) {
			mark(i, v.cardPath+":"+itoa(line), v.cardLine(line, clipExcerpt(text)))
		})
	}
	for _, f := range v.files {
		if !datacardRe.MatchString(f.Path) {
			continue
		}
		d.Places = append(d.Places, f.Path)
		t, ok := v.rel.Text(f.Path)
		if !ok {
			continue
		}
		lines := strings.Split(t.Content, "\n")
		v.judgeLines(numbered(lines, 1), func(i, line int, text string) {
			mark(i, f.Path+":"+itoa(line), v.fileEvidence(f.Path, line, line))
		})
	}
	d.Level = dataLevel(d)
	for _, e := range d.Elements {
		d.Evidence = appendUnique(d.Evidence, e.Evidence...)
	}
	return d
}

// dataLevel grades the elements found.
func dataLevel(d DataInfo) string {
	n := len(d.Found())
	switch {
	case d.Elements[0].Found && n >= 3:
		return DataSubstantive
	case n >= 2:
		return DataPartial
	case n == 1 || len(d.Places) > 0:
		return DataOverview
	}
	return DataNone
}

// dataHeadings lists the card headings whose sections describe training data, without nesting:
// a heading inside an already listed section is covered by it.
func (v *view) dataHeadings() []card.Heading {
	var out []card.Heading
	end := 0
	for i, h := range v.card.Headings {
		if h.Line < end || !dataSectionRe.MatchString(strings.Trim(strings.TrimSpace(h.Text), "*:_ ")) {
			continue
		}
		out = append(out, h)
		end = sectionEnd(v.card, i)
	}
	return out
}

// sectionEnd is the file line where the section of the i-th heading ends (the next heading of
// the same or a higher level), or a line past the body.
func sectionEnd(c *card.Card, i int) int {
	h := c.Headings[i]
	for _, next := range c.Headings[i+1:] {
		if next.Level <= h.Level {
			return next.Line
		}
	}
	return c.BodyStartLine + strings.Count(c.Body, "\n") + 2
}

// numberedLine is one line of text with its 1-based file line.
type numberedLine struct {
	n    int
	text string
}

func numbered(lines []string, first int) []numberedLine {
	out := make([]numberedLine, len(lines))
	for i, l := range lines {
		out[i] = numberedLine{first + i, l}
	}
	return out
}

// sectionLines returns the body lines under heading h with their file line numbers.
func sectionLines(c *card.Card, h card.Heading) []numberedLine {
	lines := strings.Split(c.Body, "\n")
	start := h.Line - c.BodyStartLine + 1
	if c.BodyStartLine == 0 || start < 0 || start > len(lines) {
		return nil
	}
	end := len(lines)
	for i, next := range c.Headings {
		if next.Line == h.Line {
			end = min(end, sectionEnd(c, i)-c.BodyStartLine)
			break
		}
	}
	if end < start {
		return nil
	}
	return numbered(lines[start:end], h.Line+1)
}

// judgeLines calls found for the first line that shows each element.
func (v *view) judgeLines(lines []numberedLine, found func(elem, line int, text string)) {
	seen := make([]bool, len(dataElementRules))
	for _, l := range lines {
		for i, r := range dataElementRules {
			if !seen[i] && r.re.MatchString(l.text) {
				seen[i] = true
				found(i, l.n, l.text)
			}
		}
	}
}

// clipExcerpt trims a line for an evidence excerpt.
func clipExcerpt(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 160 {
		return string(r[:160]) + "…"
	}
	return s
}
