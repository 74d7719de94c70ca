package card

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/glassbox-dev/glassbox/internal/yamlguard/bombs"
)

// meta is the part of a Card that comes from the front matter, for table comparisons.
type meta struct {
	License           []string
	LicenseName       string
	LicenseLink       string
	BaseModel         []string
	BaseModelRelation string
	Datasets          []string
	Language          []string
	LibraryName       string
	PipelineTag       string
	Tags              []string
	HasModelIndex     bool
	ModelIndex        []EvalResult
	Gated             bool
	GatedPrompt       string
	GatedFields       []string
	NewVersion        string
	FieldLines        map[string]int
}

func metaOf(c *Card) meta {
	return meta{
		License: c.License, LicenseName: c.LicenseName, LicenseLink: c.LicenseLink,
		BaseModel: c.BaseModel, BaseModelRelation: c.BaseModelRelation, Datasets: c.Datasets,
		Language: c.Language, LibraryName: c.LibraryName, PipelineTag: c.PipelineTag, Tags: c.Tags,
		HasModelIndex: c.HasModelIndex, ModelIndex: c.ModelIndex, Gated: c.Gated,
		GatedPrompt: c.GatedPrompt, GatedFields: c.GatedFields, NewVersion: c.NewVersion,
		FieldLines: c.FieldLines,
	}
}

// wantProblem matches a Problem by line and a fragment of its message, so tests pin what the
// problem is about without freezing its wording.
type wantProblem struct {
	line int
	has  string
}

func checkProblems(t *testing.T, got []Problem, want []wantProblem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d problems %v, want %d %v", len(got), got, len(want), want)
		return
	}
	for i, w := range want {
		if got[i].Line != w.line || !strings.Contains(got[i].Message, w.has) {
			t.Errorf("problem %d = %+v, want line %d containing %q", i, got[i], w.line, w.has)
		}
	}
}

