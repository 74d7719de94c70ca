package githubtest

import (
	"testing"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// apacheNotice is our own short licence notice; glassbox identifies it by its SPDX line.
const apacheNotice = "SPDX-License-Identifier: Apache-2.0\n\nThis repository is licensed under the Apache License, Version 2.0.\n"

// Fixtures are the fake API's repositories: an Apache-2.0 training repository (trainer, model
// code, data preparation, configs), an Apache-2.0 evaluation harness, a training repository
// without any licence, and a model released on GitHub itself.
func Fixtures() []*Repo {
	return []*Repo{
		{Owner: "acme", Name: "tiny-trainer", License: "Apache-2.0", Files: map[string]string{
			"LICENSE":                   apacheNotice,
			"README.md":                 "# tiny-trainer\n\nPre-training and fine-tuning code for acme/tiny-open.\n",
			"pyproject.toml":            "[project]\nname = \"tiny-trainer\"\n",
			"scripts/train.py":          "from tiny.trainer import main\nmain()\n",
			"tiny/trainer.py":           "def main():\n    pass\n",
			"tiny/modeling_tiny.py":     "class TinyModel:\n    pass\n",
			"tiny/data/prepare_data.py": "def prepare():\n    pass\n",
			"configs/pretrain.yaml":     "lr: 0.001\n",
		}},
		{Owner: "acme", Name: "tiny-evals", License: "Apache-2.0", Files: map[string]string{
			"LICENSE":            apacheNotice,
			"README.md":          "# tiny-evals\n\nThe evaluation harness for acme/tiny-open.\n",
			"evals/run_eval.py":  "def run():\n    pass\n",
			"evals/tasks/qa.py":  "TASK = 'qa'\n",
			"requirements.txt":   "numpy\n",
			"tests/test_eval.py": "def test():\n    pass\n",
		}},
		{Owner: "acme", Name: "closed-trainer", License: "", Files: map[string]string{
			"README.md":        "# closed-trainer\n\nTraining code. No licence is granted.\nModel code: https://github.com/acme/gh-model\n",
			"scripts/train.py": "print('train')\n",
		}},
		{Owner: "acme", Name: "gh-model", License: "Apache-2.0", Files: map[string]string{
			"LICENSE": apacheNotice,
			"README.md": "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# gh-model\n\nA small model published on GitHub, with its training code.\n\n" +
				"- Code: https://github.com/acme/gh-model\n- Evaluation code: https://github.com/acme/tiny-evals\n",
			"train.py":          "print('train')\n",
			"inference.py":      "print('infer')\n",
			"model.safetensors": "not real weights: a stand-in\n",
		}},
	}
}

// TrainingData is a card section that describes training data as Data Information asks:
// named sources, size and scope, how the data was obtained and selected, how it was filtered.
const TrainingData = `## Training data

tiny-open was pre-trained on acme/open-corpus (2.1 billion tokens of English web text and
public-domain books, collected from the Common Crawl snapshots of 2024 and from Project
Gutenberg). Pages were selected by a language classifier (English score above 0.8) and a
quality classifier trained on reference articles; books were selected by publication date
before 1929. Processing removed exact and near duplicates (MinHash, 5-grams, Jaccard 0.8),
personal data (emails, phone numbers, IP addresses) and boilerplate, and filtered documents
shorter than 50 words. The data preparation scripts are in the training repository.
`

// HubRelease is a Hub model whose card links the training and evaluation repositories of
// Fixtures, with an open dataset and a training-data description; Closed links the unlicensed
// training repository instead. Both come with the dataset they name.
func HubRelease(tb testing.TB) []*hubtest.Repo {
	tb.Helper()
	weights := hubtest.SafetensorsFile(tb, map[string]string{"format": "pt"})
	model := func(id, body string) *hubtest.Repo {
		front := "license: apache-2.0\nlibrary_name: transformers\ndatasets:\n- acme/open-corpus\n"
		return &hubtest.Repo{Kind: hubtest.KindModel, ID: id, SHA: hubtest.Commit(id), Info: map[string]any{
			"cardData":     map[string]any{"license": "apache-2.0", "library_name": "transformers", "datasets": []string{"acme/open-corpus"}},
			"config":       map[string]any{"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama"},
			"library_name": "transformers",
			"safetensors":  map[string]any{"parameters": map[string]int64{"F32": 256}, "total": 256},
		}, Files: map[string]hubtest.File{
			"README.md":         hubtest.Card(front, body),
			"LICENSE":           hubtest.Text(apacheNotice),
			"config.json":       hubtest.Text(`{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}`),
			"model.safetensors": {Data: weights, LFS: true},
		}}
	}
	corpus := &hubtest.Repo{Kind: hubtest.KindDataset, ID: "acme/open-corpus", SHA: hubtest.Commit("acme/open-corpus"),
		Info:  map[string]any{"cardData": map[string]any{"license": "cc-by-4.0"}, "tags": []string{"license:cc-by-4.0"}},
		Files: map[string]hubtest.File{"README.md": hubtest.Card("license: cc-by-4.0\n", "# open-corpus")}}
	open := model("acme/tiny-open", "# tiny-open\n\n"+
		"- Core repo (training, fine-tuning): https://github.com/acme/tiny-trainer\n"+
		"- Evaluation code: [tiny-evals](https://github.com/acme/tiny-evals)\n\n"+TrainingData)
	closed := model("acme/tiny-closed-code", "# tiny-closed-code\n\n"+
		"- Training code: https://github.com/acme/closed-trainer\n\n"+TrainingData)
	return []*hubtest.Repo{open, closed, corpus}
}
