package evidence_test

import (
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
)

const modelIndex = "model-index:\n- name: tiny\n  results:\n  - task:\n      type: text-generation\n" +
	"    dataset:\n      name: Quiz\n      type: acme/quiz\n    metrics:\n    - type: accuracy\n      value: 51.2"

// longSection is a section body long enough to count as documentation of its heading.
const longSection = "We gathered forum posts and public-domain books, removed duplicates and short pages, " +
	"filtered out personal data with a list of patterns, and kept English text only. The mix is " +
	"sixty parts books to forty parts forum posts, about two billion tokens in all.\n"

// TestComponentsPresent has, for each of the 17 MOF components, releases that show it.
func TestComponentsPresent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []spec
		id    component.ID
		loc   string // the first location expected
		want  evidence.Status
	}{
		// 9 Model architecture
		{"architecture in modeling file", []spec{file("modeling_x.py")}, component.ModelArchitecture, "modeling_x.py", evidence.Present},
		{"architecture in models folder", []spec{file("src/models/block.py")}, component.ModelArchitecture, "src/models/block.py", evidence.Present},
		{"architecture from config model_type", []spec{text("config.json", `{"model_type": "tiny", "architectures": ["TinyForCausalLM"]}`)}, component.ModelArchitecture, "library:transformers", evidence.Present},
		{"architecture from card library_name", []spec{text("README.md", card("library_name: transformers", ""))}, component.ModelArchitecture, "library:transformers", evidence.Present},
		// 10 Model parameters (Final)
		{"safetensors weights", []spec{weights("model.safetensors", 1000)}, component.ModelParameters, "model.safetensors", evidence.Present},
		{"LFS pointer weights", []spec{pointer("model.safetensors")}, component.ModelParameters, "model.safetensors", evidence.Present},
		{"pytorch bin weights", []spec{file("pytorch_model.bin")}, component.ModelParameters, "pytorch_model.bin", evidence.Present},
		{"sharded index", []spec{file("model.safetensors.index.json")}, component.ModelParameters, "model.safetensors.index.json", evidence.Present},
		{"gated weights", []spec{{path: "model.safetensors", gated: true}}, component.ModelParameters, "model.safetensors", evidence.Gated},
		// 11 Technical report
		{"card links arXiv as technical report", []spec{text("README.md", card("", "Read the [technical report](https://arxiv.org/abs/2401.00001) for details.\n"))}, component.TechnicalReport, "arXiv:2401.00001", evidence.Present},
		{"technical report PDF", []spec{file("docs/technical_report.pdf")}, component.TechnicalReport, "docs/technical_report.pdf", evidence.Present},
		// 12 Evaluation results
		{"card model-index", []spec{text("README.md", card(modelIndex, ""))}, component.EvaluationResults, "README.md:2", evidence.Present},
		{"results file", []spec{file("eval_results.json")}, component.EvaluationResults, "eval_results.json", evidence.Present},
		{"card results table", []spec{text("README.md", card("", "## Evaluation\n\n| task | score |\n|---|---|\n| quiz | 51.2 |\n"))}, component.EvaluationResults, "README.md:4", evidence.Present},
		// 13 Model card
		{"README with prose", []spec{text("README.md", card("license: mit", ""))}, component.ModelCard, "README.md", evidence.Present},
		{"MODEL_CARD.md", []spec{text("MODEL_CARD.md", card("", ""))}, component.ModelCard, "MODEL_CARD.md", evidence.Present},
		// 14 Data card
		{"DATA_CARD.md", []spec{file("DATA_CARD.md")}, component.DataCard, "DATA_CARD.md", evidence.Present},
		{"datasheet in docs", []spec{file("docs/datasheet.pdf")}, component.DataCard, "docs/datasheet.pdf", evidence.Present},
		{"card training data section", []spec{text("README.md", card("", "## Training data\n\n"+longSection))}, component.DataCard, "README.md:4", evidence.Present},
		// 20 Sample model outputs
		{"samples folder", []spec{file("samples/out.png")}, component.SampleOutputs, "samples/out.png", evidence.Present},
		{"card sample outputs section", []spec{text("README.md", card("", "## Sample outputs\n\nPrompt: hello. Reply: hello to you too.\n"))}, component.SampleOutputs, "README.md:4", evidence.Present},
		// 7 Training code
		{"train.py", []spec{file("train.py")}, component.TrainingCode, "train.py", evidence.Present},
		{"LoRA fine-tuning script", []spec{file("scripts/finetune_lora.py")}, component.TrainingCode, "scripts/finetune_lora.py", evidence.Present},
		{"training folder", []spec{file("training/loop.py")}, component.TrainingCode, "training/loop.py", evidence.Present},
		// 8 Inference code
		{"inference.py", []spec{file("inference.py")}, component.InferenceCode, "inference.py", evidence.Present},
		{"examples folder", []spec{file("examples/chat_cli.py")}, component.InferenceCode, "examples/chat_cli.py", evidence.Present},
		{"inference by config's library", []spec{text("config.json", `{"model_type": "tiny"}`)}, component.InferenceCode, "library:transformers", evidence.Present},
		{"inference by GGUF format", []spec{{path: "tiny.Q4_0.gguf", header: `{"path":"tiny.Q4_0.gguf","format":"gguf","parameters":1000,"safety":"safe","architecture":"llama"}`}}, component.InferenceCode, "library:llama.cpp", evidence.Present},
		// 18 Evaluation code
		{"eval script", []spec{file("eval/run_eval.py")}, component.EvaluationCode, "eval/run_eval.py", evidence.Present},
		{"benchmark script", []spec{file("benchmark.py")}, component.EvaluationCode, "benchmark.py", evidence.Present},
		// 19 Evaluation data
		{"eval jsonl", []spec{file("eval/test.jsonl")}, component.EvaluationData, "eval/test.jsonl", evidence.Present},
		{"model-index dataset", []spec{text("README.md", card(modelIndex, ""))}, component.EvaluationData, "hf:datasets/acme/quiz", evidence.Present},
		// 22 Supporting libraries and tools
		{"tokenizer.json", []spec{file("tokenizer.json")}, component.SupportingLibraries, "tokenizer.json", evidence.Present},
		{"requirements.txt", []spec{file("requirements.txt")}, component.SupportingLibraries, "requirements.txt", evidence.Present},
		// 15 Datasets
		{"parquet in data folder", []spec{file("data/train.parquet")}, component.Datasets, "data/train.parquet", evidence.Present},
		{"card datasets", []spec{text("README.md", card("datasets:\n- acme/corpus", ""))}, component.Datasets, "hf:datasets/acme/corpus", evidence.Present},
		// 16 Data preprocessing code
		{"prepare script in data folder", []spec{file("data/prepare.py")}, component.DataPreprocessingCode, "data/prepare.py", evidence.Present},
		{"preprocess script", []spec{file("scripts/preprocess_text.py")}, component.DataPreprocessingCode, "scripts/preprocess_text.py", evidence.Present},
		{"dedup script", []spec{file("dedup.py")}, component.DataPreprocessingCode, "dedup.py", evidence.Present},
		// 21 Research paper
		{"card DOI", []spec{text("README.md", card("", "Cite our paper: https://doi.org/10.5555/tiny.2024\n"))}, component.ResearchPaper, "doi:10.5555/tiny.2024", evidence.Present},
		{"card arXiv paper", []spec{text("README.md", card("", "Our paper: https://arxiv.org/abs/2401.00002\n"))}, component.ResearchPaper, "arXiv:2401.00002", evidence.Present},
		{"paper PDF", []spec{file("paper.pdf")}, component.ResearchPaper, "paper.pdf", evidence.Present},
		// 24 Model parameters (Intermediate)
		{"checkpoint folder", []spec{weights("checkpoints/step-100/model.safetensors", 1000)}, component.IntermediateParameters, "checkpoints/step-100/model.safetensors", evidence.Present},
		{"card mentions intermediate checkpoints", []spec{text("README.md", card("", "We publish intermediate checkpoints every 1000 steps.\n"))}, component.IntermediateParameters, "README.md:4", evidence.Present},
		// 17 Model metadata
		{"config.json", []spec{file("config.json")}, component.ModelMetadata, "config.json", evidence.Present},
		{"generation_config.json", []spec{file("generation_config.json")}, component.ModelMetadata, "generation_config.json", evidence.Present},
		{"GGUF header", []spec{{path: "tiny.gguf", header: `{"path":"tiny.gguf","format":"gguf","parameters":1000,"safety":"safe"}`}}, component.ModelMetadata, "tiny.gguf#header", evidence.Present},
	}
	seen := map[component.ID]bool{}
	for _, tt := range tests {
		seen[tt.id] = true
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			c := f.Component(tt.id)
			if c.Status != tt.want {
				t.Fatalf("%s: status %q, want %q (locations %v)", c.Name, c.Status, tt.want, c.Locations)
			}
			if len(c.Locations) == 0 || c.Locations[0] != tt.loc {
				t.Errorf("%s: locations %v, want first %q", c.Name, c.Locations, tt.loc)
			}
			if len(c.Evidence) == 0 {
				t.Errorf("%s: no evidence", c.Name)
			}
		})
	}
	for _, info := range component.All {
		if !seen[info.ID] {
			t.Errorf("no positive case for component %d %s", info.ID, info.Name)
		}
	}
}

