package evidence_test

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
)

// citesDefined checks that docs and publications cite evidence that Facts.Evidence defines,
// and returns the evidence by id.
func citesDefined(t *testing.T, f *evidence.Facts) map[string]evidence.Evidence {
	t.Helper()
	byID := map[string]evidence.Evidence{}
	for _, e := range f.Evidence {
		byID[e.ID] = e
	}
	for _, d := range f.Docs {
		for _, id := range d.Evidence {
			if _, ok := byID[id]; !ok {
				t.Errorf("doc %s at %s cites undefined %s", d.Topic, d.Location, id)
			}
		}
	}
	for _, p := range f.Publications {
		for _, id := range p.Evidence {
			if _, ok := byID[id]; !ok {
				t.Errorf("publication %s cites undefined %s", p.Ref, id)
			}
		}
	}
	return byID
}

func topics(f *evidence.Facts) string {
	var out []string
	for _, d := range f.Docs {
		out = append(out, d.Topic+"@"+d.Location)
	}
	return strings.Join(out, " ")
}

// The card helper puts the body on line 4 (no front matter).
func TestDocsTopics(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("We trained with AdamW, a cosine schedule and a warm-up of two thousand steps. ", 2)
	tests := []struct {
		name  string
		body  string
		files []spec
		want  string
	}{
		{"hardware section", "\n## Hardware\n\nTrained on a cluster of accelerators for three weeks.\n", nil, "hardware@README.md:5"},
		{"compute infrastructure section", "\n## Compute Infrastructure\n\nOur own cluster in Helsinki, water cooled.\n", nil, "hardware@README.md:5"},
		{"thin hardware section", "\n## Hardware\n\nGPUs.\n", nil, ""},
		{"gpu count line", "\nWe used 512 H100 for the run.\n", nil, "hardware@README.md:5"},
		{"gpu hours line", "\nIt took 1.3M GPU-hours.\n", nil, "hardware@README.md:5"},
		{"architecture section", "\n## Model architecture\n\nA decoder-only transformer with rotary embeddings.\n", nil, "architecture@README.md:5"},
		{"architecture table", "\n| parameter | value |\n|---|---|\n| Layers | 32 |\n", nil, "architecture@README.md:7"},
		{"architecture label only", "\n- Architecture: a one-block decoder.\n", nil, ""},
		{"training section", "\n## Training procedure\n\n" + long + "\n", nil, "training@README.md:5"},
		{"thin training section", "\n## Training\n\nOne epoch with LoRA.\n", nil, ""},
		{"tuning section", "\n## Fine-tuning\n\n" + long + "\n", nil, "tuning@README.md:5"},
		{"reproduction section", "\n## How to reproduce\n\n" + long + "\n", nil, "code@README.md:5"},
		{"docs folder", "", []spec{text("docs/training.md", "# Training\nRun it.\n")}, "code@docs/training.md"},
		{"guide", "", []spec{file("FINETUNING.md")}, "code@FINETUNING.md"},
		{"code folder readme", "", []spec{file("scripts/README.md")}, "code@scripts/README.md"},
		{"data card is not code docs", "", []spec{file("docs/DATA_CARD.md")}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rel := build(append([]spec{text("README.md", card("", tc.body))}, tc.files...)...)
			f := detect(t, rel)
			citesDefined(t, f)
			if got := topics(f); got != tc.want {
				t.Errorf("docs %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDocsEvidence(t *testing.T) {
	t.Parallel()
	f := detect(t, build(text("README.md", card("", "\n## Training hardware\n\nEight nodes of eight accelerators each.\n"))))
	byID := citesDefined(t, f)
	hw := f.DocsOn(evidence.TopicHardware)
	if len(hw) != 1 || len(hw[0].Evidence) != 1 {
		t.Fatalf("hardware docs %+v", hw)
	}
	e := byID[hw[0].Evidence[0]]
	if e.Location != "README.md:5" || e.Excerpt != "Training hardware" || e.Kind != "file" {
		t.Errorf("evidence %+v", e)
	}
	if got := f.DocsOn(evidence.TopicTuning); got != nil {
		t.Errorf("tuning docs %+v, want none", got)
	}
}

func TestPublications(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string // venue|ref pairs
	}{
		{"acl anthology link", "\nPublished at [ACL 2024](https://aclanthology.org/2024.acl-long.841/).\n", "ACL Anthology|https://aclanthology.org/2024.acl-long.841/"},
		{"neurips link", "\nSee https://proceedings.neurips.cc/paper/2023/hash/abc-Abstract.html\n", "NeurIPS|https://proceedings.neurips.cc/paper/2023/hash/abc-Abstract.html"},
		{"openreview link", "\n[paper](https://openreview.net/forum?id=2ezugTT9kU)\n", "OpenReview (ICLR, TMLR, COLM …)|https://openreview.net/forum?id=2ezugTT9kU"},
		{"acl doi", "\ndoi: 10.18653/v1/2023.acl-long.1\n", "ACL Anthology|doi:10.18653/v1/2023.acl-long.1"},
		{"bibtex inproceedings", "\n```bibtex\n@inproceedings{tiny2024,\n  title = {Tiny},\n  booktitle = {Proceedings of EMNLP 2024},\n  year = {2024}\n}\n```\n", "Proceedings of EMNLP 2024|tiny2024"},
		{"bibtex arxiv journal", "\n```bibtex\n@article{tiny2024,\n  title = {Tiny},\n  journal = {arXiv preprint arXiv:2401.00001},\n}\n```\n", ""},
		{"arxiv only", "\nPaper: https://arxiv.org/abs/2401.00001\n", ""},
		{"bare host", "\nhttps://openreview.net/\n", ""},
		{"badge image", "\n![badge](https://aclanthology.org/badge.svg)\n", ""},
		{"one paper twice", "\n[a](https://aclanthology.org/2024.acl-long.841/) and [b](https://aclanthology.org/2024.acl-long.841/)\n", "ACL Anthology|https://aclanthology.org/2024.acl-long.841/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(text("README.md", card("", tc.body))))
			citesDefined(t, f)
			var got []string
			for _, p := range f.Publications {
				got = append(got, p.Venue+"|"+p.Ref)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("publications %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCardStructureAsWritten: a labelled architecture statement is brief architecture
// documentation (a bare label is none), and an evaluation section whose tables are HTML counts
// as evaluation results.
func TestCardStructureAsWritten(t *testing.T) {
	t.Parallel()
	readme := "# M\n\n**Model Architecture:** M is an auto-regressive language model built on an optimised transformer with grouped-query attention.\n\n" +
		"## Benchmark scores\n\nWe report these scores.\n\n<table>\n<tr><td>MMLU</td><td>66.7</td></tr>\n</table>\n"
	f := detect(t, build(text("README.md", readme)))
	arch := f.DocsOn(evidence.TopicArchitecture)
	if len(arch) != 1 || !arch[0].Brief || arch[0].Location != "README.md:3" {
		t.Errorf("architecture docs %+v, want one brief statement at README.md:3", arch)
	}
	if c := f.Component(component.EvaluationResults); c.Status != evidence.Present || strings.Join(c.Locations, ",") != "README.md:5" {
		t.Errorf("evaluation results %s at %v, want present at README.md:5", c.Status, c.Locations)
	}
	f = detect(t, build(text("README.md", "# M\n\nArchitecture: decoder\n\n## Results\n\nGood.\n")))
	if arch := f.DocsOn(evidence.TopicArchitecture); len(arch) != 0 {
		t.Errorf("a bare label gave architecture docs %+v", arch)
	}
	if c := f.Component(component.EvaluationResults); c.Status == evidence.Present {
		t.Errorf("a results section without a table counted as evaluation results")
	}
}
