package artifact

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// evalPath finds ../shared/eval/<sub> relative to the module root, the place the project
// keeps real-world data it must not copy.
func evalPath(sub string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory, so ../shared/eval cannot be located")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "eval", sub)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("evaluation data not found at %s: %w", p, err)
	}
	return p, nil
}

// evalDir is evalPath for tests, which skip when the data is absent.
func evalDir(t testing.TB, sub string) string {
	t.Helper()
	p, err := evalPath(sub)
	if err != nil {
		t.Skip(err)
	}
	return p
}

// readFile runs Read on a file on disk.
func readFile(t testing.TB, path string) (*Facts, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Read(filepath.Base(path), f, st.Size())
}

// expectedFiles lists the expected/*.json files of an eval folder by the file they describe.
func expectedFiles(t *testing.T, dir string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "expected", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".json"))
	}
	return names
}

func loadJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestEvalSafetensors(t *testing.T) {
	dir := evalDir(t, "safetensors")
	type tensor struct {
		DType       string   `json:"dtype"`
		Shape       []int64  `json:"shape"`
		DataOffsets [2]int64 `json:"data_offsets"`
		Numel       int64    `json:"numel"`
	}
	type expected struct {
		SizeBytes       int64             `json:"size_bytes"`
		HeaderLength    uint64            `json:"header_length"`
		Metadata        map[string]string `json:"__metadata__"`
		DataBufferBytes int64             `json:"data_buffer_bytes"`
		TensorCount     int               `json:"tensor_count"`
		PerDType        map[string]int64  `json:"parameters_per_dtype"`
		TotalParameters int64             `json:"total_parameters"`
		Tensors         map[string]tensor `json:"tensors"`
		Valid           bool              `json:"valid"`
	}
	names := expectedFiles(t, dir)
	checked := 0
	for _, name := range names {
		var want expected
		loadJSON(t, filepath.Join(dir, "expected", name+".json"), &want)
		path := filepath.Join(dir, "files", name)
		got, err := readFile(t, path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checked++
		if !want.Valid {
			t.Errorf("%s: expected file marks it invalid; the test assumes valid samples", name)
		}
		if got.Format != FormatSafetensors || got.Safety != SafetySafe {
			t.Errorf("%s: format %q safety %q, want safetensors safe", name, got.Format, got.Safety)
		}
		if got.Parameters != want.TotalParameters || got.Tensors != want.TensorCount || got.TensorBytes != want.DataBufferBytes || got.Size != want.SizeBytes {
			t.Errorf("%s: parameters %d tensors %d data %d size %d, want %d %d %d %d", name,
				got.Parameters, got.Tensors, got.TensorBytes, got.Size,
				want.TotalParameters, want.TensorCount, want.DataBufferBytes, want.SizeBytes)
		}
		if !reflect.DeepEqual(got.DTypes, want.PerDType) {
			t.Errorf("%s: dtypes %v, want %v", name, got.DTypes, want.PerDType)
		}
		if !reflect.DeepEqual(got.Metadata, want.Metadata) {
			t.Errorf("%s: metadata %v, want %v", name, got.Metadata, want.Metadata)
		}

		// The tensor entries themselves, through the internal parser.
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := parseSafetensors(f, want.SizeBytes)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.HeaderLen != want.HeaderLength {
			t.Errorf("%s: header length %d, want %d", name, h.HeaderLen, want.HeaderLength)
		}
		gotTensors := map[string]tensor{}
		for _, tt := range h.Tensors {
			gotTensors[tt.Name] = tensor{tt.DType, tt.Shape, [2]int64{tt.Begin, tt.End}, tt.Numel}
		}
		if !reflect.DeepEqual(gotTensors, want.Tensors) {
			t.Errorf("%s: tensors\n got %v\nwant %v", name, gotTensors, want.Tensors)
		}
	}
	if checked != len(names) || checked < 7 {
		t.Errorf("checked %d safetensors files against %d expected results; want all, and at least 7", checked, len(names))
	}
	t.Logf("checked %d safetensors files", checked)
}

func TestEvalSafetensorsMalformed(t *testing.T) {
	dir := filepath.Join(evalDir(t, "safetensors"), "malformed")
	// What each error must mention, by file name; files added later need only fail.
	reasons := map[string]string{
		"01-truncated-data.safetensors":             "run past the end of the file",
		"02-header-length-exceeds-file.safetensors": "header length 1000000 exceeds file size 88",
		"03-header-not-json.safetensors":            "not valid JSON",
		"04-overlapping-offsets.safetensors":        `tensors "w" [0,24) and "b" [16,40) overlap`,
		"06-duplicate-keys.safetensors":             `duplicate tensor name "w"`,
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		got, err := readFile(t, path)
		if strings.HasSuffix(e.Name(), ".ref") {
			// The valid file the broken ones derive from.
			if err != nil || got.Parameters != 12 || got.Metadata["format"] != "pt" {
				t.Errorf("%s: %v, %+v; want a valid file of 12 parameters", e.Name(), err, got)
			}
			continue
		}
		checked++
		if err == nil {
			t.Errorf("%s: read without error: %+v", e.Name(), got)
			continue
		}
		if got.Safety != SafetyError || got.Error != err.Error() || got.Format != FormatSafetensors {
			t.Errorf("%s: facts %+v do not record the error", e.Name(), got)
		}
		if want, ok := reasons[e.Name()]; ok && !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q does not say %q", e.Name(), err, want)
		}
		t.Logf("%s: %v", e.Name(), err)
	}
	if checked < len(reasons) {
		t.Errorf("checked %d malformed files, want at least %d", checked, len(reasons))
	}
}

