package evidence_test

import (
	"strings"
	"testing"
)

// TestCardCutAtLimit: a card the source cut at 1 MiB inside its front matter is reported as
// cut, not as a front matter that never closes (issue 11).
func TestCardCutAtLimit(t *testing.T) {
	t.Parallel()
	content := "---\nlicense: mit\nextra_gated_prompt: |\n" + strings.Repeat("  I agree to the terms.\n", 1<<16)
	content = content[:1<<20]
	rel := build(text("README.md", content))
	rel.Texts[0].Truncated = true
	f := detect(t, rel)
	var msgs []string
	for _, x := range f.Findings {
		if x.ID == "card-unparseable" {
			msgs = append(msgs, x.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "cut at 1 MiB") || strings.Contains(msgs[0], "never closed") {
		t.Errorf("card-unparseable findings %q, want one saying the card was cut at 1 MiB", msgs)
	}
}
