package artifact

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestPartialFacts: a file with a structural defect gives every fact read before the defect
// together with the error (inspect --help promises both).
func TestPartialFacts(t *testing.T) {
	t.Parallel()
	u8 := func(name string, b, e int) string {
		return `"` + name + `":{"dtype":"U8","shape":[` + itoa(e-b) + `],"data_offsets":[` + itoa(b) + `,` + itoa(e) + `]}`
	}
	ggufOverlap := func() []byte {
		e := ggufHead(3, 2, 1)
		e.str("general.architecture")
		e.u32(uint32(ggufString))
		e.str("llama")
		for _, name := range []string{"a", "b"} {
			e.str(name)
			e.u32(1)
			e.u64(16)
			e.u32(0)
			e.u64(32)
		}
		e.buf.Write(make([]byte, padTo(uint64(e.buf.Len()), 32)-uint64(e.buf.Len())+128))
		return e.buf.Bytes()
	}()
	ggufCut := func() []byte { // the second tensor info is cut short
		e := ggufHead(3, 2, 1)
		e.str("general.license")
		e.u32(uint32(ggufString))
		e.str("mit")
		e.str("a")
		e.u32(1)
		e.u64(32)
		e.u32(0)
		e.u64(0)
		e.str("b")
		return append(e.buf.Bytes(), make([]byte, 21)...)[:e.buf.Len()+3]
	}()
	tests := []struct {
		name, file string
		data       []byte
		err        string
		want       Facts // the fields compared: Parameters, DTypes, Tensors, TensorNames, Architecture, License, Metadata, Globals
	}{
		{"safetensors out of bounds", "model.safetensors",
			rawSafetensors(`{"__metadata__":{"format":"pt"},`+u8("a", 0, 4)+`,`+u8("b", 4, 12)+`}`, 6),
			`tensor "b" data_offsets [4,12) run past the end of the file`,
			Facts{Parameters: 4, DTypes: map[string]int64{"U8": 4}, Tensors: 1, TensorNames: []string{"a"}, Metadata: map[string]string{"format": "pt"}}},
		{"safetensors overlap", "model.safetensors",
			rawSafetensors(`{`+u8("a", 0, 3)+`,`+u8("b", 2, 4)+`}`, 4),
			`tensors "a" [0,3) and "b" [2,4) overlap`,
			Facts{Parameters: 5, DTypes: map[string]int64{"U8": 5}, Tensors: 2, TensorNames: []string{"a", "b"}}},
		{"gguf overlap", "model.gguf", ggufOverlap,
			`tensors "a" [32,96) and "b" [32,96) overlap in the data section`,
			Facts{Parameters: 32, DTypes: map[string]int64{"F32": 32}, Tensors: 2, TensorNames: []string{"a", "b"}, Architecture: "llama",
				Metadata: map[string]string{"general.architecture": "llama"}}},
		{"gguf cut in a tensor info", "model.gguf", ggufCut,
			`(truncated?)`,
			Facts{Parameters: 32, DTypes: map[string]int64{"F32": 32}, Tensors: 1, TensorNames: []string{"a"}, License: "mit",
				Metadata: map[string]string{"general.license": "mit"}}},
		{"pickle cut after its import", "model.pkl",
			[]byte(evilPickle[:len(evilPickle)-1]),
			"",
			Facts{Globals: []Global{{Module: "os", Name: "system", Class: ClassDangerous}}, Metadata: map[string]string{"pickle_protocol": "4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := readBytes(tt.file, tt.data)
			if err == nil || f == nil || f.Error == "" || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Read = %+v, %v; want facts and an error containing %q", f, err, tt.err)
			}
			got := Facts{Parameters: f.Parameters, DTypes: f.DTypes, Tensors: f.Tensors, TensorNames: f.TensorNames,
				Architecture: f.Architecture, License: f.License, Metadata: f.Metadata, Globals: f.Globals}
			if len(got.DTypes) == 0 {
				got.DTypes = nil
			}
			for i := range got.Globals {
				got.Globals[i].Why = ""
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("facts kept:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// cutReader fails every read that reaches past off with err.
type cutReader struct {
	data []byte
	off  int64
	err  error
}

func (r cutReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > r.off {
		return 0, r.err
	}
	return copy(p, r.data[off:]), nil
}

// TestReadErrorIsNotADefect: a header whose bytes could not be fetched (a disk or network
// error, a read budget) is marked ReadError; a truncated file, whose reader says io.EOF, is a
// defect and is not.
func TestReadErrorIsNotADefect(t *testing.T) {
	t.Parallel()
	data := rawSafetensors(`{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}`, 4)
	f, err := Read("model.safetensors", cutReader{data, 16, errors.New("header reading stopped at 16 bytes (limit 16)")}, int64(len(data)))
	if err == nil || !f.ReadError || !strings.Contains(f.Error, "limit 16") {
		t.Errorf("fetch failure: %+v, %v; want ReadError with the reader's message", f, err)
	}
	f, err = readBytes("model.safetensors", data[:len(data)-2])
	if err == nil || f.ReadError {
		t.Errorf("truncated file: %+v, %v; want a defect, not a read error", f, err)
	}
}
