package artifact

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	stHead := append(binary.LittleEndian.AppendUint64(nil, 100), `{"a":`...)
	tests := []struct {
		name string
		head string
		want Format
	}{
		{"model.gguf", "GGUF\x03\x00\x00\x00", FormatGGUF},
		{"weights.bin", "GGUF\x03\x00\x00\x00", FormatGGUF},
		{"model.safetensors", lfsPointer, FormatLFSPointer},
		{"model.gguf", lfsPointer[:SniffLen], FormatLFSPointer},
		{"model.bin", string(stHead), FormatSafetensors},
		{"MODEL.SAFETENSORS", "", FormatSafetensors},
		{"model.safetensors", "not a model", FormatSafetensors},
		{"dir/model.Gguf", "junk", FormatGGUF},
		// Pickles and archives: content first, then names that promise code-carrying formats,
		// but those only when there was content to look at.
		{"pytorch_model.bin", "\x80\x02}q\x00", FormatPickle},
		{"x", "\x80\x05\x95", FormatPickle},
		{"x.bin", "\x80\x06", FormatUnknown},
		{"model.pkl", "(dp0\n", FormatPickle},
		{"model.pkl", "", FormatUnknown},
		{"pytorch_model.bin", "", FormatUnknown},
		{"pytorch_model.bin", "(dp0\n", FormatUnknown},
		{"model.pt", "\x89PNG", FormatPickle},
		{"pytorch_model.bin", "PK\x03\x04", FormatPyTorchZip},
		{"x", "PK\x03\x04" + strings.Repeat("\x00", 22) + "\x10\x00\x00\x00archive/data.pkl", FormatPyTorchZip},
		{"x", "PK\x03\x04" + strings.Repeat("\x00", 22) + "\x08\x00\x00\x00data.pkl", FormatZip},
		{"arrays.npz", "PK\x03\x04", FormatNPZ},
		{"a.zip", "PK\x05\x06", FormatZip},
		{"a.npy", "\x93NUMPY\x01\x00", FormatNPY},
		{"a.npy", "", FormatUnknown},
		{"a.7z", "7z\xbc\xaf\x27\x1c", Format7z},
		{"model.onnx", "", FormatONNX},
		{"model.onnx", "\x08\x07", FormatONNX},
		{"README.md", "# Model card", FormatUnknown},
		{"x", "", FormatUnknown},
		// A length prefix far beyond the header limit is not taken for safetensors.
		{"x.bin", "\xff\xff\xff\xff\xff\xff\xff\xff{", FormatUnknown},
		// Nor is a version line of some other spec.
		{"x.txt", "version https://example.org/spec/v1\n", FormatUnknown},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", tt.name, tt.head, got, tt.want)
		}
	}
}

func TestReadUnknownIsSuspicious(t *testing.T) {
	t.Parallel()
	got, err := readBytes("model.h5", []byte("\x89HDF\r\n\x1a\n\x00\x00"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != FormatUnknown || got.Safety != SafetySuspicious || got.Error != "" || got.Size != 10 {
		t.Errorf("facts %+v, want unknown and suspicious", got)
	}
}

func TestReadFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		facts  func() (*Facts, error)
		format Format
		want   string
	}{
		{"negative size", func() (*Facts, error) { return Read("a.gguf", failingReader{}, -1) }, FormatUnknown, "file size -1 is negative"},
		{"read error", func() (*Facts, error) { return Read("a.gguf", failingReader{}, 100) }, FormatUnknown, "reading the first 64 bytes: io: read/write on closed pipe"},
		{"safetensors reader shorter than size", func() (*Facts, error) {
			return readBytesAs("a.safetensors", append(binary.LittleEndian.AppendUint64(nil, 200), make([]byte, 92)...), 1000)
		}, FormatSafetensors, "reading the 200-byte safetensors header: unexpected EOF"},
		{"gguf reader shorter than size", func() (*Facts, error) {
			return readBytesAs("a.gguf", ggufKVFile("k", uint32(ggufString), func(e *ggufEncoder) { e.u64(500); e.buf.Write(make([]byte, 60)) }), 1000)
		}, FormatGGUF, `metadata "k": reading string at offset 45: unexpected EOF`},
	}
	for _, tt := range tests {
		got, err := tt.facts()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if got.Safety != SafetyError || got.Error != err.Error() || got.Format != tt.format {
			t.Errorf("%s: facts %+v do not record the error", tt.name, got)
		}
	}
}

// readBytesAs reads data while claiming the file is size bytes, as a lying source would.
func readBytesAs(name string, data []byte, size int64) (*Facts, error) {
	return Read(name, strings.NewReader(string(data)), size)
}

// TestFactsJSON pins the JSON that `glassbox inspect` prints, field names included.
func TestFactsJSON(t *testing.T) {
	t.Parallel()
	data := writeST(t, []Tensor{{Name: "w", DType: "BF16", Shape: []int64{2, 2}}}, map[string]string{"format": "pt"})
	facts, err := readBytes("model.safetensors", data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"path":"model.safetensors","format":"safetensors","size":104,"parameters":4,"dtypes":{"BF16":4},` +
		`"tensors":1,"tensor_bytes":8,"tensor_names":["w"],"metadata":{"format":"pt"},"safety":"safe"}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}

	facts, _ = readBytes("model.safetensors", data[:20])
	got, _ = json.Marshal(facts)
	want = `{"path":"model.safetensors","format":"safetensors","size":20,"parameters":0,"safety":"error",` +
		`"error":"safetensors header length 88 exceeds file size 20"}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
}
