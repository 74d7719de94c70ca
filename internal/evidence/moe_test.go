package evidence_test

import (
	"testing"
)

func TestMixtureOfExpertsActiveParameters(t *testing.T) {
	t.Parallel()
	const layout = `{"num_local_experts": 4, "num_experts_per_tok": 1, "hidden_size": 4, "num_hidden_layers": 2, "intermediate_size": 8}`
	tests := []struct {
		name   string
		specs  []spec
		active int64
		source string
		moe    bool
	}{
		{"from the card", []spec{text("README.md", "# M\n\nA mixture of experts with 671B total parameters and 37B activated for each token.\n"), text("config.json", `{"n_routed_experts": 256, "num_experts_per_tok": 8}`), weights("model.safetensors", 1000)}, 37e9, "card", true},
		{"from a label", []spec{text("README.md", "# M\n\n| Active params | 17B |\n\nActive parameters: 17B\n"), text("config.json", `{"num_experts": 16, "num_experts_per_tok": 1}`), weights("model.safetensors", 1000)}, 17e9, "card", true},
		{"from the config layout", []spec{text("config.json", layout), weights("model.safetensors", 1000)}, 424, "config", true},
		{"layout larger than the weights", []spec{text("config.json", layout), weights("model.safetensors", 100)}, 0, "", true},
		{"dense model", []spec{text("config.json", `{"hidden_size": 4, "num_hidden_layers": 2}`), weights("model.safetensors", 1000)}, 0, "", false},
		{"one expert is no mixture", []spec{text("config.json", `{"num_experts": 1, "num_experts_per_tok": 1}`), weights("model.safetensors", 1000)}, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, build(tt.specs...))
			if (f.MoE != nil) != tt.moe {
				t.Fatalf("MoE %+v, want a mixture: %v", f.MoE, tt.moe)
			}
			if f.MoE == nil {
				return
			}
			if f.MoE.Active != tt.active || f.MoE.Source != tt.source {
				t.Errorf("active %d from %q, want %d from %q", f.MoE.Active, f.MoE.Source, tt.active, tt.source)
			}
			if len(f.MoE.Evidence) == 0 {
				t.Error("no evidence for the expert layout")
			}
		})
	}
}
