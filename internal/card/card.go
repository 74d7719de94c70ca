// Package card reads a Hugging Face style model card: a README.md with YAML front matter between
// `---` lines, then Markdown. It extracts the metadata the Hub defines (licence, lineage,
// datasets, gating, evaluation results) and what the prose says (headings, links, papers,
// open-source claims), each with the 1-based line of the file it came from so that evidence can
// cite "README.md:4".
//
// Real cards repeat keys, mix types and carry broken YAML, and an audit must still say what the
// rest of the card declares. So Parse never fails: it records what it could not read as
// Problems and goes on. The package does no I/O; callers hand it the bytes.
package card

import (
	"bytes"
	"sort"
	"strings"
)

// Card is what one model card declares, field by field, as written.
type Card struct {
	// Path is the name the caller gave the card; it is only carried along for evidence.
	Path string

	// License holds the `license` value(s): a Hub licence id such as "apache-2.0" or "other".
	License []string
	// LicenseName is the `license_name` that accompanies `license: other`.
	LicenseName string
	// LicenseLink is the `license_link`, a URL or a path inside the repository.
	LicenseLink string
	// BaseModel lists the `base_model` repositories; more than one usually means a merge.
	BaseModel []string
	// BaseModelRelation is adapter, merge, quantized or finetune when the card says so.
	BaseModelRelation string
	// Datasets lists the `datasets` the card says the model was trained on.
	Datasets []string
	// Language lists the `language` codes.
	Language []string
	// LibraryName is the `library_name` (transformers, gguf, diffusers …).
	LibraryName string
	// PipelineTag is the Hub task (`pipeline_tag`).
	PipelineTag string
	// Tags lists the `tags`.
	Tags []string
	// HasModelIndex is true when the card has a `model-index` key, even one that could not be
	// read, because the presence of self-reported evaluation results is itself a fact.
	HasModelIndex bool
	// ModelIndex flattens `model-index` into one entry per reported metric.
	ModelIndex []EvalResult
	// Gated is true when any `extra_gated_*` key exists: the Hub then asks users to accept
	// terms or share details before download.
	Gated bool
	// GatedPrompt is the `extra_gated_prompt` text shown before access is granted.
	GatedPrompt string
	// GatedFields lists the labels of the `extra_gated_fields` form, in card order.
	GatedFields []string
	// NewVersion is the `new_version` repository that supersedes this one.
	NewVersion string
	// Raw is the whole front matter as decoded YAML (maps, slices, strings, numbers, bools) for
	// detectors that need keys this type does not name. Nil when there is no front matter.
	Raw map[string]any
	// FieldLines maps each top-level front matter key to its 1-based line in the file. For a
	// repeated key it is the line of the occurrence whose value was used (the last).
	FieldLines map[string]int

	// Body is the Markdown after the front matter (the whole file when there is none), with
	// any byte-order mark removed and line endings normalised to "\n".
	Body string
	// BodyStartLine is the file line on which Body begins: 1 without front matter, the line
	// after the closing `---` otherwise, and 0 when the file ends at the closing `---`.
	BodyStartLine int
	// Headings lists ATX, setext and single-line HTML headings outside code blocks.
	Headings []Heading
	// Links lists Markdown links and images, link reference definitions, HTML <a href> and
	// <img src>, and bare URLs, in file order.
	Links []Link
	// Papers lists references to papers and reports: arXiv ids, DOIs, PDF links, BibTeX
	// entries, and the `arxiv` key or `arxiv:` tags of the front matter.
	Papers []Paper
	// Tables counts Markdown and HTML tables outside code blocks.
	Tables int
	// TableLines holds the first line of each table counted in Tables, so a section's tables
	// can be told from the rest of the card.
	TableLines []int
	// Claims lists the places where the prose calls the model, its release or its base open
	// source.
	Claims []Claim
	// ProseBases lists base models named in the prose ("based on Llama 2"), for cards whose
	// front matter has no base_model or one nobody knows.
	ProseBases []ProseBase

	// Problems records what could not be read; a card with problems is still analysed.
	Problems []Problem

	paperIndex map[string]int // Kind+ID → index in Papers, to mention each paper once
}

// EvalResult is one metric reported in `model-index`.
type EvalResult struct {
	Model       string // model-index[].name
	Task        string // results[].task.type, or task.name when the type is missing
	DatasetName string // results[].dataset.name
	DatasetType string // results[].dataset.type, a Hub dataset id
	MetricType  string // metrics[].type
	MetricName  string // metrics[].name
	Value       string // metrics[].value as written, since values are not always numbers
	Line        int    // line of the metric in the file
}