func TestParseFrontMatter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		want     meta
		problems []wantProblem
	}{{
		name: "string fields and string-or-list fields written as strings",
		in: "---\nlicense: apache-2.0\nbase_model: acme/tiny-base\nbase_model_relation: finetune\n" +
			"datasets: acme/recipes\nlanguage: en\nlibrary_name: transformers\npipeline_tag: text-generation\n" +
			"tags: demo\nnew_version: acme/tiny-v2\n---\n",
		want: meta{
			License: []string{"apache-2.0"}, BaseModel: []string{"acme/tiny-base"}, BaseModelRelation: "finetune",
			Datasets: []string{"acme/recipes"}, Language: []string{"en"}, LibraryName: "transformers",
			PipelineTag: "text-generation", Tags: []string{"demo"}, NewVersion: "acme/tiny-v2",
			FieldLines: map[string]int{"license": 2, "base_model": 3, "base_model_relation": 4, "datasets": 5,
				"language": 6, "library_name": 7, "pipeline_tag": 8, "tags": 9, "new_version": 10},
		},
	}, {
		name: "lists, block and flow, trimmed, empty items dropped",
		in:   "---\nlicense:\n  - mit\n  - ' cc-by-4.0 '\n  - ''\nbase_model: [acme/a, acme/b]\ndatasets:\n- one/set\n---\n",
		want: meta{
			License: []string{"mit", "cc-by-4.0"}, BaseModel: []string{"acme/a", "acme/b"}, Datasets: []string{"one/set"},
			FieldLines: map[string]int{"license": 2, "base_model": 6, "datasets": 7},
		},
	}, {
		name: "license other with name and link",
		in:   "---\nlicense: other\nlicense_name: acme-research\nlicense_link: >-\n  https://example.org/acme/LICENSE\n---\n",
		want: meta{
			License: []string{"other"}, LicenseName: "acme-research", LicenseLink: "https://example.org/acme/LICENSE",
			FieldLines: map[string]int{"license": 2, "license_name": 3, "license_link": 4},
		},
	}, {
		name: "scalars keep their written form",
		in:   "---\nlicense_name: 1.10\nlanguage: [no, yes]\n---\n",
		want: meta{
			LicenseName: "1.10", Language: []string{"no", "yes"},
			FieldLines: map[string]int{"license_name": 2, "language": 3},
		},
	}, {
		name: "duplicate key keeps the last value",
		in:   "---\nlicense: mit\ntags: [x]\nlicense: apache-2.0\n---\n",
		want: meta{
			License: []string{"apache-2.0"}, Tags: []string{"x"},
			FieldLines: map[string]int{"license": 4, "tags": 3},
		},
		problems: []wantProblem{{4, `duplicate key "license"`}},
	}, {
		name: "duplicate key inside a mapping",
		in:   "---\nextra_gated_fields:\n  Name: text\n  Name: text\n---\n",
		want: meta{
			Gated: true, GatedFields: []string{"Name", "Name"},
			FieldLines: map[string]int{"extra_gated_fields": 2},
		},
		problems: []wantProblem{{2, `duplicate key "Name" in extra_gated_fields`}},
	}, {
		name: "values of the wrong type",
		in:   "---\nlicense:\n  id: mit\nlicense_name: [first, second]\ndatasets:\n  - good/set\n  - {bad: set}\npipeline_tag: {a: b}\n---\n",
		want: meta{
			LicenseName: "first", Datasets: []string{"good/set"},
			FieldLines: map[string]int{"license": 2, "license_name": 4, "datasets": 5, "pipeline_tag": 8},
		},
		problems: []wantProblem{
			{2, "license: expected a string or a list of strings, found a mapping"},
			{4, "license_name: expected a string, found a list"},
			{7, "datasets[1]: expected a string, found a mapping"},
			{8, "pipeline_tag: expected a string, found a mapping"},
		},
	}, {
		name: "broken value does not hide the other keys",
		in:   "---\nlicense: mit\nextra_gated_prompt: \"an unterminated string\nbase_model: acme/base\n---\n",
		want: meta{
			License: []string{"mit"}, BaseModel: []string{"acme/base"}, Gated: true,
			FieldLines: map[string]int{"license": 2, "extra_gated_prompt": 3, "base_model": 4},
		},
		problems: []wantProblem{{3, "invalid YAML"}},
	}, {
		name: "stray tab under a key keeps the inline value",
		in:   "---\nlicense: mit\n\tnote: tab-indented\ntags: [a]\n---\n",
		want: meta{
			License: []string{"mit"}, Tags: []string{"a"},
			FieldLines: map[string]int{"license": 2, "tags": 4},
		},
		problems: []wantProblem{{3, "only line 2 of this key is read"}},
	}, {
		name:     "front matter that is a list",
		in:       "---\n- one\n- two\n---\nText\n",
		want:     meta{FieldLines: map[string]int{}},
		problems: []wantProblem{{2, "not a mapping"}},
	}, {
		name: "gating",
		in: "---\nextra_gated_prompt: |\n  Accept the terms.\nextra_gated_fields:\n  Full name: text\n  ? I accept\n    the terms\n  : checkbox\n" +
			"extra_gated_button_content: Submit\n---\n",
		want: meta{
			Gated: true, GatedPrompt: "Accept the terms.", GatedFields: []string{"Full name", "I accept the terms"},
			FieldLines: map[string]int{"extra_gated_prompt": 2, "extra_gated_fields": 4, "extra_gated_button_content": 9},
		},
	}, {
		name: "any extra_gated key gates",
		in:   "---\nextra_gated_heading: Ask first\n---\n",
		want: meta{Gated: true, FieldLines: map[string]int{"extra_gated_heading": 2}},
	}, {
		name: "model-index flattened per metric",
		in: "---\nmodel-index:\n- name: tiny\n  results:\n  - task:\n      type: text-generation\n    dataset:\n      name: Quiz Set\n      type: acme/quiz\n" +
			"    metrics:\n    - type: accuracy\n      value: 51.20\n      name: Accuracy\n    - type: f1\n      value: n/a\n---\n",
		want: meta{
			HasModelIndex: true,
			ModelIndex: []EvalResult{
				{Model: "tiny", Task: "text-generation", DatasetName: "Quiz Set", DatasetType: "acme/quiz", MetricType: "accuracy", MetricName: "Accuracy", Value: "51.20", Line: 11},
				{Model: "tiny", Task: "text-generation", DatasetName: "Quiz Set", DatasetType: "acme/quiz", MetricType: "f1", Value: "n/a", Line: 14},
			},
			FieldLines: map[string]int{"model-index": 2},
		},
	}, {
		name:     "model-index of the wrong shape is still present",
		in:       "---\nmodel-index: soon\n---\n",
		want:     meta{HasModelIndex: true, FieldLines: map[string]int{"model-index": 2}},
		problems: []wantProblem{{2, "model-index: expected a list of models"}},
	}, {
		name: "anchors and aliases",
		in:   "---\nupstream: &up acme/base\nbase_model: *up\n---\n",
		want: meta{BaseModel: []string{"acme/base"}, FieldLines: map[string]int{"upstream": 2, "base_model": 3}},
	}, {
		name: "CRLF line endings",
		in:   "---\r\nlicense:\r\n  - mit\r\nbase_model: acme/base\r\n---\r\n# Title\r\n",
		want: meta{License: []string{"mit"}, BaseModel: []string{"acme/base"}, FieldLines: map[string]int{"license": 2, "base_model": 4}},
	}, {
		name: "byte-order mark",
		in:   "\ufeff---\nlicense: mit\n---\n",
		want: meta{License: []string{"mit"}, FieldLines: map[string]int{"license": 2}},
	}, {
		name: "blank lines and spaces before the opening line",
		in:   "\n  \n\t\n  ---\nlicense: mit\n---\n# Title\n",
		want: meta{License: []string{"mit"}, FieldLines: map[string]int{"license": 5}},
	}, {
		name: "byte-order mark, blank line and CRLF together",
		in:   "\ufeff\r\n---\r\n\r\nlicense: apache-2.0\r\ndatasets:\r\n- a/b\r\n---\r\nBody\r\n",
		want: meta{License: []string{"apache-2.0"}, Datasets: []string{"a/b"}, FieldLines: map[string]int{"license": 4, "datasets": 5}},
	}, {
		name: "lone CR line endings",
		in:   "---\rlicense: mit\r---\rBody\r",
		want: meta{License: []string{"mit"}, FieldLines: map[string]int{"license": 2}},
	}, {
		name:     "an opening line with trailing spaces is no front matter for the Hub",
		in:       "--- \nlicense: mit\n---\n",
		problems: []wantProblem{{1, "the Hub does not read them as such"}},
	}, {
		name:     "four dashes are no front matter for the Hub",
		in:       "----\ntags:\n- conversational\n----\n# Bot\n",
		problems: []wantProblem{{1, "exactly ---"}},
	}, {
		// The YAML then holds two documents, which the Hub's library refuses too.
		name:     "a closing line with trailing text does not close",
		in:       "---\nlicense: mit\n--- # end\ndatasets: [x]\n---\n",
		want:     meta{License: []string{"mit"}, FieldLines: map[string]int{"license": 2}},
		problems: []wantProblem{{2, "more than one YAML document"}},
	}, {
		name: "rules of four dashes around prose are Markdown",
		in:   "----\nJust a note.\n----\n# Card\n",
	}, {
		name: "a later --- line is Markdown, not metadata",
		in:   "# Title\n\n---\nlicense: mit\n---\n",
	}, {
		name: "blank lines then a closing line make an empty block",
		in:   "---\n\n---\nlicense: mit\n",
	}, {
		name:     "a rule on the first line is reported as an unclosed block",
		in:       "---\n            Summary of the model\n",
		problems: []wantProblem{{1, "never closed"}},
	}, {
		name:     "front matter never closed",
		in:       "---\nlicense: mit\n# Title\n",
		problems: []wantProblem{{1, "never closed"}},
	}, {
		name: "no front matter",
		in:   "# Title\nlicense: mit\n",
	}, {
		name: "empty front matter",
		in:   "---\n---\nText\n",
	}, {
		name: "empty input",
		in:   "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Parse("README.md", []byte(tt.in))
			if diff := cmp.Diff(tt.want, metaOf(c), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("front matter mismatch (-want +got):\n%s", diff)
			}
			checkProblems(t, c.Problems, tt.problems)
		})
	}
}

