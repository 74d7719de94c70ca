package artifact

import (
	"bytes"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// exampleKVs exercises every value type and every key Facts picks out.
var exampleKVs = []KV{
	{"general.architecture", "llama"},
	{"general.name", "Tiny"},
	{"general.license", "apache-2.0"},
	{"general.license.name", "Apache License 2.0"},
	{"general.license.link", "https://www.apache.org/licenses/LICENSE-2.0"},
	{"general.base_model.count", uint32(2)},
	{"general.base_model.0.name", "Llama 3.1 8B"},
	{"general.base_model.0.organization", "Meta Llama"},
	{"general.base_model.0.repo_url", "https://huggingface.co/meta-llama/Llama-3.1-8B"},
	{"general.base_model.1.name", "Other"},
	{"general.base_model.1.version", "v2"},
	{"general.dataset.count", uint32(1)},
	{"general.dataset.0.name", "Dolma"},
	{"general.dataset.0.repo_url", "https://huggingface.co/datasets/allenai/dolma"},
	{"general.datasets", []string{"allenai/c4"}},
	{"general.url", "https://example.org/tiny"},
	{"general.repo_url", "https://huggingface.co/org/tiny"},
	{"general.source.url", "https://example.org/tiny"},
	{"u8", uint8(255)},
	{"i8", int8(-128)},
	{"u16", uint16(65535)},
	{"i16", int16(-32768)},
	{"u32", uint32(4e9)},
	{"i32", int32(-2e9)},
	{"f32", float32(1.5)},
	{"b", false},
	{"u64", uint64(math.MaxUint64)},
	{"i64", int64(math.MinInt64)},
	{"f64", 2.25},
	{"nested", [][]int32{{1, 2}, {3}}},
	{"empty", []string{}},
	{"long", make([]uint16, 40)},
	{"quote", `say "hi"`},
}

var exampleTensors = []Tensor{
	{Name: "tok", DType: "F16", Shape: []int64{8, 4}},
	{Name: "q", DType: "Q4_0", Shape: []int64{64, 2}},
	{Name: "norm", DType: "F32", Shape: []int64{8}},
}

func writeGGUFBytes(t *testing.T, version uint32, kvs []KV, tensors []Tensor) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := writeGGUF(&buf, version, kvs, tensors); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGGUFRoundTrip(t *testing.T) {
	t.Parallel()
	for _, version := range []uint32{1, 2, 3} {
		t.Run("v"+itoa(int(version)), func(t *testing.T) {
			t.Parallel()
			got, err := readBytes("tiny.gguf", writeGGUFBytes(t, version, exampleKVs, exampleTensors))
			if err != nil {
				t.Fatal(err)
			}
			want := &Facts{
				Path:        "tiny.gguf",
				Format:      FormatGGUF,
				Size:        got.Size,
				Parameters:  32 + 128 + 8,
				DTypes:      map[string]int64{"F16": 32, "Q4_0": 128, "F32": 8},
				Tensors:     3,
				TensorBytes: 64 + 4*18 + 32,
				TensorNames: []string{"norm", "q", "tok"},
				Metadata:    got.Metadata,
				Safety:      SafetySafe,
				Version:     int(version),
				KVCount:     int64(len(exampleKVs)),

				Architecture: "llama",
				License:      "apache-2.0",
				LicenseName:  "Apache License 2.0",
				LicenseLink:  "https://www.apache.org/licenses/LICENSE-2.0",
				BaseModels: []Ref{
					{Name: "Llama 3.1 8B", Organization: "Meta Llama", RepoURL: "https://huggingface.co/meta-llama/Llama-3.1-8B"},
					{Name: "Other", Version: "v2"},
				},
				Datasets: []Ref{
					{Name: "Dolma", RepoURL: "https://huggingface.co/datasets/allenai/dolma"},
					{Name: "allenai/c4"},
				},
				URLs: []string{"https://example.org/tiny", "https://huggingface.co/org/tiny"},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("facts\n got %+v\nwant %+v", got, want)
			}
			metadata := map[string]string{
				"general.base_model.count": "2",
				"u8":                       "255",
				"i8":                       "-128",
				"u16":                      "65535",
				"i16":                      "-32768",
				"u32":                      "4000000000",
				"i32":                      "-2000000000",
				"f32":                      "1.5",
				"b":                        "false",
				"u64":                      "18446744073709551615",
				"i64":                      "-9223372036854775808",
				"f64":                      "2.25",
				"nested":                   "[[1,2],[3]]",
				"empty":                    "[]",
				"long":                     "[0,0,0,…] (40 UINT16)",
				"general.datasets":         `["allenai/c4"]`,
				"quote":                    `say "hi"`,
			}
			for k, v := range metadata {
				if got.Metadata[k] != v {
					t.Errorf("metadata %s = %q, want %q", k, got.Metadata[k], v)
				}
			}
			if len(got.Metadata) != len(exampleKVs) {
				t.Errorf("%d metadata entries, want %d", len(got.Metadata), len(exampleKVs))
			}
		})
	}
}

func TestGGUFAlignment(t *testing.T) {
	t.Parallel()
	kvs := []KV{{"general.alignment", uint32(64)}, {"pad", "x"}}
	tensors := []Tensor{{Name: "a", DType: "F32", Shape: []int64{3}}, {Name: "b", DType: "F32", Shape: []int64{16}}}
	data := writeGGUFBytes(t, 3, kvs, tensors)
	h, err := parseGGUF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Alignment != 64 || h.DataOffset%64 != 0 || h.Tensors[1].Offset != 64 {
		t.Errorf("alignment %d, data at %d, second tensor at %d; want 64, a multiple of 64, 64", h.Alignment, h.DataOffset, h.Tensors[1].Offset)
	}
	if int64(len(data)) != h.DataOffset+64+64 {
		t.Errorf("file is %d bytes, want data offset %d + 128", len(data), h.DataOffset)
	}
}

func TestGGUFUnknownTensorType(t *testing.T) {
	t.Parallel()
	// A tensor type newer than this reader is counted, not refused.
	e := ggufHead(3, 1, 0)
	e.str("future")
	e.u32(1)
	e.u64(10)
	e.u32(200)
	e.u64(0)
	e.buf.Write(make([]byte, 64-e.buf.Len()))
	got, err := readBytes("f.gguf", e.buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got.Parameters != 10 || got.DTypes["GGML_TYPE_200"] != 10 || got.TensorBytes != 0 {
		t.Errorf("parameters %d dtypes %v tensor bytes %d, want 10 {GGML_TYPE_200: 10} 0", got.Parameters, got.DTypes, got.TensorBytes)
	}
}

// ggufHead starts a hand-made GGUF header.
func ggufHead(version uint32, tensors, kvs uint64) *ggufEncoder {
	e := &ggufEncoder{v1: version == 1}
	e.buf.WriteString(ggufMagic)
	e.u32(version)
	e.count(tensors)
	e.count(kvs)
	return e
}

// ggufKVFile is a header with one metadata entry whose type and value bytes are written by
// value, followed by padding so that counts are not refused for want of bytes alone.
func ggufKVFile(key string, typ uint32, value func(e *ggufEncoder)) []byte {
	e := ggufHead(3, 0, 1)
	e.str(key)
	e.u32(typ)
	value(e)
	return e.buf.Bytes()
}

// ggufTensorFile is a header with one tensor info and dataLen bytes after the header.
func ggufTensorFile(name string, dims []uint64, typ uint32, offset uint64, dataLen int) []byte {
	e := ggufHead(3, 1, 0)
	e.str(name)
	e.u32(uint32(len(dims)))
	for _, d := range dims {
		e.u64(d)
	}
	e.u32(typ)
	e.u64(offset)
	e.buf.Write(make([]byte, padTo(uint64(e.buf.Len()), 32)-uint64(e.buf.Len())+uint64(dataLen)))
	return e.buf.Bytes()
}

// nestedArrays is a metadata value of depth arrays, each holding the next.
func nestedArrays(depth int) func(e *ggufEncoder) {
	return func(e *ggufEncoder) {
		for i := 1; i < depth; i++ {
			e.u32(uint32(ggufArray))
			e.u64(1)
		}
		e.u32(uint32(ggufUint8))
		e.u64(0)
	}
}

const huge = 1 << 60

// ggufBad lists malformed headers and what the error must say. Shared with the memory test.
var ggufBad = []struct {
	name string
	file []byte
	want string
}{
	{"bad magic", []byte("GGUX\x03\x00\x00\x00"), `does not start with the GGUF magic: found "GGUX"`},
	{"short magic", []byte("GG"), "GGUF magic needs 4 bytes but only 2 remain at offset 0 of the 2-byte file"},
	{"version 0", ggufHead(0, 0, 0).buf.Bytes(), "GGUF version 0 is not supported"},
	{"version 4", ggufHead(4, 0, 0).buf.Bytes(), "GGUF version 4 is not supported"},
	{"big-endian", []byte("GGUF\x00\x00\x00\x03"), "big-endian GGUF (version 3) is not supported"},
	{"no counts", []byte("GGUF\x03\x00\x00\x00"), "tensor count needs 8 bytes but only 0 remain"},
	{"tensor count 2^60", ggufHead(3, huge, 0).buf.Bytes(), "tensor count 1152921504606846976 needs more than 2^64 bytes but only 0 remain at offset 24"},
	{"kv count 2^60", ggufHead(3, 0, huge).buf.Bytes(), "metadata entry count 1152921504606846976 needs at least 14987979559889010688 bytes (13 each)"},
	{"kv count 2^63", ggufHead(3, 0, 1<<63).buf.Bytes(), "metadata entry count 9223372036854775808 needs more than 2^64 bytes"},
	{"kv count 2^32-1 v1", ggufHead(1, 0, math.MaxUint32).buf.Bytes(), "metadata entry count 4294967295 needs at least 38654705655 bytes (9 each) but only 0 remain at offset 16"},
	{"kv count 10", ggufHead(3, 0, 10).buf.Bytes(), "metadata entry count 10 needs at least 130 bytes (13 each) but only 0 remain"},
	{"both counts", append(ggufHead(3, 1, 1).buf.Bytes(), make([]byte, 30)...), "1 metadata entries and 1 tensor infos need at least 37 bytes but only 30 remain"},
	{"key length 2^60", append(ggufHead(3, 0, 1).buf.Bytes(), append([]byte{0, 0, 0, 0, 0, 0, 0, 0x10}, make([]byte, 8)...)...), "metadata entry 0 key is 1152921504606846976 bytes long; at most 65536 are accepted"},
	{"key past end", append(ggufHead(3, 0, 1).buf.Bytes(), 100, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5), "metadata entry 0 key needs 100 bytes but only 5 remain"},
	{"unknown value type", ggufKVFile("k", 13, func(e *ggufEncoder) { e.u64(0) }), `metadata "k": value type 13 is not a GGUF type (0 to 12)`},
	{"truncated u64", ggufKVFile("k", uint32(ggufUint64), func(e *ggufEncoder) { e.u32(1) }), `metadata "k": UINT64 value needs 8 bytes but only 4 remain`},
	{"string length 2^60", ggufKVFile("k", uint32(ggufString), func(e *ggufEncoder) { e.u64(huge); e.u32(0) }), `metadata "k": string of 1152921504606846976 bytes but only 4 remain`},
	{"array element type", ggufKVFile("k", uint32(ggufArray), func(e *ggufEncoder) { e.u32(99); e.u64(0) }), "array element type 99 is not a GGUF type"},
	{"array of 2^60 bytes", ggufKVFile("k", uint32(ggufArray), func(e *ggufEncoder) { e.u32(uint32(ggufUint8)); e.u64(huge) }), `metadata "k": array of UINT8 with length 1152921504606846976 needs 1152921504606846976 bytes but only 0 remain at offset 49 of the 49-byte file`},
	{"array of 2^60 strings", ggufKVFile("k", uint32(ggufArray), func(e *ggufEncoder) { e.u32(uint32(ggufString)); e.u64(huge); e.u64(0) }), "array of STRING with length 1152921504606846976 needs at least 9223372036854775808 bytes (8 each) but only 8 remain"},
	{"array of 2^60 arrays", ggufKVFile("k", uint32(ggufArray), func(e *ggufEncoder) { e.u32(uint32(ggufArray)); e.u64(huge) }), "array of ARRAY with length 1152921504606846976 needs at least 13835058055282163712 bytes (12 each)"},
	{"string item past end", ggufKVFile("k", uint32(ggufArray), func(e *ggufEncoder) { e.u32(uint32(ggufString)); e.u64(2); e.u64(0); e.u64(5) }), `metadata "k": array item 1: string of 5 bytes but only 0 remain`},
	{"nested 9 deep", ggufKVFile("k", uint32(ggufArray), nestedArrays(9)), "arrays nested more than 8 deep"},
	{"duplicate key", func() []byte {
		e := ggufHead(3, 0, 2)
		for range 2 {
			e.str("k")
			e.u32(uint32(ggufBool))
			e.buf.WriteByte(1)
		}
		return e.buf.Bytes()
	}(), `metadata key "k" appears twice`},
	{"alignment 3", ggufKVFile("general.alignment", uint32(ggufUint32), func(e *ggufEncoder) { e.u32(3) }), "general.alignment is UINT32 3; want an integer power of two up to 2^30"},
	{"alignment 0", ggufKVFile("general.alignment", uint32(ggufUint32), func(e *ggufEncoder) { e.u32(0) }), "general.alignment is UINT32 0; want"},
	{"alignment string", ggufKVFile("general.alignment", uint32(ggufString), func(e *ggufEncoder) { e.str("32") }), "general.alignment is STRING 32; want"},
	{"alignment negative", ggufKVFile("general.alignment", uint32(ggufInt32), func(e *ggufEncoder) { e.u32(math.MaxUint32) }), "general.alignment is INT32 -1; want"},
	{"nine dims", ggufTensorFile("t", make([]uint64, 9), 0, 0, 0), `tensor "t": 9 dimensions; at most 8 are accepted`},
	{"dims overflow", ggufTensorFile("t", []uint64{1 << 32, 1 << 32}, 0, 0, 0), `tensor "t": shape [4294967296 4294967296] has more than 2^63 elements`},
	{"block multiple", ggufTensorFile("t", []uint64{33, 2}, 2, 0, 1000), `tensor "t": first dimension 33 is not a multiple of the Q4_0 block size 32`},
	{"misaligned offset", ggufTensorFile("t", []uint64{1}, 0, 4, 64), `tensor "t" offset 4 is not a multiple of the alignment 32`},
	{"data past end", ggufTensorFile("t", []uint64{8}, 0, 0, 16), `tensor "t" needs 32 bytes at data offset 0, past the end of the file, which holds 16 bytes of tensor data (truncated?)`},
	{"offset past end", ggufTensorFile("t", []uint64{8}, 0, 1<<40, 16), `tensor "t" needs 32 bytes at data offset 1099511627776, past the end`},
	{"offset wraps", ggufTensorFile("t", []uint64{8}, 0, math.MaxUint64-31, 16), `tensor "t" needs 32 bytes at data offset 18446744073709551584, past the end`},
	{"no data at all", ggufTensorFile("t", []uint64{8}, 0, 0, 0)[:24+8+1+4+8+4+8], "tensor data would start at offset 64, past the end of the 57-byte file"},
	{"overlapping tensors", func() []byte {
		e := ggufHead(3, 2, 0)
		for _, name := range []string{"a", "b"} {
			e.str(name)
			e.u32(1)
			e.u64(16)
			e.u32(0)
			e.u64(32)
		}
		e.buf.Write(make([]byte, padTo(uint64(e.buf.Len()), 32)-uint64(e.buf.Len())+128))
		return e.buf.Bytes()
	}(), `tensors "a" [32,96) and "b" [32,96) overlap in the data section`},
	{"duplicate tensor", func() []byte {
		e := ggufHead(3, 2, 0)
		for range 2 {
			e.str("t")
			e.u32(1)
			e.u64(1)
			e.u32(0)
			e.u64(0)
		}
		return e.buf.Bytes()
	}(), `tensor name "t" appears twice`},
}

func TestGGUFRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range ggufBad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readBytes("bad.gguf", tt.file)
			if err == nil {
				t.Fatalf("no error; facts %+v", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if got.Format != FormatGGUF || got.Safety != SafetyError {
				t.Errorf("format %q safety %q, want gguf error", got.Format, got.Safety)
			}
		})
	}
}