// Heading is one Markdown heading.
type Heading struct {
	Level int    // 1 to 6
	Text  string // without the # markers or HTML tags
	Line  int
}

// Link is one link found in the body.
type Link struct {
	Text  string // link text, image alt text or reference label; empty for bare URLs
	URL   string // destination as written
	Line  int
	Image bool // an image rather than a link, typically a badge or figure
	Code  bool // found inside a fenced code block, where it is a command argument, not a link
}

// Paper kinds.
const (
	PaperArXiv  = "arxiv"
	PaperDOI    = "doi"
	PaperPDF    = "pdf"
	PaperBibTeX = "bibtex"
)

// Paper is one reference to a paper or report. Each (Kind, ID) appears once, at its first
// mention, unless a later mention calls it a technical report.
type Paper struct {
	Kind string // PaperArXiv, PaperDOI, PaperPDF or PaperBibTeX
	// ID is the arXiv id without version, the DOI, the PDF URL, or the BibTeX citation key.
	ID   string
	URL  string // the link it came from, if any
	Line int
	// TechnicalReport is true when the mention says "technical report" or "tech report":
	// the MOF counts a technical report as a component of its own.
	TechnicalReport bool
}

// ClaimOpenSource is the kind of claim that the model, its release or its base is open source.
const ClaimOpenSource = "open-source"

// Claim is a place where the prose says something about the release's openness.
type Claim struct {
	Kind    string // ClaimOpenSource
	Line    int
	Excerpt string // at most 160 characters around the words that make the claim
}

// Problem is something in the card that could not be read as intended.
type Problem struct {
	Line    int // 1-based file line, or 0 when the problem concerns the whole file
	Message string
}

// Parse reads a model card. path is only recorded; data is the file's content. Parse never
// fails and never panics: what it cannot read ends up in Card.Problems.
func Parse(path string, data []byte) *Card {
	c := &Card{Path: path}
	defer func() {
		// The YAML parser is third-party code fed untrusted input; a panic there must cost
		// only the front matter, not the audit.
		if r := recover(); r != nil {
			c.Problems = append(c.Problems, Problem{Message: "internal error while reading the card; some fields may be missing"})
		}
	}()

	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines := splitLines(string(data))

	bodyStart := 0 // index into lines
	if fmEnd, ok := frontMatterEnd(lines); ok {
		c.parseFrontMatter(lines[1:fmEnd], 2)
		bodyStart = fmEnd + 1
	} else if len(lines) > 0 && isDelimiter(lines[0]) {
		// The Hub itself reads an unclosed block as Markdown, so we do too.
		c.addProblem(1, "front matter opened on line 1 is never closed by a --- line; the file is read as Markdown only")
	}

	if bodyStart < len(lines) {
		c.BodyStartLine = bodyStart + 1
		c.Body = strings.Join(lines[bodyStart:], "\n")
		c.analyseBody(lines[bodyStart:], bodyStart+1)
	}
	// Problems are found in passes (syntax, then types); readers want them in file order.
	// The note that more were left out stays last.
	listed := c.Problems[:min(len(c.Problems), maxProblems)]
	sort.SliceStable(listed, func(i, j int) bool { return listed[i].Line < listed[j].Line })
	return c
}

// splitLines splits on "\n" and drops one trailing "\r" per line, so CRLF files keep their line
// numbers. A file ending in "\n" has an empty last line, as editors count it.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// isDelimiter reports whether a line opens or closes front matter. The Hub accepts trailing
// spaces after the dashes.
func isDelimiter(line string) bool {
	return strings.TrimRight(line, " \t") == "---"
}

// frontMatterEnd returns the index of the line closing front matter that opens on the first
// line.
func frontMatterEnd(lines []string) (int, bool) {
	if len(lines) == 0 || !isDelimiter(lines[0]) {
		return 0, false
	}
	for i := 1; i < len(lines); i++ {
		if isDelimiter(lines[i]) {
			return i, true
		}
	}
	return 0, false
}

// maxProblems bounds Problems: a card with thousands of repeated keys needs a handful of
// examples, not thousands of lines in a report.
const maxProblems = 100

func (c *Card) addProblem(line int, msg string) {
	switch {
	case len(c.Problems) < maxProblems:
		c.Problems = append(c.Problems, Problem{Line: line, Message: msg})
	case len(c.Problems) == maxProblems:
		c.Problems = append(c.Problems, Problem{Message: "more problems were found but are not listed"})
	}
}
