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
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
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
	// FrontMatterLine is the line of the `---` that opens the front matter, 0 when the card
	// has none that the Hub reads (see locateFrontMatter).
	FrontMatterLine int
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
	// Headings lists ATX, setext and single-line HTML headings outside code blocks, and bold
	// lines standing alone (Heading.Pseudo). SectionsOf gives the sections by what they are
	// about (architecture, training data, evaluation, uses, limitations, how to use).
	Headings []Heading
	// Links lists Markdown links and images, link reference definitions, HTML <a href> and
	// <img src>, and bare URLs, in file order.
	Links []Link
	// Papers lists references to papers and reports: arXiv ids, DOIs, PDF links, BibTeX
	// entries, and the `arxiv` key or `arxiv:` tags of the front matter. Most are cited
	// references; OwnPapers gives those the card presents as the model's own.
	Papers []Paper
	// Tables counts Markdown and HTML tables outside code blocks.
	Tables int
	// TableLines holds the first line of each table counted in Tables, so a section's tables
	// can be told from the rest of the card.
	TableLines []int
	// Claims lists the places where the prose calls the model, its release or its base open
	// source, or places it among open-source models, in any of the languages claims.go and
	// claims_lang.go know.
	Claims []Claim
	// ProseBases lists base models named in the prose ("based on Llama 2", "Base model: X"),
	// for cards whose front matter has no base_model or one nobody knows. Some are about other
	// models of a family; ReleaseBases gives those whose sentence is about the release.
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
	// Pseudo marks a bold line standing alone as a heading ("**Training Data**"), as cards
	// often write them; it gets level 6, so its section ends at the next heading of any kind.
	Pseudo bool
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
	// Own says how the card presents the paper as the model's own (see OwnPapers), or is ""
	// when the card only cites it.
	Own string
	// Title is the link text or the BibTeX title the paper is mentioned with.
	Title string
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

// Options say how the card's bytes were obtained.
type Options struct {
	// Truncated says data is only the first part of a larger file (release.Text.Truncated),
	// so that a front matter left open is reported as cut, not as never closed.
	Truncated bool
}

// Parse reads a model card. path is only recorded; data is the file's content. Parse never
// fails and never panics: what it cannot read ends up in Card.Problems.
func Parse(path string, data []byte) *Card {
	return ParseWith(path, data, Options{})
}

// ParseWith is Parse for a card read under opt.
func ParseWith(path string, data []byte, opt Options) *Card {
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
	if b, ok := locateFrontMatter(lines); ok {
		c.FrontMatterLine = b.open + 1
		c.parseFrontMatter(lines[b.first:b.end], b.first+1)
		bodyStart = b.close + 1
	} else if msg := unreadFrontMatter(lines, opt, len(data)); msg != "" {
		c.addProblem(firstContentLine(lines)+1, msg)
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

// splitLines splits at line endings as Markdown defines them ("\n", "\r\n" or a lone "\r"), so
// CRLF files keep their line numbers. A file ending in a line ending has an empty last line,
// as editors count it.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.Split(s, "\n")
}

// fmBlock is where the front matter sits, as indexes into the card's lines.
type fmBlock struct {
	open  int // the opening --- line
	first int // the first YAML line
	end   int // one past the last YAML line
	close int // the closing --- line
}

// locateFrontMatter finds the front matter exactly where the Hub's own parser finds it (the
// huggingface_hub library's REGEX_YAML_BLOCK, which it keeps in sync with the Hub server):
//
//   - before the opening `---` there may be any whitespace, blank lines included (a
//     byte-order mark too: the Hub server's pattern, in JavaScript, counts it as whitespace);
//   - the opening and closing lines are exactly `---`, with nothing after the dashes but the
//     line ending (CRLF or LF); `--- ` or `----` does not open or close a block;
//   - the block closes at the first `---` line after the first non-blank line following the
//     opening (so `---`, blank line, `---` is an empty block, but `---` directly followed by
//     `---` is no block at all).
//
// Metadata comes only from such a block; a `---` line anywhere else is Markdown.
func locateFrontMatter(lines []string) (fmBlock, bool) {
	o := firstContentLine(lines)
	if o >= len(lines) || strings.TrimLeftFunc(lines[o], isHubSpace) != "---" {
		return fmBlock{}, false
	}
	first := o + 1
	for first < len(lines) && lines[first] == "" {
		first++
	}
	for c := first + 1; c < len(lines); c++ {
		if lines[c] == "---" {
			return fmBlock{open: o, first: first, end: c, close: c}, true
		}
	}
	// The pattern backtracks: blank lines after the opening may end in the closing line.
	if first < len(lines) && lines[first] == "---" && first-o >= 2 {
		return fmBlock{open: o, first: first, end: first, close: first}, true
	}
	return fmBlock{}, false
}

// firstContentLine is the index of the first line with anything but whitespace.
func firstContentLine(lines []string) int {
	i := 0
	for i < len(lines) && strings.TrimLeftFunc(lines[i], isHubSpace) == "" {
		i++
	}
	return i
}

// isHubSpace is whitespace as the Hub's pattern reads it: Unicode white space, the
// information separators Python counts as space, and the byte-order mark.
func isHubSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f || r == '\ufeff'
}

// yamlKeyRe is a line that reads as a YAML key ("license: mit", "tags:").
var yamlKeyRe = lazyre.New(`^[A-Za-z_][\w-]*:(?:\s|$)`)

// unreadFrontMatter explains why a card that seems to open front matter has none the Hub
// reads, or returns "" when it does not seem to: a rule of dashes, YAML keys, and another rule
// of dashes that the Hub's pattern does not accept (trailing spaces, four dashes). A card cut short by a size limit is reported
// as cut, since its front matter may close further on.
func unreadFrontMatter(lines []string, opt Options, size int) string {
	o := firstContentLine(lines)
	if o >= len(lines) {
		return ""
	}
	open := strings.TrimSpace(lines[o])
	if strings.Trim(open, "-") != "" || len(open) < 3 {
		return ""
	}
	closing, content := -1, false
	for i := o + 1; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if len(t) >= 3 && strings.Trim(t, "-") == "" {
			closing = i
			break
		}
		content = content || yamlKeyRe.MatchString(t)
	}
	switch {
	case closing < 0 && open == "---" && opt.Truncated:
		return fmt.Sprintf("the card was cut at %s before its front matter (opened on line %d) closes; the metadata is not read", byteSize(size), o+1)
	case closing < 0 && open == "---":
		return fmt.Sprintf("front matter opened on line %d is never closed by a --- line; the file is read as Markdown only", o+1)
	case closing >= 0 && content:
		return fmt.Sprintf("lines %d to %d look like front matter but the Hub does not read them as such (the opening and closing lines must be exactly ---); the metadata is not read", o+1, closing+1)
	}
	return ""
}

// byteSize writes a size as people say it: "1 MiB", "1.5 MiB", "512 KiB", "300 bytes". A
// text cut inside a character may be a few bytes off the limit; it still reads "1 MiB".
func byteSize(n int) string {
	unit := func(v float64, name string) string {
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + name
	}
	switch {
	case n >= 1<<20:
		return unit(float64(n)/(1<<20), "MiB")
	case n >= 1<<10:
		return unit(float64(n)/(1<<10), "KiB")
	}
	return fmt.Sprintf("%d bytes", n)
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