func TestGGUFNestingLimit(t *testing.T) {
	t.Parallel()
	got, err := readBytes("n.gguf", ggufKVFile("k", uint32(ggufArray), nestedArrays(8)))
	if err != nil {
		t.Fatalf("8 nested arrays: %v", err)
	}
	if want := "[[[[[[[[]]]]]]]]"; got.Metadata["k"] != want {
		t.Errorf("rendered %q, want %q", got.Metadata["k"], want)
	}
}

// TestGGUFHugeCountsFailFast proves that the counts in a header are checked before anything
// is allocated for them: each bad header costs well under a megabyte.
func TestGGUFHugeCountsFailFast(t *testing.T) {
	// Not parallel: it measures the process's allocations.
	for _, tt := range ggufBad {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := readBytes("bad.gguf", tt.file)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: allocated %d bytes", tt.name, n)
		}
	}
}

// TestGGUFReadsOnlyHeader reads a 100 GB sparse-like file and checks that only the header
// region was touched.
func TestGGUFReadsOnlyHeader(t *testing.T) {
	t.Parallel()
	const dataLen = 100 << 30
	e := ggufHead(3, 1, 0)
	e.str("big")
	e.u32(1)
	e.u64(dataLen / 4)
	e.u32(0)
	e.u64(0)
	head := e.buf.Bytes()
	r := &zeroTail{prefix: head}
	got, err := Read("big.gguf", r, 64+dataLen)
	if err != nil {
		t.Fatal(err)
	}
	if got.Parameters != dataLen/4 || got.TensorBytes != dataLen {
		t.Errorf("parameters %d bytes %d, want %d %d", got.Parameters, got.TensorBytes, dataLen/4, int64(dataLen))
	}
	if r.total > 128<<10 {
		t.Errorf("read %d bytes of a header of %d", r.total, len(head))
	}
}

