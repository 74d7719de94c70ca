package artifact

import (
	"strings"
	"testing"
)

func TestClipMetadata(t *testing.T) {
	f := &Facts{Metadata: map[string]string{"a": strings.Repeat("x", MaxMetaValue+10), "b": "short"}}
	for i := range 40 {
		f.Metadata["pad"+string(rune('A'+i))] = strings.Repeat("y", 10<<10)
	}
	f.ClipMetadata()
	if got := f.Metadata["a"]; len(got) != MaxMetaValue+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long value kept %d bytes, want %d and an ellipsis", len(got), MaxMetaValue)
	}
	total := 0
	for k, v := range f.Metadata {
		total += len(k) + len(v)
	}
	if total > MaxMetaTotal || f.Metadata["b"] != "short" {
		t.Errorf("kept %d bytes (cap %d), b = %q", total, MaxMetaTotal, f.Metadata["b"])
	}
	(&Facts{}).ClipMetadata() // no metadata: nothing to do, no panic
}
