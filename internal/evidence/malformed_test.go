package evidence_test

import (
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/evidence"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// TestMalformedWeights: an empty or unparsable weights file is a medium malformed-weights
// finding naming the file and the defect, and is not "weights present"; a good file beside it
// still is.
func TestMalformedWeights(t *testing.T) {
	t.Parallel()
	empty := build(spec{path: "pytorch_model.bin", header: `{"path":"pytorch_model.bin","format":"unknown","safety":"suspicious"}`})
	empty.Files[0].Size = 0
	bad := spec{path: "model.safetensors", header: `{"path":"model.safetensors","format":"safetensors","parameters":40,"safety":"error","error":"tensor \"b\" data_offsets [4,12) run past the end of the file"}`}
	tests := []struct {
		name    string
		rel     *release.Release
		want    []string // finding message prefixes
		present bool
		params  int64
	}{
		{"empty", empty, []string{"pytorch_model.bin is not a readable unknown file: the file is empty (0 bytes)"}, false, 0},
		{"unparsable", build(bad), []string{`model.safetensors is not a readable safetensors file: tensor "b" data_offsets [4,12) run past the end`}, false, 0},
		{"beside a good file", build(bad, weights("model.fp16.safetensors", 10)), []string{"model.safetensors is not a readable safetensors file"}, true, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := detect(t, tt.rel)
			got := findings(f, "malformed-weights")
			if len(got) != len(tt.want) {
				t.Fatalf("malformed-weights findings = %+v, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if got[i].Severity != evidence.Medium || !strings.HasPrefix(got[i].Message, w) || len(got[i].Evidence) != 1 {
					t.Errorf("finding %+v, want medium, one evidence id, message starting %q", got[i], w)
				}
			}
			if c := f.Component(component.ModelParameters); (c.Status == evidence.Present) != tt.present {
				t.Errorf("model parameters %s, want present %v", c.Status, tt.present)
			}
			if f.Parameters != tt.params {
				t.Errorf("Parameters = %d, want %d", f.Parameters, tt.params)
			}
		})
	}
}

// TestUnfetchedHeaderIsNotMalformed: a header that could not be fetched (ReadError) is no
// finding and the file still counts as weights present, as one whose header was not read.
func TestUnfetchedHeaderIsNotMalformed(t *testing.T) {
	t.Parallel()
	f := detect(t, build(spec{path: "model.safetensors", header: `{"path":"model.safetensors","format":"safetensors","safety":"error","error":"header reading stopped at 1024 bytes","read_error":true}`}))
	if got := findings(f, "malformed-weights"); len(got) != 0 {
		t.Errorf("findings %+v, want none", got)
	}
	if c := f.Component(component.ModelParameters); c.Status != evidence.Present {
		t.Errorf("model parameters %s, want present", c.Status)
	}
}
