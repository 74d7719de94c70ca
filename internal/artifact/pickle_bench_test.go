package artifact

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// writeDensePickle writes the opcode-dense pickle the walker is benchmarked on: a protocol 2
// list of n two-int tuples, as pickle.dumps([(x, y), …], 2) writes it (each tuple memoized,
// appends in batches of 1000). bench/picklewalk writes the same file for the comparison with
// Python.
func writeDensePickle(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("\x80\x02]q\x00")
	memo := uint32(1)
	for done := 0; done < n; {
		bw.WriteByte('(')
		for i := 0; i < 1000 && done < n; i, done = i+1, done+1 {
			bw.Write([]byte{'K', byte(done), 'K', byte(done >> 8), 0x86})
			if memo < 256 {
				bw.Write([]byte{'q', byte(memo)})
			} else {
				bw.WriteByte('r')
				bw.Write(binary.LittleEndian.AppendUint32(nil, memo))
			}
			memo++
		}
		bw.WriteByte('e')
	}
	bw.WriteByte('.')
	return bw.Flush()
}

// BenchmarkPickleWalk walks a 100 MB opcode-dense pickle (10 million tuples, 40 million
// opcodes) from a file; bench/pickle_walk.sh compares the same walk with Python's
// pickletools.genops.
func BenchmarkPickleWalk(b *testing.B) {
	path := filepath.Join(b.TempDir(), "dense.pkl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeDensePickle(f, 10_000_000); err != nil {
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