func TestParseRaw(t *testing.T) {
	t.Parallel()
	c := Parse("README.md", []byte("---\nco2_eq_emissions:\n  emissions: 12.5\n  source: estimate\ninference: false\nwidget:\n- text: hi\n---\n"))
	want := map[string]any{
		"co2_eq_emissions": map[string]any{"emissions": 12.5, "source": "estimate"},
		"inference":        false,
		"widget":           []any{map[string]any{"text": "hi"}},
	}
	if diff := cmp.Diff(want, c.Raw); diff != "" {
		t.Errorf("Raw mismatch (-want +got):\n%s", diff)
	}
}

func TestParseBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		bodyStart int
		body      string
		problems  []wantProblem
		headings  []Heading
	}{{
		name:      "body after front matter keeps file line numbers",
		in:        "---\nlicense: mit\n---\n# Tiny\n\n## Uses\n",
		bodyStart: 4, body: "# Tiny\n\n## Uses\n",
		headings: []Heading{{Level: 1, Text: "Tiny", Line: 4}, {Level: 2, Text: "Uses", Line: 6}},
	}, {
		name:      "bad YAML still gives the body",
		in:        "---\nlicense: [mit\n---\n# Tiny\n",
		bodyStart: 4, body: "# Tiny",
		problems: []wantProblem{{2, "invalid YAML"}},
		headings: []Heading{{Level: 1, Text: "Tiny", Line: 4}},
	}, {
		name:      "CRLF is normalised in Body",
		in:        "---\r\nlicense: mit\r\n---\r\nTitle\r\n=====\r\n",
		bodyStart: 4, body: "Title\n=====\n",
		headings: []Heading{{Level: 1, Text: "Title", Line: 4}},
	}, {
		name:      "unclosed front matter is Markdown",
		in:        "---\n# Tiny\n",
		bodyStart: 1, body: "---\n# Tiny\n",
		problems: []wantProblem{{1, "never closed"}},
		headings: []Heading{{Level: 1, Text: "Tiny", Line: 2}},
	}, {
		name:      "front matter only",
		in:        "---\nlicense: mit\n---",
		bodyStart: 0, body: "",
	}, {
		name:      "heading kinds; code and comments are not headings",
		in:        "# One #\nTwo\n---\n```\n# not a heading\n```\n<!--\n# hidden\n-->\n<h3 align=\"center\">Three <b>bold</b></h3>\n#NoSpace\n",
		bodyStart: 1, body: "# One #\nTwo\n---\n```\n# not a heading\n```\n<!--\n# hidden\n-->\n<h3 align=\"center\">Three <b>bold</b></h3>\n#NoSpace\n",
		headings: []Heading{{Level: 1, Text: "One", Line: 1}, {Level: 2, Text: "Two", Line: 2}, {Level: 3, Text: "Three bold", Line: 10}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Parse("README.md", []byte(tt.in))
			if c.BodyStartLine != tt.bodyStart {
				t.Errorf("BodyStartLine = %d, want %d", c.BodyStartLine, tt.bodyStart)
			}
			if strings.TrimSuffix(c.Body, "\n") != strings.TrimSuffix(tt.body, "\n") {
				t.Errorf("Body = %q, want %q", c.Body, tt.body)
			}
			if diff := cmp.Diff(tt.headings, c.Headings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Headings mismatch (-want +got):\n%s", diff)
			}
			checkProblems(t, c.Problems, tt.problems)
		})
	}
}

