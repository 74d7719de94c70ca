package release_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/release"
)

const oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"

func sample() *release.Release {
	return &release.Release{
		Target: "./tiny", Name: "tiny", Revision: "sha256:0123456789abcdef", Complete: true,
		Files: []release.File{
			{Path: "model.safetensors", Size: 1 << 20, Header: json.RawMessage(`{"path":"model.safetensors","format":"safetensors","parameters":1000,"safety":"safe"}`)},
			{Path: "README.md", Size: 12, SHA256: strings.Repeat("ab", 32)},
			{Path: "pytorch_model.bin", Size: 130, LFS: &release.LFS{OID: oid, Size: 5 << 20}, Gated: true},
		},
		Texts: []release.Text{
			{Path: "README.md", Content: "# Tiny\nHi.\n"},
			{Path: "LICENSE", Content: "terms", Truncated: true},
		},
		Notes: []string{"inventory capped at 3 files"},
	}
}

// compactJSON compares raw JSON by value: Marshal indents headers.
var compactJSON = cmp.Comparer(func(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
})

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rel  *release.Release
	}{
		{"full", sample()},
		{"empty", &release.Release{}},
		{"hub and lineage", &release.Release{Target: "hf:acme/tiny", Name: "acme/tiny", Revision: "abc", Complete: true,
			Hub: &release.HubInfo{Kind: "model", ID: "acme/tiny", SHA: "abc", Gated: "manual", Tags: []string{"license:mit"},
				CardData: json.RawMessage(`{"base_model":"acme/base"}`), Parameters: map[string]int64{"BF16": 10}, ParametersTotal: 10,
				BaseModels: []string{"acme/base"}, BaseModelRelation: "finetune"},
			Parents:  []*release.Release{{Schema: release.Schema, Target: "hf:acme/base", Name: "acme/base", Notes: []string{"base model could not be read"}}},
			Datasets: []*release.Release{{Schema: release.Schema, Target: "hf:datasets/acme/mix", Name: "acme/mix", Files: []release.File{{Path: "README.md", Size: 3}}}},
		}},
		{"incomplete without texts", &release.Release{Target: "hf:acme/tiny", Files: []release.File{{Path: "a", Size: 1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := tt.rel.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := release.Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			if back.Schema != release.Schema {
				t.Errorf("Schema = %q, want %q", back.Schema, release.Schema)
			}
			if diff := cmp.Diff(tt.rel, back, compactJSON); diff != "" {
				t.Errorf("round trip (-before +after):\n%s", diff)
			}
			again, err := back.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, again) {
				t.Errorf("second Marshal differs:\n%s\n---\n%s", data, again)
			}
		})
	}
}

