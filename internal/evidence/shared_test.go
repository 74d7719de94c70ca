package evidence_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedFile reads a file of ../shared/eval, skipping the test with a clear message when the
// shared evaluation data is absent.
func sharedFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "eval", filepath.FromSlash(rel))
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		t.Skipf("skipping: %s is absent (the shared evaluation data sits beside the repository)", p)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestLicenceWithAppendedPolicy: a LICENSE that carries the use policy after the agreement, as
// real Llama repositories ship it, is one licence plus a policy, not a second, conflicting licence.
func TestLicenceWithAppendedPolicy(t *testing.T) {
	t.Parallel()
	lic := sharedFile(t, "licenses/in-the-wild/meta-llama__llama-models__models_llama3_1_LICENSE")
	aup := sharedFile(t, "licenses/in-the-wild/meta-llama__llama-models__models_llama3_1_USE_POLICY.md")
	f := detect(t, build(text("README.md", card("license: llama3.1", "# M\n\nA model.\n")), text("LICENSE", lic+"\n\n"+aup), weights("model.safetensors", 10)))
	if got := findings(f, "license-mismatch"); len(got) != 0 {
		t.Errorf("unexpected mismatch: %+v", got)
	}
	policy := false
	for _, l := range f.Licenses {
		if l.Scope == "policy" && l.Source == "file" {
			policy = true
		}
	}
	if !policy || f.Weights.Open {
		t.Errorf("policy licence found=%v, weights open=%v; want the appended policy recorded and binding the weights", policy, f.Weights.Open)
	}
}
