package artifact

import (
	"bytes"
	"encoding/binary"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// rawSafetensors builds a file from a literal header and dataLen bytes of data, for headers
// WriteSafetensors would refuse to produce.
func rawSafetensors(header string, dataLen int) []byte {
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	out = append(out, header...)
	return append(out, make([]byte, dataLen)...)
}

// readBytes runs Read on an in-memory file.
func readBytes(name string, data []byte) (*Facts, error) {
	return Read(name, bytes.NewReader(data), int64(len(data)))
}

func writeST(t *testing.T, tensors []Tensor, metadata map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, tensors, metadata); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSafetensorsRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		tensors     []Tensor
		metadata    map[string]string
		params      int64
		dtypes      map[string]int64
		tensorBytes int64
	}{
		{"empty", nil, nil, 0, map[string]int64{}, 0},
		{"one f32 with metadata",
			[]Tensor{{Name: "w", DType: "F32", Shape: []int64{2, 3}}},
			map[string]string{"format": "pt", "license": "apache-2.0"},
			6, map[string]int64{"F32": 6}, 24},
		{"mixed dtypes",
			[]Tensor{
				{Name: "embed", DType: "BF16", Shape: []int64{10, 4}},
				{Name: "norm", DType: "F32", Shape: []int64{4}},
				{Name: "q", DType: "F8_E4M3", Shape: []int64{4, 4}},
				{Name: "mask", DType: "BOOL", Shape: []int64{3}},
				{Name: "step", DType: "I64", Shape: []int64{}},
			},
			nil, 40 + 4 + 16 + 3 + 1, map[string]int64{"BF16": 40, "F32": 4, "F8_E4M3": 16, "BOOL": 3, "I64": 1}, 80 + 16 + 16 + 3 + 8},
		{"sub-byte and empty tensors",
			[]Tensor{
				{Name: "packed", DType: "F4", Shape: []int64{2, 4}},
				{Name: "six", DType: "F6_E2M3", Shape: []int64{4}},
				{Name: "none", DType: "F16", Shape: []int64{0, 7}},
			},
			nil, 8 + 4, map[string]int64{"F4": 8, "F6_E2M3": 4, "F16": 0}, 4 + 3},
		{"given data",
			[]Tensor{{Name: "x", DType: "U8", Shape: []int64{3}, Data: []byte{1, 2, 3}}},
			map[string]string{"": "empty key is allowed"}, 3, map[string]int64{"U8": 3}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := writeST(t, tt.tensors, tt.metadata)
			if n := binary.LittleEndian.Uint64(data); n%8 != 0 {
				t.Errorf("header length %d is not padded to a multiple of 8", n)
			}
			got, err := readBytes("model.safetensors", data)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tn := range tt.tensors {
				names = append(names, tn.Name)
			}
			sortStrings(names)
			if got.Format != FormatSafetensors || got.Safety != SafetySafe || got.Error != "" {
				t.Errorf("format %q safety %q error %q", got.Format, got.Safety, got.Error)
			}
			if got.Parameters != tt.params || got.Tensors != len(tt.tensors) || got.TensorBytes != tt.tensorBytes {
				t.Errorf("parameters %d tensors %d bytes %d, want %d %d %d", got.Parameters, got.Tensors, got.TensorBytes, tt.params, len(tt.tensors), tt.tensorBytes)
			}
			if !reflect.DeepEqual(got.DTypes, tt.dtypes) {
				t.Errorf("dtypes %v, want %v", got.DTypes, tt.dtypes)
			}
			if len(names) > 0 && !reflect.DeepEqual(got.TensorNames, names) {
				t.Errorf("names %v, want %v", got.TensorNames, names)
			}
			if len(tt.metadata) > 0 && !reflect.DeepEqual(got.Metadata, tt.metadata) {
				t.Errorf("metadata %v, want %v", got.Metadata, tt.metadata)
			}
			if len(tt.metadata) == 0 && got.Metadata != nil {
				t.Errorf("metadata %v, want none", got.Metadata)
			}
		})
	}
}

func TestSafetensorsGivenDataIsWritten(t *testing.T) {
	t.Parallel()
	data := writeST(t, []Tensor{{Name: "x", DType: "U8", Shape: []int64{3}, Data: []byte{7, 8, 9}}}, nil)
	if !bytes.HasSuffix(data, []byte{7, 8, 9}) {
		t.Errorf("file ends %v, want the tensor bytes 7 8 9", data[len(data)-3:])
	}
}

func TestSafetensorsAcceptsOddButValidHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		data   int
		params int64
	}{
		{"metadata null", `{"__metadata__":null,"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}`, 2, 2},
		{"unknown fields ignored", `{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"note":1}}`, 2, 2},
		{"out of order offsets", `{"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}`, 4, 4},
		{"empty tensor between others", `{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"z":{"dtype":"F32","shape":[0],"data_offsets":[2,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}`, 3, 3},
		{"trailing spaces", `{}      `, 0, 0},
		{"escaped name", `{"a\u00e9\n":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readBytes("x.safetensors", rawSafetensors(tt.header, tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got.Parameters != tt.params {
				t.Errorf("parameters %d, want %d", got.Parameters, tt.params)
			}
		})
	}
}

func TestSafetensorsRejects(t *testing.T) {
	t.Parallel()
	u8 := func(name string, b, e int) string {
		return `"` + name + `":{"dtype":"U8","shape":[` + itoa(e-b) + `],"data_offsets":[` + itoa(b) + `,` + itoa(e) + `]}`
	}
	huge := binary.LittleEndian.AppendUint64(nil, 9e18)
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"too short", []byte{1, 0, 0}, "file is 3 bytes, too short for the 8-byte safetensors header length"},
		{"header length beyond file", append(huge, make([]byte, 1016)...), "safetensors header length 9000000000000000000 exceeds file size 1024"},
		{"header length 1", rawSafetensors("{", 0), "header length 1 is too short"},
		{"not json", rawSafetensors(`{"a":}`, 0), "not valid JSON"},
		{"truncated json", rawSafetensors(`{"a":{"dtype":"U8"`, 0), "not valid JSON: unexpected end of JSON input at byte 18 of the header"},
		{"array", rawSafetensors(`[1, 2]  `, 0), "header is [1, 2]  , not a JSON object"},
		{"trailing data", rawSafetensors(`{} {}`, 0), "not valid JSON: invalid character '{' after top-level value at byte 4"},
		{"invalid utf-8", rawSafetensors("{\"\xff\":1}", 0), "not valid UTF-8"},
		{"tensor not object", rawSafetensors(`{"a":[1]}`, 0), `tensor "a" is [1], not an object`},
		{"missing fields", rawSafetensors(`{"a":{"dtype":"U8"}}`, 0), `tensor "a" lacks [shape data_offsets]`},
		{"dtype not string", rawSafetensors(`{"a":{"dtype":8,"shape":[],"data_offsets":[0,1]}}`, 1), `tensor "a" dtype is 8, not a string`},
		{"unknown dtype", rawSafetensors(`{"a":{"dtype":"F12","shape":[1],"data_offsets":[0,1]}}`, 1), `tensor "a" has unknown dtype "F12"`},
		{"negative dim", rawSafetensors(`{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}`, 1), "element -1 is not a non-negative integer"},
		{"float dim", rawSafetensors(`{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}`, 1), "element 1.5 is not a non-negative integer"},
		{"exponent dim", rawSafetensors(`{"a":{"dtype":"U8","shape":[1e2],"data_offsets":[0,100]}}`, 100), "element 1e2 is not a non-negative integer"},
		{"shape not array", rawSafetensors(`{"a":{"dtype":"U8","shape":"1","data_offsets":[0,1]}}`, 1), "not an array of integers"},
		{"shape overflow", rawSafetensors(`{"a":{"dtype":"U8","shape":[4611686018427387904,4],"data_offsets":[0,1]}}`, 1), "has more than 2^63 elements"},
		{"bits overflow", rawSafetensors(`{"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,1]}}`, 1), "needs more than 2^64 bits"},
		{"three offsets", rawSafetensors(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}`, 1), "data_offsets has 3 numbers, want 2"},
		{"offset beyond int64", rawSafetensors(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,18446744073709551615]}}`, 1), "not a non-negative integer below 2^63"},
		{"reversed offsets", rawSafetensors(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[2,1]}}`, 2), "data_offsets [2,1) end before they begin"},
		{"size mismatch", rawSafetensors(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, 4), `tensor "a" F32[2] needs 8 bytes but data_offsets [0,4) span 4`},
		{"sub-byte misaligned", rawSafetensors(`{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}`, 2), "is 12 bits, not a whole number of bytes"},
		{"past end", rawSafetensors(`{`+u8("a", 0, 4)+`}`, 3), "run past the end of the file, which holds 3 bytes"},
		{"gap", rawSafetensors(`{`+u8("a", 0, 2)+`,`+u8("b", 3, 4)+`}`, 4), `1 bytes of data before tensor "b" at offset 3 belong to no tensor`},
		{"leading gap", rawSafetensors(`{`+u8("a", 1, 2)+`}`, 2), `1 bytes of data before tensor "a" at offset 1`},
		{"overlap", rawSafetensors(`{`+u8("a", 0, 3)+`,`+u8("b", 2, 4)+`}`, 4), `tensors "a" [0,3) and "b" [2,4) overlap`},
		{"same range", rawSafetensors(`{`+u8("a", 0, 2)+`,`+u8("b", 0, 2)+`}`, 2), "overlap"},
		{"empty tensor inside another", rawSafetensors(`{`+u8("a", 0, 4)+`,`+u8("b", 2, 2)+`}`, 4), "overlap"},
		{"trailing bytes", rawSafetensors(`{`+u8("a", 0, 2)+`}`, 5), "tensors end at data offset 2 but the file holds 5 bytes of data after the header"},
		{"data but no tensors", rawSafetensors(`{}`, 1), "tensors end at data offset 0"},
		{"duplicate name", rawSafetensors(`{`+u8("a", 0, 1)+`,`+u8("a", 1, 2)+`}`, 2), `duplicate tensor name "a"`},
		{"duplicate metadata", rawSafetensors(`{"__metadata__":{},"__metadata__":{}}`, 0), "__metadata__ twice"},
		{"metadata not object", rawSafetensors(`{"__metadata__":[]}`, 0), "__metadata__ is [], not an object of strings"},
		{"metadata number", rawSafetensors(`{"__metadata__":{"a":1}}`, 0), `__metadata__ value for "a" is 1, not a string`},
		{"metadata duplicate key", rawSafetensors(`{"__metadata__":{"a":"1","a":"2"}}`, 0), `__metadata__ has key "a" twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readBytes("x.safetensors", tt.file)
			if err == nil {
				t.Fatalf("no error; facts %+v", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if got.Safety != SafetyError || got.Error != err.Error() {
				t.Errorf("facts safety %q error %q do not record the failure", got.Safety, got.Error)
			}
		})
	}
}

// TestSafetensorsHeaderCap checks the 100 MB limit on a file large enough to hold such a
// header, without the test allocating it.
func TestSafetensorsHeaderCap(t *testing.T) {
	t.Parallel()
	prefix := binary.LittleEndian.AppendUint64(nil, MaxSafetensorsHeader+1)
	prefix = append(prefix, '{')
	r := &zeroTail{prefix: prefix}
	_, err := Read("big.safetensors", r, 1<<40)
	if want := "safetensors header length 100000001 exceeds the 100000000-byte limit"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if r.maxRead > SniffLen {
		t.Errorf("read %d bytes at once; only the length prefix should be read", r.maxRead)
	}
}

// TestSafetensorsEveryPrefixFails truncates a valid file at every length: a reader that
// accepted a prefix would report a download cut short as a complete model.
func TestSafetensorsEveryPrefixFails(t *testing.T) {
	t.Parallel()
	data := writeST(t, []Tensor{
		{Name: "a", DType: "F16", Shape: []int64{3}},
		{Name: "b", DType: "U8", Shape: []int64{5}},
	}, map[string]string{"k": "v"})
	for n := 0; n < len(data); n++ {
		if _, err := Read("x.safetensors", bytes.NewReader(data[:n]), int64(n)); err == nil {
			t.Errorf("prefix of %d of %d bytes read without error", n, len(data))
		}
	}
}

func TestWriteSafetensorsRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tensors []Tensor
		want    string
	}{
		{"unknown dtype", []Tensor{{Name: "a", DType: "Q4_0", Shape: []int64{32}}}, `unknown safetensors dtype "Q4_0"`},
		{"wrong data length", []Tensor{{Name: "a", DType: "F32", Shape: []int64{2}, Data: []byte{1}}}, "1 bytes of data for F32[2], which needs 8"},
		{"repeated name", []Tensor{{Name: "a", DType: "U8"}, {Name: "a", DType: "U8"}}, `name "a" is reserved or repeated`},
		{"reserved name", []Tensor{{Name: "__metadata__", DType: "U8"}}, "reserved or repeated"},
		{"negative dim", []Tensor{{Name: "a", DType: "U8", Shape: []int64{-2}}}, "negative dimension"},
		{"misaligned", []Tensor{{Name: "a", DType: "F4", Shape: []int64{1}}}, "not a whole number of bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := WriteSafetensors(io.Discard, tt.tensors, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestSafetensorsParameterOverflow: four-bit tensors hold two parameters per byte, so a
// header that tiles an exabyte-sized (sparse or claimed) file can exceed 2^63 parameters.
func TestSafetensorsParameterOverflow(t *testing.T) {
	t.Parallel()
	const numel = 1<<62 - 2
	const each = numel / 2
	var hdr strings.Builder
	hdr.WriteString("{")
	for i, name := range []string{"a", "b", "c"} {
		if i > 0 {
			hdr.WriteString(",")
		}
		hdr.WriteString(`"` + name + `":{"dtype":"F4","shape":[` + strconv.FormatInt(numel, 10) + `],"data_offsets":[` +
			strconv.FormatInt(int64(i)*each, 10) + `,` + strconv.FormatInt(int64(i+1)*each, 10) + `]}`)
	}
	hdr.WriteString("}")
	prefix := rawSafetensors(hdr.String(), 0)
	_, err := Read("huge.safetensors", &zeroTail{prefix: prefix}, int64(len(prefix))+3*each)
	if want := "safetensors tensors hold more than 2^63 parameters in total"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