func TestMarshalSorts(t *testing.T) {
	t.Parallel()
	rel := sample()
	if _, err := rel.Marshal(); err != nil {
		t.Fatal(err)
	}
	var files, texts []string
	for _, f := range rel.Files {
		files = append(files, f.Path)
	}
	for _, x := range rel.Texts {
		texts = append(texts, x.Path)
	}
	if diff := cmp.Diff([]string{"README.md", "model.safetensors", "pytorch_model.bin"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"LICENSE", "README.md"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}

func TestUnmarshalRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
	}{
		{"not JSON", "hello", "not a glassbox snapshot"},
		{"other schema", `{"schema": "glassbox.report/v1"}`, `schema "glassbox.report/v1", want "glassbox.release/v1"`},
		{"no schema", `{"files": []}`, `schema ""`},
		{"wrong types", `{"schema": "glassbox.release/v1", "files": "many"}`, "not a glassbox snapshot"},
		{"empty", "", "not a glassbox snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rel, err := release.Unmarshal([]byte(tt.data))
			if err == nil || rel != nil {
				t.Fatalf("Unmarshal = %v, %v; want an error", rel, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestLookups(t *testing.T) {
	t.Parallel()
	rel := sample()
	rel.Sort()
	if f, ok := rel.File("pytorch_model.bin"); !ok || f.LFS == nil || f.LFS.OID != oid {
		t.Errorf("File(pytorch_model.bin) = %+v, %v", f, ok)
	}
	if _, ok := rel.File("missing"); ok {
		t.Errorf("File(missing) found")
	}
	if x, ok := rel.Text("LICENSE"); !ok || !x.Truncated || x.Content != "terms" {
		t.Errorf("Text(LICENSE) = %+v, %v", x, ok)
	}
	if _, ok := rel.Text("model.safetensors"); ok {
		t.Errorf("Text(model.safetensors) found; weights are never texts")
	}
	var empty release.Release
	if _, ok := empty.File("a"); ok {
		t.Errorf("zero Release has a file")
	}
}

func TestIsWeights(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"model.safetensors": true, "sub/model-00001-of-00002.safetensors": true, "tiny.Q4_K_M.gguf": true,
		"pytorch_model.bin": true, "model.pt": true, "model.pth": true, "model.ckpt": true, "model.onnx": true,
		"tf_model.h5": true, "flax_model.msgpack": true, "model.nemo": true, "MODEL.SAFETENSORS": true,
		"training_args.bin": false, "vocab.bin": false, "tokenizer.bin": false, "sub/Vocab.BIN": false,
		"model.safetensors.index.json": false, "config.json": false, "README.md": false, "weights": false,
	}
	for p, want := range tests {
		if got := release.IsWeights(p); got != want {
			t.Errorf("IsWeights(%q) = %v, want %v", p, got, want)
		}
	}
}

// FuzzUnmarshal: Unmarshal must never panic, and what it accepts must survive Marshal.
func FuzzUnmarshal(f *testing.F) {
	seed, _ := sample().Marshal()
	f.Add(seed)
	f.Add([]byte(`{"schema":"glassbox.release/v1"}`))
	f.Add([]byte(`{"schema":"glassbox.release/v1","files":[{"path":"b"},{"path":"a","lfs":{"oid":"x","size":-1}}],"texts":null}`))
	f.Add([]byte(`{"schema":"glassbox.release/v1","files":[{"path":"a","header":{"x":[1,2,{"y":null}]}}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rel, err := release.Unmarshal(data)
		if err != nil {
			if rel != nil {
				t.Fatalf("Unmarshal returned a release and an error %v", err)
			}
			return
		}
		for i := 1; i < len(rel.Files); i++ {
			if rel.Files[i-1].Path > rel.Files[i].Path {
				t.Fatalf("files not sorted: %q before %q", rel.Files[i-1].Path, rel.Files[i].Path)
			}
		}
		out, err := rel.Marshal()
		if err != nil {
			t.Fatalf("Marshal of an accepted snapshot: %v", err)
		}
		if _, err := release.Unmarshal(out); err != nil {
			t.Fatalf("re-reading a marshalled snapshot: %v", err)
		}
	})
}

func TestIsKeyText(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"README.md": true, "LICENSE": true, "sub/LICENSE-MODEL.txt": true, "USE_POLICY.md": true,
		"SHA256SUMS": true, "licence": true, "model.py": false, "config.json": false, "docs/intro.md": false,
	} {
		if got := release.IsKeyText(p); got != want {
			t.Errorf("IsKeyText(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestFailedReadsRoundTrip(t *testing.T) {
	t.Parallel()
	r := &release.Release{Target: "hf:acme/x", Name: "acme/x", Revision: "r", Complete: false,
		FailedReads: []release.FailedRead{{Path: "README.md", Error: "HTTP 500"}}}
	data, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"complete": false`) || !strings.Contains(string(data), `"failed_reads": [`) {
		t.Errorf("snapshot:\n%s", data)
	}
	back, err := release.Unmarshal(data)
	if err != nil || len(back.FailedReads) != 1 || back.FailedReads[0] != r.FailedReads[0] {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
