package evidence_test

import (
	"testing"

	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/release"
)

func TestParseTrainingTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want int64 // 0: no statement
	}{
		{"Tiny-7B was trained on 4 trillion tokens of web text and code.", 4e12},
		{"We pretrained the model on 2T tokens.", 2e12},
		{"Pre-trained on 15T+ tokens from publicly available sources.", 15e12},
		{"The base model saw 1.5 trillion tokens during pretraining.", 1.5e12},
		{"Trained on a 4T-token corpus of English and German.", 4e12},
		{"Training used 2,000,000,000,000 tokens.", 2e12},
		{"It was trained for roughly 300B tokens.", 300e9},
		{"Our corpus contains 850 billion tokens after deduplication.", 850e9},
		{"We trained on 1.4T tokens (3 epochs over 466B tokens).", 1.4e12},
		{"Trained with a batch size of 4M tokens for 500B tokens in total.", 500e9},
		{"Trained on 2T tokens with a context length of 4096 tokens.", 2e12},
		{"The model was trained on 3T tokens. It supports a context window of 1M tokens.", 3e12},
		{"1.2T tokens of training data, mostly English.", 1.2e12},
		{"Tiny was trained on ~2.5T training tokens.", 2.5e12},
		{"Trained on 600M tokens of dialogue.", 600e6},

		// Not training token counts.
		{"A tokenizer with 32k tokens.", 0},
		{"Use max 4096 tokens context.", 0},
		{"The model supports a context window of 1M tokens.", 0},
		{"Trained with a 1M-token context window.", 0},
		{"Context length: 128000 tokens", 0},
		{"Generates up to 2M tokens per second on eight GPUs.", 0},
		{"The vocabulary has 256,000 tokens.", 0},
		{"Set max_new_tokens to 512 tokens.", 0},
		{"A 7B model with 2T parameters.", 0},
		{"Llama 3.1 supports 128K tokens.", 0},
		{"Handles 10 million tokens of input in one prompt.", 0},
		{"Version 1.5 tokens", 0},
		{"Trained on 2T bytes.", 0},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			got, ok := evidence.ParseTrainingTokens(tt.line)
			if got != tt.want || ok != (tt.want != 0) {
				t.Errorf("ParseTrainingTokens(%q) = %d, %v; want %d, %v", tt.line, got, ok, tt.want, tt.want != 0)
			}
		})
	}
}

func FuzzTrainingTokens(f *testing.F) {
	for _, s := range []string{
		"trained on 2 trillion tokens", "15T+ tokens", "max 4096 tokens context", "a 4T-token corpus",
		"2,000,000,000,000 tokens", "1.5e12 tokens", "9999999999999999999999T tokens", "~ 3 bn tokens. 4T tokens; context 1M tokens",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := evidence.ParseTrainingTokens(s)
		if ok != (n > 0) {
			t.Errorf("ParseTrainingTokens(%q) = %d, %v: ok must mean a positive count", s, n, ok)
		}
		if n != 0 && (n < 1e6 || n > 1e16) {
			t.Errorf("ParseTrainingTokens(%q) = %d, outside the plausible range", s, n)
		}
		// The detector reads cards, so a card made of the line must not panic either.
		evidence.Detect(build(text("README.md", "| Training tokens | x |\n|---|---|\n| "+s+" | "+s+" |\n"+s+"\n")), nil)
	})
}

func TestTrainingTokensDetector(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		specs    []spec
		want     int64
		location string // of the cited evidence
		excerpt  string
	}{
		{
			name:     "prose",
			specs:    []spec{text("README.md", card("license: mit", "\n## Training\n\nThe model was trained on 2 trillion tokens of public text.\n"))},
			want:     2e12,
			location: "README.md:10",
			excerpt:  "The model was trained on 2 trillion tokens of public text.",
		},
		{
			name:     "key-value table",
			specs:    []spec{text("README.md", card("", "\n| Property | Value |\n|---|---|\n| Parameters | 7B |\n| Training tokens | 4T |\n| Context length | 8192 tokens |\n"))},
			want:     4e12,
			location: "README.md:8",
			excerpt:  "| Training tokens | 4T |",
		},
		{
			name:     "column table with one row",
			specs:    []spec{text("README.md", card("", "\n| Params | Layers | Tokens |\n| --- | --- | --- |\n| 1B | 16 | 2.5T |\n"))},
			want:     2.5e12,
			location: "README.md:7",
			excerpt:  "| 1B | 16 | 2.5T |",
		},
		{
			name:  "comparison table names other models",
			specs: []spec{text("README.md", card("", "\n| Model | Tokens |\n| --- | --- |\n| Ours | 2T |\n| Theirs | 15T |\n"))},
			want:  0,
		},
		{
			name:     "list label",
			specs:    []spec{text("README.md", card("", "\n- **Training tokens:** 1.2T\n- **Context:** 4096 tokens\n"))},
			want:     1.2e12,
			location: "README.md:5",
			excerpt:  "- **Training tokens:** 1.2T",
		},
		{
			name:     "front matter wins over prose",
			specs:    []spec{text("README.md", card("license: mit\ntraining_tokens: 3000000000000", "\nTrained on 2T tokens.\n"))},
			want:     3e12,
			location: "README.md:3",
			excerpt:  "training_tokens: 3T",
		},
		{
			name:     "front matter string",
			specs:    []spec{text("README.md", card("training_tokens: 2.5T", ""))},
			want:     2.5e12,
			location: "README.md:2",
			excerpt:  "training_tokens: 2.5T",
		},
		{
			name:     "config.json",
			specs:    []spec{text("config.json", "{\n  \"model_type\": \"tiny\",\n  \"training_tokens\": 1000000000000\n}\n")},
			want:     1e12,
			location: "config.json:3",
			excerpt:  "\"training_tokens\": 1000000000000",
		},
		{
			name:  "code blocks are not claims",
			specs: []spec{text("README.md", card("", "\n```python\n# trained on 9T tokens\nmodel.generate(max_new_tokens=256)\n```\n"))},
			want:  0,
		},
		{
			name:  "context and vocabulary only",
			specs: []spec{text("README.md", card("", "\nA tokenizer with 32k tokens. Use max 4096 tokens context.\n"))},
			want:  0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.specs...))
			if f.TrainingTokens != tt.want {
				t.Fatalf("TrainingTokens = %d, want %d", f.TrainingTokens, tt.want)
			}
			if tt.want == 0 {
				if len(f.TrainingTokensEvidence) != 0 {
					t.Errorf("TrainingTokensEvidence = %v, want none", f.TrainingTokensEvidence)
				}
				return
			}
			if len(f.TrainingTokensEvidence) != 1 {
				t.Fatalf("TrainingTokensEvidence = %v, want one id", f.TrainingTokensEvidence)
			}
			e := evidenceByID(f, f.TrainingTokensEvidence[0])
			if e.Location != tt.location || e.Excerpt != tt.excerpt {
				t.Errorf("evidence at %q %q, want %q %q", e.Location, e.Excerpt, tt.location, tt.excerpt)
			}
		})
	}
}

