package mof

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/component"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/google/go-cmp/cmp"
)

func TestParseRecord(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want *Record
	}{
		{
			name: "full",
			in: `framework:
  name: 'Model Openness Framework'
  version: '1.0'
release:
  name: Amber
  version: 7B
  date: '2025-05-22'
  type: language
  architecture: 'transformer decoder'
  origin: Amber
  producer: LLM360
  contact: ''
  repository: 'https://github.com/LLM360/amber-train'
  huggingface: 'https://huggingface.co/LLM360/Amber'
  license:
    distribution:
      name: Apache-2.0
      path: ''
    code:
      name: MIT
      path: 'https://example.com/LICENSE-CODE'
  components:
    -
      name: 'Model architecture'
      description: "Well commented code for the model's architecture"
    -
      name: Datasets
      description: 'Training data'
      component_path: 'https://example.com/data'
      license: MIT
      license_path: 'https://example.com/LICENSE'
`,
			want: &Record{
				Name: "Amber", Version: "7B", Producer: "LLM360", Date: "2025-05-22", Type: "language",
				Architecture: "transformer decoder", Origin: "Amber",
				Repository: "https://github.com/LLM360/amber-train", HuggingFace: "https://huggingface.co/LLM360/Amber",
				Licenses: GlobalLicenses{
					Distribution: GlobalLicense{Name: "Apache-2.0"},
					Code:         GlobalLicense{Name: "MIT", Path: "https://example.com/LICENSE-CODE"},
				},
				Components: []RecordComponent{
					{Name: "Model architecture", Description: "Well commented code for the model's architecture"},
					{Name: "Datasets", Description: "Training data", Path: "https://example.com/data",
						License: "MIT", LicenseDeclared: true, LicensePath: "https://example.com/LICENSE"},
				},
			},
		},
		{
			name: "empty licence mapping",
			in:   "release:\n  name: X\n  license: {}\n  components:\n  - name: Datasets\n",
			want: &Record{Name: "X", Components: []RecordComponent{{Name: "Datasets"}}},
		},
		{
			name: "null licence mapping and spaced braces",
			in:   "release:\n  name: X\n  license: {  }\n",
			want: &Record{Name: "X"},
		},
		{
			name: "licence key without value",
			in:   "release:\n  name: X\n  license:\n",
			want: &Record{Name: "X"},
		},
		{
			name: "anchors and aliases",
			in:   "release:\n  name: &n Falcon\n  origin: *n\n",
			want: &Record{Name: "Falcon", Origin: "Falcon"},
		},
		{
			name: "numbers and dates read as text",
			in:   "release:\n  name: 42\n  version: 1.0\n  date: 2024-11-15\n  producer: true\n",
			want: &Record{Name: "42", Version: "1.0", Date: "2024-11-15", Producer: "true"},
		},
		{
			name: "component licences: absent, empty, null, unlicensed",
			in: `release:
  name: X
  components:
  - name: A
  - name: B
    license: ''
  - name: C
    license:
  - name: D
    license: unlicensed
  -
`,
			want: &Record{Name: "X", Components: []RecordComponent{
				{Name: "A"},
				{Name: "B", LicenseDeclared: true},
				{Name: "C"}, // null is no value: the key counts as absent
				{Name: "D", License: "unlicensed", LicenseDeclared: true},
			}},
		},
		{
			name: "unknown keys are ignored",
			in:   "release:\n  name: X\n  extra: {a: [1, 2]}\n  license:\n    other: {name: MIT}\nclassification: {class: 1}\n",
			want: &Record{Name: "X"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRecord([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseRecord: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseRecord mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRecordErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"empty", "", "no release mapping"},
		{"no release", "framework:\n  name: MOF\n", "no release mapping"},
		{"release null", "release:\n", "no release mapping"},
		{"unclosed sequence", "release: [\n", "sequence end token ']' not found"},
		{"top-level list", "- a\n- b\n", "parsing MOT record"},
		{"release is a list", "release:\n  - name: X\n", "parsing MOT record"},
		{"name is a list", "release:\n  name: [a, b]\n", "[2:9] want a single value, found a list"},
		{"component licence is a mapping", "release:\n  components:\n  - name: Datasets\n    license: {name: MIT}\n", "[4:14] want a single value, found a mapping"},
		{"licence is text", "release:\n  license: MIT\n", "parsing MOT record"},
		{"duplicate key", "release:\n  name: A\n  name: B\n", "already defined"},
		{"tab indentation", "release:\n\tname: X\n", "parsing MOT record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, err := ParseRecord([]byte(tt.in))
			if err == nil {
				t.Fatalf("ParseRecord = %+v, want an error", rec)
			}
			if rec != nil {
				t.Errorf("ParseRecord returned a record with error %v", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "parsing MOT record: ") {
				t.Errorf("error %q does not say what failed", err)
			}
		})
	}
}

func TestGlobalLicensesForType(t *testing.T) {
	t.Parallel()
	g := GlobalLicenses{
		Distribution: GlobalLicense{Name: "D"}, Code: GlobalLicense{Name: "C"},
		Data: GlobalLicense{Name: "A"}, Document: GlobalLicense{Name: "O"},
	}
	for typ, want := range map[component.Type]string{component.Code: "C", component.Data: "A", component.Document: "O", "other": ""} {
		if got := g.ForType(typ).Name; got != want {
			t.Errorf("ForType(%q) = %q, want %q", typ, got, want)
		}
	}
}

// FuzzParseRecord feeds arbitrary bytes to the parser and, when they parse, to every mode: none
// may panic, and every result must stay within the MOF's ranges.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("release:\n  name: X\n  license: {}\n  components:\n  - name: Datasets\n    license: MIT\n"))
	f.Add([]byte("release:\n  license:\n    distribution: {name: Apache 2.0 OR MIT}\n  components:\n  - name: Research paper\n"))
	f.Add([]byte("release: [\n"))
	f.Add([]byte("release:\n  components:\n  - name: Model card\n    license: ((MIT AND\n"))
	if files, err := filepath.Glob(filepath.Join(fuzzSeedDir(), "*.yml")); err == nil {
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	cat := license.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ParseRecord(data)
		if err != nil {
			if rec != nil {
				t.Fatalf("record and error both returned: %v", err)
			}
			return
		}
		for _, res := range []Result{MOT(rec), Glassbox(FromRecord(rec, cat))} {
			if res.Class < 0 || res.Class > 3 || res.Label != Label(res.Class) {
				t.Fatalf("class %d label %q", res.Class, res.Label)
			}
			if len(res.Components) != len(component.All) {
				t.Fatalf("%d components", len(res.Components))
			}
			for c := 1; c <= 3; c++ {
				if p, ok := res.Progress[c]; !ok || p < 0 || p > 100 {
					t.Fatalf("progress of class %d = %v (present %v)", c, p, ok)
				}
			}
		}
		Compare(rec, cat)
	})
}

// fuzzSeedDir is the reference tool's fixture folder, or "" when this checkout lacks it; the
// fuzz test then runs on its inline seeds only.
func fuzzSeedDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "eval", "mot", "fixtures")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
