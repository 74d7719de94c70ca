package license

import "testing"

func TestKnownFamily(t *testing.T) {
	t.Parallel()
	cat := Default()
	for name, want := range map[string]string{
		"Llama 2": "llama2", "Llama-2": "llama2", "llama2": "llama2", "LLaMA 3.1": "llama3.1", "Llama-3.2": "llama3.2",
		"Bloom": "bigscience-bloom-rail-1.0", "BLOOMZ": "bigscience-bloom-rail-1.0", "Gemma 2": "gemma", "CodeGemma": "gemma",
		"Qwen3": "apache-2.0", "Qwen2.5": "", "Mistral": "", "recommendation": "", "": "",
	} {
		e, ok := cat.KnownFamily(name)
		got := ""
		if ok {
			got = e.Key
		}
		if got != want {
			t.Errorf("KnownFamily(%q) = %q, want %q", name, got, want)
		}
	}
}
