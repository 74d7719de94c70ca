package links

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/card"
)

func TestParseGitHub(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		ok   bool
		want Repo
	}{
		{"https://github.com/acme/trainer", true, Repo{Owner: "acme", Name: "trainer"}},
		{"https://github.com/acme/trainer.git", true, Repo{Owner: "acme", Name: "trainer"}},
		{"github.com/acme/trainer", true, Repo{Owner: "acme", Name: "trainer"}},
		{"https://www.github.com/acme/trainer/tree/v1.2/scripts/train", true, Repo{Owner: "acme", Name: "trainer", Ref: "v1.2", Path: "scripts/train"}},
		{"https://github.com/acme/trainer/blob/main/train.py", true, Repo{Owner: "acme", Name: "trainer", Ref: "main"}},
		{"https://github.com/acme/trainer/issues/3", true, Repo{Owner: "acme", Name: "trainer"}},
		{"https://github.com/acme", false, Repo{}},
		{"https://github.com/features/copilot", false, Repo{}},
		{"https://github.com/sponsors/acme", false, Repo{}},
		{"https://gitlab.com/acme/trainer", false, Repo{}},
		{"https://github.com.evil.example/acme/trainer", false, Repo{}},
		{"ftp://github.com/acme/trainer", false, Repo{}},
		{"https://github.com/acme/../etc", false, Repo{}},
		{"https://github.com/acme/tr%20ainer", false, Repo{}},
		{"https://github.com/acme/trainer/tree/main/../../x", false, Repo{}},
	}
	for _, tt := range tests {
		got, ok := ParseGitHub(tt.in)
		if ok != tt.ok {
			t.Errorf("ParseGitHub(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		got.URL = ""
		if diff := cmp.Diff(tt.want, got); ok && diff != "" {
			t.Errorf("ParseGitHub(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseHFDataset(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://huggingface.co/datasets/acme/pile-mini":                   "acme/pile-mini",
		"https://hf.co/datasets/acme/pile-mini/tree/main/data":             "acme/pile-mini",
		"https://huggingface.co/datasets/acme/pile-mini/blob/main/READ.md": "acme/pile-mini",
		"https://huggingface.co/acme/model":                                "",
		"https://huggingface.co/datasets/acme":                             "",
		"https://example.com/datasets/acme/x":                              "",
	} {
		got, ok := ParseHFDataset(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseHFDataset(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

const cardText = `---
license: apache-2.0
license_link: https://github.com/acme/legal/blob/main/LICENSE
repository: https://github.com/acme/tiny-core
---
# Tiny

## Model Details
- Core repo (training, inference, fine-tuning): https://github.com/acme/tiny-core
- Evaluation code: [acme/tiny-eval](https://github.com/acme/tiny-eval)
- We thank the authors of https://github.com/someone/helper for their work.
- Run it with [transformers](https://github.com/huggingface/transformers).

## Data processing

https://github.com/acme/tiny-data

## Training data
The model was trained on [mini pile](https://huggingface.co/datasets/acme/pile-mini) and
[again](https://huggingface.co/datasets/acme/pile-mini/tree/main).
See the paper https://arxiv.org/abs/2401.01234v2.

![badge](https://github.com/acme/badge-repo/raw/main/b.svg)

` + "```sh\ngit clone https://github.com/acme/tiny-core\npip install git+https://github.com/acme/toolbox\n```\n"

func TestExtract(t *testing.T) {
	t.Parallel()
	got := Extract(card.Parse("README.md", []byte(cardText)))
	type short struct {
		ID    string
		Line  int
		Field string
		Roles []string
		Own   bool
	}
	var repos []short
	for _, r := range got.Repos {
		repos = append(repos, short{r.ID(), r.Line, r.Field, r.Roles, r.Own})
	}
	want := []short{
		{"github.com/acme/tiny-core", 4, "repository", []string{Training, Inference}, true},
		{"github.com/acme/tiny-eval", 10, "", []string{Evaluation}, true},
		{"github.com/someone/helper", 11, "", nil, false},
		{"github.com/huggingface/transformers", 12, "", []string{Libraries}, false},
		{"github.com/acme/tiny-data", 16, "", []string{DataProcessing}, true},
		{"github.com/acme/toolbox", 27, "", nil, false},
	}
	if diff := cmp.Diff(want, repos); diff != "" {
		t.Errorf("repos (-want +got):\n%s", diff)
	}
	if len(got.Datasets) != 1 || got.Datasets[0].ID != "acme/pile-mini" || got.Datasets[0].Line != 19 {
		t.Errorf("datasets = %+v, want one acme/pile-mini at line 19", got.Datasets)
	}
	if len(got.Papers) != 1 || got.Papers[0].Kind != "arxiv" || got.Papers[0].ID != "2401.01234" {
		t.Errorf("papers = %+v, want arXiv 2401.01234", got.Papers)
	}
}

func TestOwnCode(t *testing.T) {
	t.Parallel()
	for line, want := range map[string]bool{
		"Training was done using [JAX](https://github.com/acme/jx) and our own cloud.":                   false,
		"It achieves 57.3 pass@1 on the [HumanEval Benchmarks](https://github.com/acme/he).":             false,
		"- [Data Preparation](https://github.com/acme/data-prep)":                                        true,
		"- [Training Code](https://github.com/acme/train)":                                               true,
		"The code here is under the [Apache-2.0](https://github.com/acme/x/blob/main/LICENSE) licence.":  false,
		"It uses the LLM codebase found in the [foundry repository](https://github.com/acme/foundry).":   true,
		"Served efficiently with [FastServe](https://github.com/acme/fastserve).":                        false,
		"Resources: [GitHub](https://github.com/acme/model), [paper](https://arxiv.org/abs/2401.01234).": true,
		"Built on [base](https://github.com/acme/base), evaluation code included.":                       false,
		"| [Extreme Summaries - Train](https://github.com/acme/xsum) | en | 204,045 |":                   false,
		"- [Evaluation](https://github.com/acme/evals)":                                                  true,
	} {
		l := Extract(card.Parse("README.md", []byte("# m\n\n"+line+"\n")))
		if len(l.Repos) != 1 || l.Repos[0].Own != want {
			t.Errorf("%q: repos %+v, want one with Own %v", line, l.Repos, want)
		}
	}
}

func TestMergeKeepsTheOwnLink(t *testing.T) {
	t.Parallel()
	c := card.Parse("README.md", []byte("# m\n\n<a href=\"https://github.com/acme/m/blob/main/LICENSE\">licence</a>\n\n"+
		"- Core repo (training): https://github.com/acme/m/tree/dev\n- [Evaluation](https://github.com/acme/m)\n"))
	got := Extract(c).Repos
	if len(got) != 1 || got[0].Ref != "dev" || got[0].Line != 5 || !got[0].Own || strings.Join(got[0].Roles, ",") != "training,evaluation" {
		t.Errorf("repos = %+v, want one own link at line 5, ref dev, training and evaluation", got)
	}
}

func TestRolesIn(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"Core repo (training, inference, fine-tuning)": {Training, Inference},
		"Pre-training and evaluation scripts":          {Training, Evaluation},
		"Data preprocessing pipeline":                  {DataProcessing},
		"Modeling code":                                {Architecture},
		"Homepage":                                     nil,
		"a constrained trainee":                        nil,
	} {
		if diff := cmp.Diff(want, RolesIn(in)); diff != "" {
			t.Errorf("RolesIn(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestFrontMatterRolesFromWordsNotNames(t *testing.T) {
	t.Parallel()
	c := card.Parse("README.md", []byte("---\nhomepage: https://github.com/acme/tiny-trainer\ntraining_code: github.com/acme/other\n---\n# m\n"))
	got := Extract(c).Repos
	if len(got) != 2 || got[0].Own || got[0].Roles != nil || !got[1].Own || strings.Join(got[1].Roles, ",") != "training" {
		t.Errorf("repos = %+v; a URL's own words give no role, a field's name does", got)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(cardText))
	f.Add([]byte("---\nrepo: [github.com/a/b, {x: github.com/c/d}]\n---\nhttps://github.com/e/f/tree/x/y"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := Extract(card.Parse("README.md", data))
		for _, r := range l.Repos {
			if !validName(r.Owner) || !validName(r.Name) {
				t.Fatalf("invalid repository %q accepted", r.ID())
			}
		}
		for _, d := range l.Datasets {
			if _, ok := ParseHFDataset(d.URL); !ok {
				t.Fatalf("dataset %q from an unparsable URL", d.URL)
			}
		}
	})
}
