package artifact

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// onnxModel builds a ModelProto with protowire, field by field as onnx.proto numbers them.
type onnxModel struct{ b []byte }

func (m *onnxModel) varint(num protowire.Number, v uint64) *onnxModel {
	m.b = protowire.AppendTag(m.b, num, protowire.VarintType)
	m.b = protowire.AppendVarint(m.b, v)
	return m
}

func (m *onnxModel) bytes(num protowire.Number, v []byte) *onnxModel {
	m.b = protowire.AppendTag(m.b, num, protowire.BytesType)
	m.b = protowire.AppendBytes(m.b, v)
	return m
}

func (m *onnxModel) str(num protowire.Number, s string) *onnxModel { return m.bytes(num, []byte(s)) }

func opset(domain string, version uint64) []byte {
	var b []byte
	if domain != "" {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, domain)
	}
	b = protowire.AppendTag(b, 2, protowire.VarintType)
	return protowire.AppendVarint(b, version)
}

func prop(key, value string) []byte {
	b := protowire.AppendTag(nil, 1, protowire.BytesType)
	b = protowire.AppendString(b, key)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	return protowire.AppendString(b, value)
}

func TestReadONNX(t *testing.T) {
	t.Parallel()
	graph := make([]byte, 5000)
	m := (&onnxModel{}).varint(1, 8).str(2, "pytorch").str(3, "2.3.0").str(4, "ai.example").varint(5, 7).
		str(6, "A tiny test model.").bytes(7, graph).bytes(8, opset("", 17)).bytes(8, opset("com.microsoft", 1)).
		bytes(14, prop("license", "apache-2.0")).bytes(14, prop("producer_name", "spoof")).
		varint(99, 1).bytes(100, []byte("unknown field")) // fields ONNX may add later are skipped
	m.b = protowire.AppendTag(m.b, 101, protowire.Fixed32Type)
	m.b = protowire.AppendFixed32(m.b, 1)
	m.b = protowire.AppendTag(m.b, 102, protowire.Fixed64Type)
	m.b = protowire.AppendFixed64(m.b, 1)
	got, err := readBytes("model.onnx", m.b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ir_version": "8", "producer_name": "pytorch", "producer_version": "2.3.0", "domain": "ai.example",
		"model_version": "7", "doc_string": "A tiny test model.", "graph_bytes": "5000",
		"opset_import": "ai.onnx:17,com.microsoft:1", "license": "apache-2.0", "metadata_props.producer_name": "spoof",
	}
	if got.Format != FormatONNX || got.Safety != SafetySafe || !reflect.DeepEqual(got.Metadata, want) {
		t.Errorf("got %s %s %v\nwant metadata %v", got.Format, got.Safety, got.Metadata, want)
	}
}

// TestReadONNXSkipsGraph reads a model whose graph is 10 GiB: only the fields around it are
// fetched.
func TestReadONNXSkipsGraph(t *testing.T) {
	t.Parallel()
	const graph = 10 << 30
	head := (&onnxModel{}).varint(1, 9).str(2, "exporter").b
	head = protowire.AppendTag(head, 7, protowire.BytesType)
	head = protowire.AppendVarint(head, graph)
	// Everything after the graph is zeros: read as fields, a zero tag is invalid, so the file
	// ends right after the graph.
	z := &zeroTail{prefix: head}
	size := int64(len(head)) + graph
	got, err := Read("big.onnx", z, size)
	if err != nil {
		t.Fatal(err)
	}
	if got.Metadata["producer_name"] != "exporter" || got.Metadata["graph_bytes"] != "10737418240" {
		t.Errorf("metadata %v", got.Metadata)
	}
	if z.total > 64<<10 {
		t.Errorf("read %d bytes of a %d-byte model", z.total, size)
	}
}