func TestUsageDetector(t *testing.T) {
	t.Parallel()
	const para = "Use it to draft short replies in English; it is not meant for medical or legal advice.\n"
	type hit struct{ Kind, Heading, Location string }
	tests := []struct {
		name string
		card string
		want []hit
	}{
		{
			name: "hub template sections",
			card: card("pipeline_tag: text-generation", "\n## Uses\n\n"+para+"\n### Direct Use\n\n"+para+"\n## Bias, Risks, and Limitations\n\n"+para+"\n## How to Get Started with the Model\n\n"+para),
			want: []hit{
				{evidence.UsageUses, "Uses", "README.md:8"},
				{evidence.UsageUses, "Direct Use", "README.md:12"},
				{evidence.UsageHowTo, "How to Get Started with the Model", "README.md:20"},
				{evidence.UsageLimitations, "Bias, Risks, and Limitations", "README.md:16"},
				{evidence.UsageModalities, "pipeline_tag: text-generation", "README.md:2"},
			},
		},
		{
			name: "usage, intended use, inputs and outputs",
			card: card("", "\n## Intended Use\n\n"+para+"\n## Usage\n\n"+para+"\n## Inputs and outputs\n\n"+para),
			want: []hit{
				{evidence.UsageUses, "Intended Use", "README.md:5"},
				{evidence.UsageHowTo, "Usage", "README.md:9"},
				{evidence.UsageModalities, "Inputs and outputs", "README.md:13"},
			},
		},
		{
			name: "unfilled template sections do not count",
			card: card("", "\n## Uses\n\n<!-- Address questions around how the model is intended to be used -->\n\n### Direct Use\n\n[More Information Needed]\n\n## Limitations\n\nTBD\n"),
		},
		{
			name: "licence and policy headings are not usage",
			card: card("", "\n## License and Terms of Use\n\n"+para+"\n## Acceptable Use Policy\n\n"+para),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(text("README.md", tt.card)))
			var got []hit
			for _, u := range f.Usage {
				if len(u.Evidence) != 1 {
					t.Fatalf("%s cites %v, want one id", u.Heading, u.Evidence)
				}
				got = append(got, hit{u.Kind, u.Heading, evidenceByID(f, u.Evidence[0]).Location})
			}
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAccessDetector(t *testing.T) {
	t.Parallel()
	gatedCard := card("extra_gated_fields:\n  First Name: text\n  Country: country\n  I accept the terms: checkbox", "")
	tests := []struct {
		name    string
		hub     *release.HubInfo
		card    string
		want    evidence.Access
		evCount int
	}{
		{"local copy", nil, card("", ""), evidence.Access{}, 0},
		{"public on the hub", &release.HubInfo{ID: "org/tiny"}, card("", ""), evidence.Access{Hub: true}, 1},
		{"manual approval", &release.HubInfo{ID: "org/tiny", Gated: "manual"}, gatedCard, evidence.Access{Hub: true, Gate: "manual", Form: []string{"First Name", "Country", "I accept the terms"}}, 2},
		{"card form only", nil, gatedCard, evidence.Access{Form: []string{"First Name", "Country", "I accept the terms"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rel := build(text("README.md", tt.card))
			rel.Hub = tt.hub
			f := detect(t, rel)
			got := f.Access
			if len(got.Evidence) != tt.evCount {
				t.Errorf("evidence %v, want %d ids", got.Evidence, tt.evCount)
			}
			got.Evidence = nil
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("Access (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHumanTokens(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{4e12: "4T", 1.5e12: "1.5T", 300e9: "300B", 600e6: "600M"} {
		if got := evidence.HumanTokens(n); got != want {
			t.Errorf("HumanTokens(%d) = %q, want %q", n, got, want)
		}
	}
}

func evidenceByID(f *evidence.Facts, id string) evidence.Evidence {
	for _, e := range f.Evidence {
		if e.ID == id {
			return e
		}
	}
	return evidence.Evidence{}
}