// TestComponentsAbsent has releases that look close to a component but do not hold it.
func TestComponentsAbsent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []spec
		id    component.ID
	}{
		{"training args are not weights", []spec{file("training_args.bin")}, component.ModelParameters},
		{"vocabulary is not weights", []spec{file("vocab.bin")}, component.ModelParameters},
		{"tokenizer bin is not weights", []spec{file("tokenizer.bin")}, component.ModelParameters},
		{"only intermediate checkpoints", []spec{weights("checkpoints/step-100/model.safetensors", 1000)}, component.ModelParameters},
		{"final weights are not intermediate", []spec{weights("model.safetensors", 1000)}, component.IntermediateParameters},
		{"one-line README is not a card", []spec{text("README.md", "# tiny\n")}, component.ModelCard},
		{"front matter only is not a card", []spec{text("README.md", "---\nlicense: mit\n---\n")}, component.ModelCard},
		{"short training data section", []spec{text("README.md", card("", "## Training data\n\nBooks.\n"))}, component.DataCard},
		{"evaluation heading without a table", []spec{text("README.md", card("", "## Evaluation\n\nIt does well on our quiz, better than we hoped it would.\n"))}, component.EvaluationResults},
		{"arXiv paper is not a technical report", []spec{text("README.md", card("", "Our paper: https://arxiv.org/abs/2401.00002\n"))}, component.TechnicalReport},
		{"technical report PDF is not a research paper", []spec{file("docs/technical_report.pdf")}, component.ResearchPaper},
		{"code in samples is not sample output", []spec{file("samples/generate.py")}, component.SampleOutputs},
		{"test split is not training data", []spec{file("data/test.parquet")}, component.Datasets},
		{"text named train is not code", []spec{file("train.txt")}, component.TrainingCode},
		{"docs in models folder are not architecture", []spec{file("models/README.md")}, component.ModelArchitecture},
		{"weights do not make inference code", []spec{weights("model.safetensors", 1000)}, component.InferenceCode},
		{"README is not metadata", []spec{text("README.md", card("license: mit", ""))}, component.ModelMetadata},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			c := f.Component(tt.id)
			if c.Status != evidence.Absent {
				t.Errorf("%s: status %q at %v, want absent", c.Name, c.Status, c.Locations)
			}
			if c.License != "" || c.Open {
				t.Errorf("%s: absent component has licence %q (open %v)", c.Name, c.License, c.Open)
			}
		})
	}
}