// ggufExpected is the shape of gguf/expected/<file>.json.
type ggufExpected struct {
	SizeBytes        int64    `json:"size_bytes"`
	Version          uint32   `json:"version"`
	TensorCount      uint64   `json:"tensor_count"`
	KVCount          uint64   `json:"kv_count"`
	TensorDataOffset int64    `json:"tensor_data_offset"`
	ParameterCount   int64    `json:"parameter_count"`
	KeyOrder         []string `json:"metadata_key_order"`
	Metadata         map[string]struct {
		Type    string            `json:"type"`
		SubType string            `json:"subType"`
		Value   json.RawMessage   `json:"value"`
		Length  uint64            `json:"length"`
		First3  []json.RawMessage `json:"first3"`
		Values  []json.RawMessage `json:"values"`
	} `json:"metadata"`
	DTypeCounts map[string]int `json:"tensor_dtype_counts"`
	TensorInfos []struct {
		Name   string   `json:"name"`
		NDims  int      `json:"n_dims"`
		Shape  []uint64 `json:"shape"`
		DType  string   `json:"dtype"`
		Offset uint64   `json:"offset"`
	} `json:"tensor_infos"`
}

// matchGGUFValue compares a parsed scalar with the oracle's JSON for it. The oracle writes
// 64-bit integers as strings and 32-bit floats widened to float64.
func matchGGUFValue(got any, typ string, want json.RawMessage) error {
	var ok bool
	switch typ {
	case "STRING":
		var s string
		ok = json.Unmarshal(want, &s) == nil && got == s
	case "FLOAT32":
		f, isF := got.(float32)
		w, err := strconv.ParseFloat(string(want), 64)
		ok = isF && err == nil && float64(f) == w
	case "FLOAT64":
		f, isF := got.(float64)
		w, err := strconv.ParseFloat(string(want), 64)
		ok = isF && err == nil && f == w
	default: // integers (64-bit ones quoted) and booleans
		ok = fmt.Sprint(got) == strings.Trim(string(want), `"`)
	}
	if !ok {
		return fmt.Errorf("%s value %v (%T), want %s", typ, got, got, want)
	}
	return nil
}

