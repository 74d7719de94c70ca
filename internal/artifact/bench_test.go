package artifact

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sparseFile writes header and extends the file to header+dataLen bytes with Truncate, so the
// tensor data is a hole that costs no disk and must never be read.
func sparseFile(b *testing.B, name string, header []byte, dataLen int64) (*os.File, int64) {
	b.Helper()
	f, err := os.Create(filepath.Join(b.TempDir(), name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	if _, err := f.Write(header); err != nil {
		b.Fatal(err)
	}
	size := int64(len(header)) + dataLen
	if err := f.Truncate(size); err != nil {
		b.Skipf("cannot make a %d-byte sparse file: %v", size, err)
	}
	return f, size
}

// BenchmarkSafetensorsHeader reads the header of files whose tensor data ranges from 1 MiB to
// 100 GiB. The header is the same size in each (a 7B-model-like 291 tensors), so the time per
// read must stay flat: it shows that tensor data is never touched.
func BenchmarkSafetensorsHeader(b *testing.B) {
	const tensors = 291
	for _, dataLen := range []int64{1 << 20, 1 << 30, 100 << 30} {
		b.Run(byteSize(dataLen), func(b *testing.B) {
			var ts []Tensor
			each := dataLen / tensors / 2 * 2 // whole BF16 elements
			for i := range tensors {
				ts = append(ts, Tensor{Name: "model.layers." + strconv.Itoa(i) + ".weight", DType: "BF16", Shape: []int64{each / 2}})
			}
			ts[0].Shape[0] += (dataLen - each*tensors) / 2 // the remainder, so the data is exactly dataLen
			header, n, err := safetensorsHeader(ts, map[string]string{"format": "pt"})
			if err != nil {
				b.Fatal(err)
			}
			f, size := sparseFile(b, "model.safetensors", header, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				facts, err := Read("model.safetensors", f, size)
				if err != nil {
					b.Fatal(err)
				}
				if facts.Tensors != tensors {
					b.Fatalf("%d tensors", facts.Tensors)
				}
			}
		})
	}
}

// BenchmarkGGUFHeader does the same for GGUF, whose reader goes through a buffered stream.
func BenchmarkGGUFHeader(b *testing.B) {
	for _, dataLen := range []int64{1 << 20, 100 << 30} {
		b.Run(byteSize(dataLen), func(b *testing.B) {
			e := ggufHead(3, 1, uint64(len(exampleKVs)))
			for _, kv := range exampleKVs {
				e.str(kv.Key)
				if err := e.kv(kv); err != nil {
					b.Fatal(err)
				}
			}
			e.str("weight")
			e.u32(1)
			e.u64(uint64(dataLen / 4))
			e.u32(0) // F32
			e.u64(0)
			e.buf.Write(make([]byte, padTo(uint64(e.buf.Len()), 32)-uint64(e.buf.Len())))
			f, size := sparseFile(b, "model.gguf", e.buf.Bytes(), dataLen)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Read("model.gguf", f, size); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatInt(n>>30, 10) + "GiB"
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	}
	return strconv.FormatInt(n, 10) + "B"
}