func TestGGUFEveryPrefixFails(t *testing.T) {
	t.Parallel()
	// The last tensor is a multiple of the alignment, so the file ends where its data does.
	data := writeGGUFBytes(t, 3, []KV{{"general.name", "p"}, {"a", []string{"x", "y"}}},
		[]Tensor{{Name: "w", DType: "F16", Shape: []int64{3}}, {Name: "v", DType: "F32", Shape: []int64{8}}})
	for n := 0; n < len(data); n++ {
		if _, err := readBytes("p.gguf", data[:n]); err == nil {
			t.Errorf("prefix of %d of %d bytes read without error", n, len(data))
		}
	}
}

func TestWriteGGUFRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kvs     []KV
		tensors []Tensor
		want    string
	}{
		{"unsupported value", []KV{{"k", map[string]int{}}}, nil, `metadata "k": Go type map[string]int has no GGUF equivalent`},
		{"nil value", []KV{{"k", nil}}, nil, `metadata "k": no value`},
		{"unsupported element", []KV{{"k", []int{1}}}, nil, "Go type int has no GGUF equivalent"},
		{"bad alignment", []KV{{"general.alignment", uint32(12)}}, nil, "general.alignment 12 is not a power of two"},
		{"unknown type", nil, []Tensor{{Name: "t", DType: "F8"}}, `unknown GGML type "F8"`},
		{"block multiple", nil, []Tensor{{Name: "t", DType: "Q8_0", Shape: []int64{16}}}, "first dimension 16 is not a multiple of the Q8_0 block size 32"},
		{"data length", nil, []Tensor{{Name: "t", DType: "F32", Shape: []int64{2}, Data: []byte{0}}}, "1 bytes of data for F32[2], which needs 8"},
		{"unknown size", nil, []Tensor{{Name: "t", DType: "Q8_1", Shape: []int64{32}}}, "block size of Q8_1 is not known"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := WriteGGUF(&bytes.Buffer{}, tt.kvs, tt.tensors)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRenderGGUFLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value any
		limit int
		want  string
	}{
		{"cut at rune boundary", "aé", 2, "a…"},
		{"invalid utf-8 replaced", "a\xffb", 10, "a\uFFFDb"},
		{"float32 shortest", float32(0.1), 100, "0.1"},
		{"array of 17 prints head", ggufArrayValue{Elem: ggufInt8, Len: 17, Items: []any{int8(-1), int8(2), int8(3), int8(4)}}, 100, "[-1,2,3,…] (17 INT8)"},
		{"array of 16 prints whole", ggufArrayValue{Elem: ggufBool, Len: 2, Items: []any{true, false}}, 100, "[true,false]"},
		{"empty long array", ggufArrayValue{Elem: ggufString, Len: 5}, 100, "[…] (5 STRING)"},
	}
	for _, tt := range tests {
		if got := renderGGUF(tt.value, tt.limit); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGGUFLongStringsAreCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxGGUFString+10)
	data := writeGGUFBytes(t, 3, []KV{{"general.license", long}, {"tokens", []string{long}}}, nil)
	got, err := readBytes("l.gguf", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("x", maxGGUFString) + "…"; got.License != want {
		t.Errorf("license is %d bytes, want the first %d and a mark", len(got.License), maxGGUFString)
	}
	if n := len(got.Metadata["general.license"]); n != maxMetadataValue+len("…") {
		t.Errorf("metadata value is %d bytes, want %d", n, maxMetadataValue+len("…"))
	}
	if want := `["` + strings.Repeat("x", ggufSampleString) + `…"]`; got.Metadata["tokens"] != want {
		t.Errorf("array item rendered as %d bytes, want %d", len(got.Metadata["tokens"]), len(want))
	}
}