func TestReadONNXErrors(t *testing.T) {
	t.Parallel()
	ok := (&onnxModel{}).varint(1, 8).b
	long := strings.Repeat("x", maxMetadataValue+10)
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "no ir_version field"},
		{"no ir_version", (&onnxModel{}).str(2, "x").b, "no ir_version field"},
		{"truncated varint", append(append([]byte{}, ok...), 0x28, 0xff), "field 5 at offset 2: bad varint"},
		{"length beyond the file", append(append([]byte{}, ok...), 0x3a, 0xff, 0x01), "graph at offset 2: length 255 exceeds the 0 bytes that remain"},
		{"field number 0", append(append([]byte{}, ok...), 0x00), "field number 0 is not valid"},
		{"group", append(append([]byte{}, ok...), 0x4b), "wire type 3 is not one ONNX uses"},
		{"truncated fixed64", append(append([]byte{}, ok...), 0x49, 1, 2), "needs 8 bytes but 2 remain"},
		{"opset beyond its message", append(append([]byte{}, ok...), (&onnxModel{}).bytes(8, []byte{0x0a, 0x05, 'a'}).b...), "opset_import at offset 2"},
		{"string beyond the file", append(append([]byte{}, ok...), 0x12, 0x05, 'a'), "producer_name at offset 2: length 5 exceeds"},
	}
	for _, tt := range tests {
		got, err := readBytes("m.onnx", tt.file)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if got.Format != FormatONNX || got.Safety != SafetyError {
			t.Errorf("%s: format %s safety %s", tt.name, got.Format, got.Safety)
		}
	}
	// Long strings are cut, not refused.
	got, err := readBytes("m.onnx", (&onnxModel{}).varint(1, 8).str(6, long).b)
	if err != nil || len(got.Metadata["doc_string"]) != maxMetadataValue+len("…") {
		t.Errorf("long doc_string: %d bytes, %v", len(got.Metadata["doc_string"]), err)
	}
}

// onnxTensor builds a TensorProto with dims (packed or one field each), a data type and raw
// data of rawLen bytes (only the length is written when the data would be huge; see
// TestReadONNXInitializers).
func onnxTensor(dims []uint64, packed bool, dtype uint64, name string, raw []byte) []byte {
	t := &onnxModel{}
	if packed {
		var b []byte
		for _, d := range dims {
			b = protowire.AppendVarint(b, d)
		}
		t.bytes(1, b)
	} else {
		for _, d := range dims {
			t.varint(1, d)
		}
	}
	t.varint(2, dtype).str(8, name)
	if raw != nil {
		t.bytes(9, raw)
	}
	return t.b
}

// TestReadONNXInitializers counts the weights from the initializers' dims and data types,
// whichever way the dims are encoded, skipping nodes and tensor data.
func TestReadONNXInitializers(t *testing.T) {
	t.Parallel()
	node := (&onnxModel{}).str(1, "x").str(2, "y").str(4, "MatMul").b
	graph := (&onnxModel{}).bytes(1, node).str(2, "main").
		bytes(5, onnxTensor([]uint64{16, 8}, true, 1, "w1", make([]byte, 16*8*4))).
		bytes(5, onnxTensor([]uint64{8}, false, 10, "b1", make([]byte, 16))).
		bytes(5, onnxTensor([]uint64{4, 4, 2}, false, 16, "w2", nil)).
		bytes(11, []byte{0x0a, 0x01, 'x'}).b
	m := (&onnxModel{}).varint(1, 8).str(2, "pytorch").bytes(7, graph).bytes(8, []byte{0x0a, 0x00, 0x10, 0x11}).b
	got, err := Read("m.onnx", bytes.NewReader(m), int64(len(m)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"F32": 128, "F16": 8, "BF16": 32}
	if got.Parameters != 168 || got.Tensors != 3 || !reflect.DeepEqual(got.DTypes, want) || len(got.Warnings) != 0 {
		t.Errorf("parameters %d, tensors %d, dtypes %v, warnings %v", got.Parameters, got.Tensors, got.DTypes, got.Warnings)
	}
	if got.Metadata["opset_import"] != "ai.onnx:17" {
		t.Errorf("fields after the graph were not read: %v", got.Metadata)
	}
}

// TestReadONNXBadInitializers: shapes glassbox cannot count leave the count unknown, with a
// warning, and the file still safe.
func TestReadONNXBadInitializers(t *testing.T) {
	t.Parallel()
	for name, tensor := range map[string][]byte{
		"rank 65":  onnxTensor(make([]uint64, 65), false, 1, "w", nil),
		"overflow": onnxTensor([]uint64{1 << 40, 1 << 40}, true, 1, "w", nil),
		"bad tag":  {0x00},
	} {
		graph := (&onnxModel{}).bytes(5, onnxTensor([]uint64{2, 2}, true, 1, "ok", nil)).bytes(5, tensor).b
		m := (&onnxModel{}).varint(1, 8).bytes(7, graph).str(2, "after").b
		got, err := Read("m.onnx", bytes.NewReader(m), int64(len(m)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Parameters != 0 || got.DTypes != nil || len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "parameters not counted") ||
			got.Safety != SafetySafe || got.Metadata["producer_name"] != "after" {
			t.Errorf("%s: parameters %d dtypes %v warnings %v safety %s metadata %v", name, got.Parameters, got.DTypes, got.Warnings, got.Safety, got.Metadata)
		}
	}
}