func TestLinks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []Link
	}{{
		name: "markdown link and image",
		in:   "See [the docs](https://example.org/docs \"Docs\") and ![logo](img/logo.png).",
		want: []Link{{Text: "the docs", URL: "https://example.org/docs", Line: 1}, {Text: "logo", URL: "img/logo.png", Line: 1, Image: true}},
	}, {
		name: "badge inside a link gives both",
		in:   "[![build](https://img.example/b.svg)](https://ci.example/job)",
		want: []Link{{Text: "build", URL: "https://img.example/b.svg", Line: 1, Image: true}, {Text: "build", URL: "https://ci.example/job", Line: 1}},
	}, {
		name: "parentheses inside the destination",
		in:   "[notebook](https://nb.example/Model_(7B).ipynb)",
		want: []Link{{Text: "notebook", URL: "https://nb.example/Model_(7B).ipynb", Line: 1}},
	}, {
		name: "bare URL trimmed of sentence punctuation",
		in:   "Weights live at https://example.org/w (mirror: https://mirror.example/w).",
		want: []Link{{URL: "https://example.org/w", Line: 1}, {URL: "https://mirror.example/w", Line: 1}},
	}, {
		name: "HTML anchor, image and autolink",
		in:   "<a href=\"https://example.org/p\"><b>Paper</b></a> <img src='fig.png' alt=\"Figure\"> <https://example.org/auto>",
		want: []Link{{Text: "Paper", URL: "https://example.org/p", Line: 1}, {Text: "Figure", URL: "fig.png", Line: 1, Image: true}, {URL: "https://example.org/auto", Line: 1}},
	}, {
		name: "reference definition",
		in:   "[home]: https://example.org/home",
		want: []Link{{Text: "home", URL: "https://example.org/home", Line: 1}},
	}, {
		name: "inline code hides link syntax; code blocks give bare URLs only",
		in:   "Run `[x](y)` now.\n```sh\ncurl https://example.org/get [a](b)\n```",
		want: []Link{{URL: "https://example.org/get", Line: 3, Code: true}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Parse("README.md", []byte(tt.in))
			if diff := cmp.Diff(tt.want, c.Links, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Links mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPapers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []Paper
	}{{
		name: "arXiv links, versions dropped, repeats once",
		in:   "Read [the paper](https://arxiv.org/abs/2401.01234v2).\nAlso https://arxiv.org/pdf/2401.01234 and arxiv.org/abs/hep-th/9901001.",
		want: []Paper{
			{Kind: PaperArXiv, ID: "2401.01234", URL: "https://arxiv.org/abs/2401.01234v2", Line: 1},
			{Kind: PaperArXiv, ID: "hep-th/9901001", Line: 2},
		},
	}, {
		name: "arXiv id written as text and on a paper page",
		in:   "As shown in arXiv:2312.00001, and on https://huggingface.co/papers/2312.00002.",
		want: []Paper{
			{Kind: PaperArXiv, ID: "2312.00002", URL: "https://huggingface.co/papers/2312.00002", Line: 1},
			{Kind: PaperArXiv, ID: "2312.00001", Line: 1},
		},
	}, {
		name: "DOI as link and as text",
		in:   "[Article](https://doi.org/10.1234/abc.5678)\nCite doi:10.5555/xyz-1.",
		want: []Paper{
			{Kind: PaperDOI, ID: "10.1234/abc.5678", URL: "https://doi.org/10.1234/abc.5678", Line: 1},
			{Kind: PaperDOI, ID: "10.5555/xyz-1", Line: 2},
		},
	}, {
		name: "PDF link with technical report in its text",
		in:   "Our [technical report](docs/report.pdf?raw=1) has details.",
		want: []Paper{{Kind: PaperPDF, ID: "docs/report.pdf?raw=1", URL: "docs/report.pdf?raw=1", Line: 1, TechnicalReport: true}},
	}, {
		name: "tech report said on the same line",
		in:   "Tech report: https://arxiv.org/abs/2402.00003",
		want: []Paper{{Kind: PaperArXiv, ID: "2402.00003", URL: "https://arxiv.org/abs/2402.00003", Line: 1, TechnicalReport: true}},
	}, {
		name: "BibTeX entries; a report title marks the whole entry",
		in:   "```bibtex\n@misc{tiny2024,\n  title={Tiny Technical Report},\n  journal={arXiv preprint arXiv:2403.00004},\n}\n@InProceedings {other2023,\n  title={Other},\n}\n```",
		want: []Paper{
			{Kind: PaperBibTeX, ID: "tiny2024", Line: 2, TechnicalReport: true},
			{Kind: PaperArXiv, ID: "2403.00004", Line: 4, TechnicalReport: true},
			{Kind: PaperBibTeX, ID: "other2023", Line: 6},
		},
	}, {
		name: "later mention as technical report wins",
		in:   "[paper](https://arxiv.org/abs/2404.00005)\n\nThe technical report is arXiv:2404.00005.",
		want: []Paper{{Kind: PaperArXiv, ID: "2404.00005", URL: "https://arxiv.org/abs/2404.00005", Line: 3, TechnicalReport: true}},
	}, {
		name: "front matter arxiv key and tag",
		in:   "---\narxiv: 2405.00006\ntags:\n- arxiv:2405.00007\n---\n",
		want: []Paper{
			{Kind: PaperArXiv, ID: "2405.00006", Line: 2},
			{Kind: PaperArXiv, ID: "2405.00007", Line: 3},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Parse("README.md", []byte(tt.in))
			if diff := cmp.Diff(tt.want, c.Papers, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Paper{}, "Own", "Title")); diff != "" {
				t.Errorf("Papers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTablesAndSections(t *testing.T) {
	t.Parallel()
	in := "# Tiny\nIntro.\n## Evaluation\n| Task | Score |\n|---|:-:|\n| quiz | 1 |\n\n### Details\n<table><tr><td>x</td></tr></table>\n## Training Data\nRecipes.\n```\n| a | b |\n|---|---|\n```\n"
	c := Parse("README.md", []byte(in))
	if c.Tables != 2 {
		t.Errorf("Tables = %d, want 2", c.Tables)
	}
	if diff := cmp.Diff([]int{4, 9}, c.TableLines); diff != "" {
		t.Errorf("TableLines mismatch (-want +got):\n%s", diff)
	}
	text, line := c.Section(HeadingMatches(regexp.MustCompile(`(?i)training data`)))
	if text != "Recipes.\n```\n| a | b |\n|---|---|\n```" || line != 10 {
		t.Errorf("Section(training data) = %q, %d", text, line)
	}
	if text, line := c.Section(func(h Heading) bool { return h.Text == "Missing" }); text != "" || line != 0 {
		t.Errorf("Section(missing) = %q, %d, want empty", text, line)
	}
	got := c.Sections(func(h Heading) bool { return h.Level == 2 })
	want := []Section{
		{Heading: Heading{Level: 2, Text: "Evaluation", Line: 3}, Text: "| Task | Score |\n|---|:-:|\n| quiz | 1 |\n\n### Details\n<table><tr><td>x</td></tr></table>", EndLine: 9, Tables: 2},
		{Heading: Heading{Level: 2, Text: "Training Data", Line: 10}, Text: "Recipes.\n```\n| a | b |\n|---|---|\n```", EndLine: 16},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sections mismatch (-want +got):\n%s", diff)
	}
}

func TestClaims(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []int // lines with a claim
	}{
		{"model called open source", "Tiny is an open-source language model for recipes.", []int{1}},
		{"verb form", "Today we open-sourced Tiny-7B and its smaller sibling.", []int{1}},
		{"subject with copula", "The Tiny weights are fully open source.", []int{1}},
		{"fully open", "Tiny is a fully open model: data, code and weights.", []int{1}},
		{"open-source base", "Tiny is fine-tuned from an open source base model.", []int{1}},
		{"phrase across a line break", "Tiny is an open\nsource model.", []int{1}},
		{"heading", "## Fully Open-Source Release\n", []int{1}},
		{"open weights", "Tiny ships open weights and an open-weight variant.", nil},
		{"fully open weights", "The checkpoints are fully open-weight.", nil},
		{"open access", "The model is open access for research.", nil},
		{"comparison", "Tiny outperforms open-source chat models on most tasks.", nil},
		// Presupposition (issue 10 #9): "other", "comparable", "among" make the release one of them.
		{"comparison with other", "Compared to other open-source chat models, Tiny is small.", []int{1}},
		{"outperforms other", "Tiny significantly outperforms the base model and other open-source models like Big (40.6%).", []int{1}},
		{"comparable", "Tiny beats comparable open-source models on recipes.", []int{1}},
		{"among", "Tiny ranks first among open-source models of its size.", []int{1}},
		{"among the best", "Tiny is among the best open source LLMs.", []int{1}},
		{"other open-source software is not models", "Tiny runs faster than other open-source inference engines.", nil},
		{"plain comparison stays out", "Tiny outperforms open-source models and closed ones.", nil},
		{"negated presupposition", "Tiny is not among open-source models.", nil},
		// Languages (issue 10 #14).
		{"Chinese", "我们开源了 Tiny-7B 模型。", []int{1}},
		{"Chinese model noun", "Tiny 是一个开源模型。", []int{1}},
		{"Chinese community", "感谢开源社区的支持。", nil},
		{"Chinese comparison", "Tiny 的表现优于开源模型。", nil},
		{"Chinese other", "Tiny 超越了其他开源模型。", []int{1}},
		{"Chinese code subject", "本仓库的代码依照 Apache-2.0 协议开源，模型权重需要遵循 Model License。", nil},
		{"Chinese tool after", "我们使用开源评测工具 OpenCompass 进行评测。", nil},
		{"Chinese wrapped comparison", "与最先进的开源多模态大语言模型相比，Tiny 更小。", nil},
		{"Chinese long model noun", "Tiny 是一个开源的、支持中英双语问答的对话语言模型。", []int{1}},
		{"Japanese", "Tiny はオープンソースモデルです。", []int{1}},
		{"Japanese library", "オープンソースのライブラリを使っています。", nil},
		{"Korean", "Tiny는 오픈소스 모델입니다.", []int{1}},
		{"Spanish", "Tiny es un modelo de código abierto.", []int{1}},
		{"Spanish community", "Gracias a la comunidad de código abierto.", nil},
		{"Spanish comparison", "Tiny supera a los modelos de código abierto.", nil},
		{"Portuguese", "Tiny é um modelo de código aberto.", []int{1}},
		{"German compound", "Tiny ist ein Open-Source-Modell für Rezepte.", []int{1}},
		{"German community", "Wir danken der Open-Source-Community.", nil},
		{"French", "Tiny est un modèle open source.", []int{1}},
		{"French community", "Merci à la communauté open source.", nil},
		{"Italian", "Tiny è un modello open source.", []int{1}},
		{"Russian", "Tiny — это модель с открытым исходным кодом.", []int{1}},
		{"French masculine", "Tiny est un modèle à code source ouvert.", []int{1}},
		{"Polish", "Tiny to otwartoźródłowy model językowy.", []int{1}},
		{"Arabic", "Tiny هو نموذج مفتوح المصدر.", []int{1}},
		{"Hindi", "Tiny एक ओपन सोर्स मॉडल है।", []int{1}},
		{"e-mail address", "Write to opensource@acme.org for questions.", nil},
		{"host name", "Details at opensource.acme.org and acme.org/opensource today.", nil},
		{"comparison later in sentence", "It scores higher than many open source and closed models.", nil},
		{"software", "We run it with llama.cpp, an open-source library for inference.", nil},
		{"software after adjectives", "Use our free and open source local GUI.", nil},
		{"community", "We thank the open-source community.", nil},
		{"data", "Safety tuning used open-source and in-house synthetic datasets.", nil},
		{"code subject", "The training code is open source.", nil},
		{"negation", "Tiny is not open source.", nil},
		{"negation by prefix", "Tiny is a non-open-source model.", nil},
		{"not the word", "We reopen sources daily and use opensourced-ish tools.", nil},
		{"code block", "```\nThis open-source model\n```", nil},
		{"HTML comment", "<!-- an open-source model -->", nil},
		{"table cell", "| Open-source model | Score |\n|---|---|\n| Tiny | 1 |", nil},
		{"link target is not prose", "See [docs](https://example.org/open-source-model).", nil},
		{"front matter is not prose", "---\nextra_gated_prompt: This open-source model needs a form.\n---\nHello.", nil},
		{"one claim per line", "Open-source Tiny, an open-source model.", []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Parse("README.md", []byte(tt.in))
			var got []int
			for _, cl := range c.Claims {
				if cl.Kind != ClaimOpenSource {
					t.Errorf("claim kind %q", cl.Kind)
				}
				got = append(got, cl.Line)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("claim lines mismatch (-want +got):\n%s\nclaims: %+v", diff, c.Claims)
			}
		})
	}
}

func TestClaimExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Tiny was trained with care on many recipes. ", 8)
	in := long + "Tiny is an open-source model for cooks. " + long
	c := Parse("README.md", []byte(in))
	if len(c.Claims) != 1 {
		t.Fatalf("got %d claims, want 1: %+v", len(c.Claims), c.Claims)
	}
	ex := c.Claims[0].Excerpt
	if n := utf8.RuneCountInString(ex); n > 160 {
		t.Errorf("excerpt has %d characters, want at most 160: %q", n, ex)
	}
	if !strings.Contains(ex, "Tiny is an open-source model for cooks.") || !strings.HasPrefix(ex, "…") || !strings.HasSuffix(ex, "…") {
		t.Errorf("excerpt %q does not centre on the claim or lacks ellipses", ex)
	}
	short := Parse("README.md", []byte("Tiny is open source."))
	if len(short.Claims) != 1 || short.Claims[0].Excerpt != "Tiny is open source." {
		t.Errorf("short claim = %+v, want the whole sentence", short.Claims)
	}
}

func TestFrontMatterLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		license  []string
		problems []wantProblem
	}{{
		name:     "a mapping with too many keys is not parsed",
		in:       "---\nlicense: mit\n" + strings.Repeat("k: v\n", maxKeysPerMapping) + "---\n# Body\n",
		problems: []wantProblem{{2, "more than 1000 keys"}},
	}, {
		name:    "key-like lines of a block scalar are not keys",
		in:      "---\nlicense: mit\nextra_gated_prompt: |\n" + strings.Repeat("  Term: agreed\n", maxKeysPerMapping+1) + "---\n",
		license: []string{"mit"},
	}, {
		name:    "key-like lines of a quoted string are not keys",
		in:      "---\nlicense: mit\nextra_gated_prompt: \"start\n" + strings.Repeat("  Term: agreed\n", maxKeysPerMapping+1) + "  end\"\n---\n",
		license: []string{"mit"},
	}, {
		name:     "deeply nested brackets are not parsed",
		in:       "---\nlicense: mit\ntags: " + strings.Repeat("[", 64) + "\n---\n",
		problems: []wantProblem{{3, "nest more than 64 deep"}},
	}, {
		name:     "deeply nested mappings are not parsed",
		in:       "---\nlicense: mit\n" + bombs.Indented(70) + "---\n",
		problems: []wantProblem{{67, "nest more than 64 deep"}},
	}, {
		name: "aliases that multiply are cut off",
		in: "---\nlicense: mit\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: [*d, *d, *d, *d, *d, *d, *d, *d]\n---\n",
		license:  []string{"mit"},
		problems: []wantProblem{{7, "e: aliases expand the document beyond 10000 values"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Parse("README.md", []byte(tt.in))
			if diff := cmp.Diff(tt.license, c.License, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("License mismatch (-want +got):\n%s", diff)
			}
			checkProblems(t, c.Problems, tt.problems)
		})
	}
}

func TestProblemsAreBounded(t *testing.T) {
	t.Parallel()
	c := Parse("README.md", []byte("---\n"+strings.Repeat("k: v\n", 500)+"---\n"))
	if len(c.Problems) != maxProblems+1 {
		t.Fatalf("got %d problems, want %d", len(c.Problems), maxProblems+1)
	}
	if last := c.Problems[maxProblems]; !strings.Contains(last.Message, "not listed") {
		t.Errorf("last problem = %+v, want a note that more were found", last)
	}
}

// TestTruncatedCard: a card cut by the reader's 1 MiB limit inside its front matter is reported
// as cut, not as a front matter that never closes.
func TestTruncatedCard(t *testing.T) {
	t.Parallel()
	data := []byte("---\nlicense: mit\nextra_gated_prompt: |\n")
	for len(data) < 1<<20 {
		data = append(data, "  I agree to the terms of use.\n"...)
	}
	data = data[:1<<20]
	cut := ParseWith("README.md", data, Options{Truncated: true})
	checkProblems(t, cut.Problems, []wantProblem{{1, "cut at 1 MiB before its front matter"}})
	whole := Parse("README.md", data)
	checkProblems(t, whole.Problems, []wantProblem{{1, "never closed"}})
	// A truncated card whose front matter closed is read as usual.
	ok := ParseWith("README.md", []byte("---\nlicense: mit\n---\n# Card\n"), Options{Truncated: true})
	if len(ok.Problems) != 0 || len(ok.License) != 1 {
		t.Errorf("closed front matter in a truncated card: problems %v, licence %v", ok.Problems, ok.License)
	}
}

// TestOwnPapers: an arXiv or DOI link is the model's own paper only when the card presents it
// so; cited references are not (issue 10 #3).
func TestOwnPapers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		names []string
		want  []string // ID:Own
	}{
		{"cited reference", "We use the optimiser of [Adam](https://arxiv.org/abs/1412.6980) and data from [Pile](https://arxiv.org/abs/2101.00027).", nil, nil},
		{"paper field", "- **Paper:** [Tiny: a model](https://arxiv.org/abs/2401.00001)\nWe use [Adam](https://arxiv.org/abs/1412.6980).", nil, []string{"2401.00001:" + OwnField}},
		{"badge", "[![arXiv](https://img.shields.io/badge/arXiv-2401.00002-b31b1b.svg)](https://arxiv.org/abs/2401.00002)", nil, []string{"2401.00002:" + OwnField}},
		{"technical report heading", "## Technical Report\n\nSee https://arxiv.org/abs/2401.00003 for details.\n\n## Training\n\nFollowing https://arxiv.org/abs/1706.03762.", nil, []string{"2401.00003:" + OwnHeading}},
		{"citation block", "## Citation\n\n```bibtex\n@article{tiny,\n  title={Tiny},\n  journal={arXiv preprint arXiv:2401.00004},\n}\n@article{llama,\n  title={Llama 2},\n  journal={arXiv:2307.09288},\n}\n```", nil, []string{"tiny:" + OwnCitation, "2401.00004:" + OwnCitation, "llama:" + OwnCitation, "2307.09288:" + OwnCitation}},
		{"references are cited", "## References\n\n- [Attention](https://arxiv.org/abs/1706.03762)", nil, nil},
		{"our paper", "The method is written up in our paper, [Small and Inspectable](https://doi.org/10.5555/tiny-2026).", nil, []string{"10.5555/tiny-2026:" + OwnWords}},
		{"title names the model", "Read the [Qwen2 Technical Report](https://arxiv.org/abs/2407.10671) and [Adam](https://arxiv.org/abs/1412.6980).", []string{"Qwen/Qwen2-7B-Instruct"}, []string{"2407.10671:" + OwnTitle}},
		{"arxiv tag", "---\ntags:\n- arxiv:2401.00005\n---\nText citing https://arxiv.org/abs/1412.6980.", nil, []string{"2401.00005:" + OwnTag}},
	}
	for _, tt := range tests {
		c := Parse("README.md", []byte(tt.in))
		var got []string
		for _, p := range c.OwnPapers(tt.names...) {
			got = append(got, p.ID+":"+p.Own)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestSectionsOf: sections by kind, with headings of any level, bold-line pseudo-headings and
// tables (issue 10 #7).
func TestSectionsOf(t *testing.T) {
	t.Parallel()
	in := "# Tiny\n\n" + // 1-2
		"**Training Data**\n\nRecipes from 1990 to 2020, 2B tokens.\n\n" + // 3-6
		"## Model Architecture\n\nA 12-layer decoder.\n\n" + // 7-10
		"#### Benchmarks\n\n| Task | Score |\n|---|---|\n| quiz | 1 |\n\n" + // 11-16
		"<h2>Intended Uses</h2>\n\nCooking.\n\n" + // 17-20
		"**Bias, Risks, and Limitations:**\n\nIt burns toast.\n\n" + // 21-24
		"## How to use\n\n```python\nload()\n```\n\n" + // 25-30
		"This line is **bold** inside a sentence.\n**Not a heading** after prose.\n" + // 31-32
		"\n**This bold line is a full sentence.**\n" // 33-35
	c := Parse("README.md", []byte(in))
	type got struct {
		Text           string
		Line, End, Tab int
		Pseudo         bool
	}
	want := map[string][]got{
		SectionArchitecture: {{"Model Architecture", 7, 16, 1, false}},
		SectionTrainingData: {{"Training Data", 3, 6, 0, true}},
		SectionEvaluation:   {{"Benchmarks", 11, 16, 1, false}},
		SectionUses:         {{"Intended Uses", 17, 24, 0, false}},
		SectionLimitations:  {{"Bias, Risks, and Limitations", 21, 24, 0, true}},
		SectionHowToUse:     {{"How to use", 25, 35, 0, false}},
	}
	for _, k := range SectionKinds {
		var g []got
		for _, s := range c.SectionsOf(k) {
			g = append(g, got{s.Heading.Text, s.Heading.Line, s.EndLine, s.Tables, s.Heading.Pseudo})
		}
		if diff := cmp.Diff(want[k], g); diff != "" {
			t.Errorf("%s sections (-want +got):\n%s", k, diff)
		}
	}
	if text := c.SectionsOf(SectionTrainingData)[0].Text; text != "Recipes from 1990 to 2020, 2B tokens." {
		t.Errorf("training data text = %q", text)
	}
	for _, tt := range []struct {
		heading string
		kinds   []string
	}{
		{"Uses and Limitations", []string{SectionUses, SectionLimitations}},
		{"Evaluation Data", []string{SectionEvaluation}},
		{"Use with transformers", nil},
		{"Terms of Use", nil},
		{"Pretraining", []string{SectionTrainingData}},
		{"2. Model Summary", []string{SectionArchitecture}},
	} {
		if got := KindsOf(Heading{Text: tt.heading}); !cmp.Equal(got, tt.kinds, cmpopts.EquateEmpty()) {
			t.Errorf("KindsOf(%q) = %v, want %v", tt.heading, got, tt.kinds)
		}
	}
}