func TestEvalGGUF(t *testing.T) {
	dir := evalDir(t, "gguf")
	names := expectedFiles(t, dir)
	checked := 0
	for _, name := range names {
		var want ggufExpected
		loadJSON(t, filepath.Join(dir, "expected", name+".json"), &want)
		path := filepath.Join(dir, "files", name)
		facts, err := readFile(t, path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checked++
		if facts.Format != FormatGGUF || facts.Safety != SafetySafe {
			t.Errorf("%s: format %q safety %q", name, facts.Format, facts.Safety)
		}
		if facts.Version != int(want.Version) || facts.KVCount != int64(want.KVCount) ||
			facts.Tensors != int(want.TensorCount) || facts.Parameters != want.ParameterCount {
			t.Errorf("%s: version %d kvs %d tensors %d parameters %d, want %d %d %d %d", name,
				facts.Version, facts.KVCount, facts.Tensors, facts.Parameters,
				want.Version, want.KVCount, want.TensorCount, want.ParameterCount)
		}
		if len(facts.Metadata) != len(want.KeyOrder) {
			t.Errorf("%s: %d metadata entries, want %d", name, len(facts.Metadata), len(want.KeyOrder))
		}

		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := parseGGUF(f, want.SizeBytes)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.DataOffset != want.TensorDataOffset {
			t.Errorf("%s: tensor data at %d, want %d", name, h.DataOffset, want.TensorDataOffset)
		}
		var keys []string
		for _, kv := range h.KVs {
			keys = append(keys, kv.Key)
			w := want.Metadata[kv.Key]
			if kv.Type.String() != w.Type {
				t.Errorf("%s: %s is %v, want %s", name, kv.Key, kv.Type, w.Type)
				continue
			}
			if kv.Type != ggufArray {
				if err := matchGGUFValue(kv.Value, w.Type, w.Value); err != nil {
					t.Errorf("%s: %s: %v", name, kv.Key, err)
				}
				continue
			}
			arr := kv.Value.(ggufArrayValue)
			if arr.Elem.String() != w.SubType || arr.Len != w.Length {
				t.Errorf("%s: %s is %d %v, want %d %s", name, kv.Key, arr.Len, arr.Elem, w.Length, w.SubType)
				continue
			}
			for _, list := range [][]json.RawMessage{w.First3, w.Values} {
				for i, wv := range list {
					if i >= len(arr.Items) {
						t.Errorf("%s: %s kept %d items, want at least %d", name, kv.Key, len(arr.Items), i+1)
						break
					}
					if err := matchGGUFValue(arr.Items[i], w.SubType, wv); err != nil {
						t.Errorf("%s: %s item %d: %v", name, kv.Key, i, err)
					}
				}
			}
		}
		if !reflect.DeepEqual(keys, want.KeyOrder) {
			t.Errorf("%s: keys %v, want %v", name, keys, want.KeyOrder)
		}
		counts := map[string]int{}
		for i, ti := range h.Tensors {
			counts[ggmlTypeName(ti.Type)]++
			if i >= len(want.TensorInfos) {
				break
			}
			w := want.TensorInfos[i]
			if ti.Name != w.Name || len(ti.Dims) != w.NDims || !reflect.DeepEqual(ti.Dims, w.Shape) ||
				ggmlTypeName(ti.Type) != w.DType || ti.Offset != w.Offset {
				t.Errorf("%s: tensor %d is %s %v %s @%d, want %s %v %s @%d", name, i,
					ti.Name, ti.Dims, ggmlTypeName(ti.Type), ti.Offset, w.Name, w.Shape, w.DType, w.Offset)
			}
		}
		if !reflect.DeepEqual(counts, want.DTypeCounts) {
			t.Errorf("%s: tensors per type %v, want %v", name, counts, want.DTypeCounts)
		}
	}
	if checked != len(names) || checked < 3 {
		t.Errorf("checked %d GGUF files against %d expected results; want all, and at least 3", checked, len(names))
	}
	t.Logf("checked %d GGUF files", checked)
}

func TestEvalGGUFMalformed(t *testing.T) {
	dir := filepath.Join(evalDir(t, "gguf"), "malformed")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		got, err := readFile(t, filepath.Join(dir, e.Name()))
		checked++
		if err == nil {
			t.Errorf("%s: read without error: %+v", e.Name(), got)
			continue
		}
		if got.Format != FormatGGUF || got.Safety != SafetyError {
			t.Errorf("%s: format %q safety %q, want gguf error", e.Name(), got.Format, got.Safety)
		}
		t.Logf("%s: %v", e.Name(), err)
	}
	if checked < 1 {
		t.Errorf("checked %d malformed GGUF files, want at least 1", checked)
	}
	got, err := readFile(t, filepath.Join(dir, "ollama-api-test.gguf"))
	if want := "GGUF version needs 4 bytes but only 2 remain at offset 4 of the 6-byte file"; err == nil || !strings.Contains(got.Error, want) {
		t.Errorf("ollama-api-test.gguf: error %v, want it to say %q", err, want)
	}
}

// TestEvalGGUFFacts pins what Facts says about the real files, rendering included.
func TestEvalGGUFFacts(t *testing.T) {
	dir := filepath.Join(evalDir(t, "gguf"), "files")
	tests := []struct {
		file         string
		architecture string
		dtypes       map[string]int64
		tensorBytes  int64
		metadata     map[string]string // a selection
	}{
		{"ggml-superpoint.gguf", "superpoint", map[string]int64{"F16": 1299264, "F32": 1601}, 1299264*2 + 1601*4,
			map[string]string{"general.architecture": "superpoint"}},
		{"hirox-dummy.gguf", "", map[string]int64{"F32": 2525}, 10100, map[string]string{
			"some.parameter.uint8":   "18",
			"some.parameter.int64":   "-1311768467463790321",
			"some.parameter.float32": "0.12345679",
			"some.parameter.bool":    "true",
			"some.parameter.arr.i16": "[1,2,3,4]",
			"some.parameter.arr.str": `["hello","world","!"]`,
		}},
		{"ollama-llama-2-tiny-random.gguf", "llama", map[string]int64{"F16": 513024, "F32": 24}, 1026144, map[string]string{
			"general.name":                           "LLaMA v2",
			"llama.attention.layer_norm_rms_epsilon": "1e-05",
			"tokenizer.ggml.tokens":                  `["<unk>","<s>","</s>",…] (32000 STRING)`,
			"tokenizer.ggml.scores":                  "[0,0,0,…] (32000 FLOAT32)",
		}},
	}
	for _, tt := range tests {
		got, err := readFile(t, filepath.Join(dir, tt.file))
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if got.Architecture != tt.architecture || !reflect.DeepEqual(got.DTypes, tt.dtypes) || got.TensorBytes != tt.tensorBytes {
			t.Errorf("%s: architecture %q dtypes %v tensor bytes %d, want %q %v %d", tt.file,
				got.Architecture, got.DTypes, got.TensorBytes, tt.architecture, tt.dtypes, tt.tensorBytes)
		}
		for k, v := range tt.metadata {
			if got.Metadata[k] != v {
				t.Errorf("%s: metadata %s = %q, want %q", tt.file, k, got.Metadata[k], v)
			}
		}
	}
}
