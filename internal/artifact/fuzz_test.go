package artifact

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// maxSeed keeps seeds small so the fuzzer mutates headers, not megabytes of tensor data; the
// headers of the small real files fit in it, and a cut-off tokenizer array still exercises the
// array paths.
const maxSeed = 4 << 10

// addEvalSeeds adds the files under ../shared/eval/<sub>/<dirs> as seeds, cut to maxSeed, and
// adds nothing when the data is absent.
func addEvalSeeds(f *testing.F, sub string, dirs ...string) {
	root, err := evalPath(sub)
	if err != nil {
		f.Logf("no evaluation seeds: %v", err)
		return
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			continue
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(root, d, e.Name()))
			if err != nil {
				continue
			}
			f.Add(data[:min(len(data), maxSeed)])
		}
	}
}

// checkFacts holds for any input: Read never panics, and its Facts agree with its error.
func checkFacts(t *testing.T, facts *Facts, err error) {
	if facts == nil {
		t.Fatal("nil facts")
	}
	checkGlobals(t, facts)
	if err != nil {
		// An import already found dangerous stays dangerous whatever follows it.
		if (facts.Safety != SafetyError && facts.Safety != SafetyDangerous) || facts.Error != err.Error() {
			t.Fatalf("error %v but facts say %q %q", err, facts.Safety, facts.Error)
		}
		return
	}
	var sum int64
	for _, n := range facts.DTypes {
		if n < 0 {
			t.Fatalf("negative count in %v", facts.DTypes)
		}
		sum += n
	}
	if sum != facts.Parameters || facts.Parameters < 0 {
		t.Fatalf("dtypes %v do not add up to %d parameters", facts.DTypes, facts.Parameters)
	}
	// Formats that list tensor names list one per tensor (ONNX counts initializers without
	// naming them).
	if facts.TensorNames != nil && len(facts.TensorNames) != facts.Tensors {
		t.Fatalf("%d names for %d tensors", len(facts.TensorNames), facts.Tensors)
	}
	if len(facts.Metadata) > maxMetadataEntries {
		t.Fatalf("%d metadata entries", len(facts.Metadata))
	}
}

func FuzzSafetensors(f *testing.F) {
	addEvalSeeds(f, "safetensors", "files", "malformed")
	for _, ts := range [][]Tensor{
		nil,
		{{Name: "a", DType: "F32", Shape: []int64{2, 2}}, {Name: "b", DType: "F4", Shape: []int64{2}}},
		{{Name: "x", DType: "BF16", Shape: []int64{}}, {Name: "e", DType: "U8", Shape: []int64{0}}},
	} {
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, ts, map[string]string{"format": "pt"}); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add(rawSafetensors(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"a":{}}`, 2))
	f.Add(rawSafetensors(`{"a":{"dtype":"U8","shape":[4611686018427387904,4],"data_offsets":[0,1]}}`, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Read("f.safetensors", bytes.NewReader(data), int64(len(data)))
		checkFacts(t, facts, err)
		if err != nil {
			return
		}
		if facts.Format != FormatSafetensors {
			return // the content was an LFS pointer or a GGUF header
		}
		n := int64(binary.LittleEndian.Uint64(data))
		if facts.TensorBytes != int64(len(data))-8-n {
			t.Fatalf("tensor bytes %d, but %d bytes follow the header", facts.TensorBytes, int64(len(data))-8-n)
		}
	})
}

func FuzzGGUF(f *testing.F) {
	addEvalSeeds(f, "gguf", "files", "malformed")
	for _, v := range []uint32{1, 2, 3} {
		var buf bytes.Buffer
		if err := writeGGUF(&buf, v, exampleKVs, exampleTensors); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	for _, b := range ggufBad {
		f.Add(b.file)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Read("f.gguf", bytes.NewReader(data), int64(len(data)))
		checkFacts(t, facts, err)
		// Partial facts on a defect obey the same bounds as a clean read's.
		if facts == nil || facts.Format != FormatGGUF {
			return
		}
		if facts.Parameters < 0 || facts.TensorBytes < 0 || len(facts.TensorNames) != facts.Tensors {
			t.Fatalf("parameters %d, tensor bytes %d, %d names for %d tensors", facts.Parameters, facts.TensorBytes, len(facts.TensorNames), facts.Tensors)
		}
		for k, v := range facts.Metadata {
			if len(v) > maxMetadataValue+len("…") || !utf8.ValidString(v) {
				t.Fatalf("metadata %q is %d bytes or not UTF-8", k, len(v))
			}
		}
		if facts.KVCount < int64(len(facts.Metadata)) {
			t.Fatalf("%d metadata entries from %d kvs", len(facts.Metadata), facts.KVCount)
		}
	})
}

func FuzzLFSPointer(f *testing.F) {
	f.Add([]byte(lfsPointer))
	f.Add([]byte("version https://hawser.github.com/spec/v1\r\noid sha256:" + lfsOID + "\r\nsize 0"))
	f.Add([]byte("version https://git-lfs.github.com/spec/v1\next-0-x y\noid sha256:" + lfsOID + "\nsize 12\n"))
	f.Add([]byte("version https://git-lfs.github.com/spec/v1\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ok := ParseLFSPointer(data)
		if !ok {
			if p != nil {
				t.Fatal("pointer returned with false")
			}
			return
		}
		if len(data) >= MaxLFSPointer || !isLowerHex(p.OID, 64) || p.Size < 0 {
			t.Fatalf("accepted %q as %+v", data, p)
		}
		// Read must come to the same answer through detection.
		facts, err := Read("x", bytes.NewReader(data), int64(len(data)))
		if err != nil || facts.Format != FormatLFSPointer || *facts.LFS != *p {
			t.Fatalf("Read gives %+v, %v; ParseLFSPointer gives %+v", facts, err, p)
		}
	})
}
