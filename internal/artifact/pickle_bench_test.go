package artifact

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkPickleWalk walks a 100 MB opcode-dense pickle (10 million tuples, 40 million
// opcodes) from a file; bench/pickle_walk.sh compares the same walk with Python's
// pickletools.genops.
func BenchmarkPickleWalk(b *testing.B) {
	path := filepath.Join(b.TempDir(), "dense.pkl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteDensePickle(f, 10_000_000); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	size := st.Size()
	b.SetBytes(size)
	b.ReportAllocs()
	var ops int64
	for b.Loop() {
		w, err := WalkPickle(io.NewSectionReader(f, 0, size), size)
		if err != nil || len(w.Globals) != 0 {
			b.Fatalf("%+v, %v", w, err)
		}
		ops = w.Opcodes
	}
	b.ReportMetric(float64(ops)*float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	f.Close()
}

// writeStringPickle writes a protocol 4 dict of n entries keyed by distinct tensor-like names,
// each key memoized as the pickler does, then one import by STACK_GLOBAL.
func writeStringPickle(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("\x80\x04}\x94(")
	for i := range n {
		name := "model.layers." + strconv.Itoa(i) + ".self_attn.q_proj.weight"
		bw.WriteByte(0x8c)
		bw.WriteByte(byte(len(name)))
		bw.WriteString(name)
		bw.WriteString("\x94K\x01")
		if i%1000 == 999 {
			bw.WriteString("u(")
		}
	}
	bw.WriteString("u\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94.")
	return bw.Flush()
}

// BenchmarkPickleWalkStrings walks a pickle of a million distinct memoized strings, the cost
// of which is keeping them: any may later name an import.
func BenchmarkPickleWalkStrings(b *testing.B) {
	var buf bytes.Buffer
	if err := writeStringPickle(&buf, 1_000_000); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		w, err := WalkPickle(bytes.NewReader(data), int64(len(data)))
		if err != nil || len(w.Globals) != 1 || w.Globals[0].Class != ClassInnocuous {
			b.Fatalf("%+v, %v", w.Globals, err)
		}
	}
}