// TestArtifacts checks the weights inventory: formats, intermediate checkpoints, shards summed,
// and safety for files glassbox could not look inside.
func TestArtifacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		files  []spec
		want   []evidence.Artifact // Evidence is not compared
		params int64
	}{
		{
			name:   "header read",
			files:  []spec{weights("model.safetensors", 1000)},
			want:   []evidence.Artifact{{Path: "model.safetensors", Format: "safetensors", Parameters: 1000, Safety: "safe", Size: 10}},
			params: 1000,
		},
		{
			name:  "LFS pointer of safetensors",
			files: []spec{pointer("model.safetensors")},
			want:  []evidence.Artifact{{Path: "model.safetensors", Format: "lfs-pointer", Safety: "safe", LFS: true, SHA256: lfsOID, Size: 1 << 20}},
		},
		{
			name:  "LFS pointer of a pickle",
			files: []spec{pointer("pytorch_model.bin")},
			want:  []evidence.Artifact{{Path: "pytorch_model.bin", Format: "lfs-pointer", Safety: "suspicious", LFS: true, SHA256: lfsOID, Size: 1 << 20}},
		},
		{
			name:  "pickle never looked inside",
			files: []spec{file("pytorch_model.bin")},
			want:  []evidence.Artifact{{Path: "pytorch_model.bin", Format: "unknown", Safety: "suspicious", Size: 10}},
		},
		{
			name:  "safetensors never looked inside",
			files: []spec{file("model.safetensors")},
			want:  []evidence.Artifact{{Path: "model.safetensors", Format: "safetensors", Safety: "safe", Size: 10}},
		},
		{
			name:  "intermediate checkpoint",
			files: []spec{weights("checkpoints/step-100/model.safetensors", 1000), weights("model.safetensors", 1000)},
			want: []evidence.Artifact{
				{Path: "checkpoints/step-100/model.safetensors", Format: "safetensors", Parameters: 1000, Safety: "safe", Intermediate: true, Size: 10},
				{Path: "model.safetensors", Format: "safetensors", Parameters: 1000, Safety: "safe", Size: 10},
			},
			params: 1000,
		},
		{
			name:  "shards add up, copies do not",
			files: []spec{weights("model-00001-of-00002.safetensors", 600), weights("model-00002-of-00002.safetensors", 400), weights("fp16/model.safetensors", 1000)},
			want: []evidence.Artifact{
				{Path: "fp16/model.safetensors", Format: "safetensors", Parameters: 1000, Safety: "safe", Size: 10},
				{Path: "model-00001-of-00002.safetensors", Format: "safetensors", Parameters: 600, Safety: "safe", Size: 10},
				{Path: "model-00002-of-00002.safetensors", Format: "safetensors", Parameters: 400, Safety: "safe", Size: 10},
			},
			params: 1000,
		},
		{
			name:  "not weights",
			files: []spec{file("training_args.bin"), file("vocab.bin"), file("tokenizer.json")},
			want:  []evidence.Artifact{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.files...))
			got := make([]evidence.Artifact, 0, len(f.Artifacts))
			for _, a := range f.Artifacts {
				if len(a.Evidence) != 1 {
					t.Errorf("%s: evidence %v, want one id", a.Path, a.Evidence)
				}
				a.Evidence = nil
				got = append(got, a)
			}
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("artifacts (-want +got):\n%s", diff)
			}
			if f.Parameters != tt.params {
				t.Errorf("Parameters = %d, want %d", f.Parameters, tt.params)
			}
		})
	}
}

func TestUnsafePickleFinding(t *testing.T) {
	t.Parallel()
	f := detect(t, build(spec{path: "pytorch_model.bin", header: `{"path":"pytorch_model.bin","format":"pickle","safety":"dangerous"}`}))
	got := findings(f, "unsafe-pickle")
	if len(got) != 1 || got[0].Severity != evidence.High {
		t.Fatalf("unsafe-pickle findings = %+v, want one high", got)
	}
	if want := f.Artifacts[0].Evidence; len(got[0].Evidence) != 1 || got[0].Evidence[0] != want[0] {
		t.Errorf("finding cites %v, want the artifact's %v", got[0].Evidence, want)
	}
}

func TestHumanParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1K"}, {1500, "1.5K"}, {350_000_000, "350M"},
		{7_241_732_096, "7.2B"}, {70_000_000_000, "70B"},
	}
	for _, tt := range tests {
		if got := evidence.HumanParams(tt.n); got != tt.want {
			t.Errorf("HumanParams(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
