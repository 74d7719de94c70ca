package artifact

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// checkGlobals holds for any Facts: imports sorted, each once, classed by the rules, and a
// verdict no milder than the worst of them.
func checkGlobals(t *testing.T, facts *Facts) {
	t.Helper()
	for i, g := range facts.Globals {
		if c, _ := rules().classify(g.Module, g.Name); c != g.Class {
			t.Fatalf("%s.%s classed %s, the rules say %s", g.Module, g.Name, g.Class, c)
		}
		if i > 0 {
			p := facts.Globals[i-1]
			if p.Module > g.Module || (p.Module == g.Module && p.Name >= g.Name) {
				t.Fatalf("globals out of order or repeated: %v", facts.Globals)
			}
		}
		if g.Class == ClassDangerous && facts.Safety != SafetyDangerous {
			t.Fatalf("dangerous import %s.%s but safety %s", g.Module, g.Name, facts.Safety)
		}
		if g.Class == ClassSuspicious && facts.Safety == SafetySafe {
			t.Fatalf("suspicious import %s.%s but safe", g.Module, g.Name)
		}
	}
	if len(facts.Warnings) > maxWarnings+1 {
		t.Fatalf("%d warnings", len(facts.Warnings))
	}
}

// addPickleSeeds adds the pickle evaluation files and hand-written pickles.
func addPickleSeeds(f *testing.F) {
	addEvalSeeds(f, "pickles", "files", "files-generated", "files-modelscan")
	for _, p := range []string{
		evilPickle, benignPickle,
		"cos\nsystem\n(S'ls'\ntR.",
		"Vos\np2\n0Vsystem\np3\n0g2\ng3\n" + stackGlobal + stop,
		proto4 + shortUni("os") + memoize + shortUni("system") + memoize + binGet(0) + binGet(1) + stackGlobal + stop,
		proto2 + "\x8a\x0a" + string(torchLegacyMagic) + stop + strings.Repeat(proto2+"N.", 4) + "\x00\x01",
		proto4 + "\x95\x10\x00\x00\x00\x00\x00\x00\x00" + "]" + mark + "K\x01K\x02\x86e" + stop,
		"S'o\\x73'\nV\\u0073ystem\n" + stackGlobal + stop,
	} {
		f.Add([]byte(p))
	}
}

func FuzzPickle(f *testing.F) {
	addPickleSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, err := WalkPickle(bytes.NewReader(data), int64(len(data)))
		if fast == nil {
			t.Fatal("nil walk")
		}
		if fast.Opcodes > int64(len(data)) || fast.Pickles > len(data) {
			t.Fatalf("%d opcodes, %d pickles in %d bytes", fast.Opcodes, fast.Pickles, len(data))
		}
		// A reader that cannot seek and hands out one byte at a time must see the same.
		slow, slowErr := WalkPickle(iotest.OneByteReader(bytes.NewReader(data)), int64(len(data)))
		if !reflect.DeepEqual(fast, slow) || (err == nil) != (slowErr == nil) || (err != nil && err.Error() != slowErr.Error()) {
			t.Fatalf("seeking walk %+v, %v; byte-at-a-time walk %+v, %v", fast, err, slow, slowErr)
		}
		facts, err := Read("f.pkl", bytes.NewReader(data), int64(len(data)))
		checkFacts(t, facts, err)
		if facts.Format == FormatPickle && facts.Safety != SafetyError && facts.Safety != fast.Safety() && len(facts.Warnings) == 0 {
			t.Fatalf("Read says %s, the walk %s", facts.Safety, fast.Safety())
		}
	})
}

func FuzzPyTorchZip(f *testing.F) {
	addPickleSeeds(f)
	f.Add(buildZip(f, member{name: "archive/data.pkl", data: benignPickle}, member{name: "archive/data/0", data: "abcd"},
		member{name: "archive/version", data: "3\n"}))
	f.Add(buildZip(f, member{name: "m/data.pkl", data: evilPickle}, member{name: "../x.pkl", data: evilPickle}))
	f.Add(buildZip(f, member{name: "a.npy", data: objectArray(evilPickle)}, member{name: "b.pkl", data: benignPickle}))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"model.pt", "arrays.npz"} {
			facts, err := Read(name, bytes.NewReader(data), int64(len(data)))
			checkFacts(t, facts, err)
		}
	})
}

func FuzzNPY(f *testing.F) {
	addEvalSeeds(f, "pickles", "files")
	f.Add([]byte(npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", strings.Repeat("\x00", 24))))
	f.Add([]byte(npyFile(3, "{'descr': [('a', '<i4'), ('b', [('c', '|O')])], 'fortran_order': False, 'shape': (1,), }", evilPickle)))
	f.Add([]byte(objectArray(benignPickle)))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Read("a.npy", bytes.NewReader(data), int64(len(data)))
		checkFacts(t, facts, err)
		if err == nil && facts.Format == FormatNPY && facts.Parameters != facts.DTypes[facts.Metadata["descr"]] &&
			facts.Metadata["descr"] != "STRUCT" && npyTypeName(facts.Metadata["descr"]) == facts.Metadata["descr"] {
			t.Fatalf("parameters %d but dtypes %v", facts.Parameters, facts.DTypes)
		}
	})
}

func FuzzONNX(f *testing.F) {
	m := (&onnxModel{}).varint(1, 8).str(2, "pytorch").str(3, "2.3.0").varint(5, 1).str(6, "doc").
		bytes(7, make([]byte, 64)).bytes(8, opset("", 17)).bytes(8, opset("ai.onnx.ml", 3)).bytes(14, prop("k", "v"))
	f.Add(m.b)
	f.Add((&onnxModel{}).varint(1, 3).b)
	f.Add([]byte{0x08, 0x07, 0x3a, 0x02, 0x0a, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Read("model.onnx", bytes.NewReader(data), int64(len(data)))
		checkFacts(t, facts, err)
		if err != nil {
			return
		}
		if facts.Format == FormatONNX && facts.Safety != SafetySafe {
			t.Fatalf("ONNX read as %s", facts.Safety)
		}
		for k, v := range facts.Metadata {
			if len(v) > maxMetadataValue+len("…") || !utf8.ValidString(v) {
				t.Fatalf("metadata %q is %d bytes or not UTF-8", k, len(v))
			}
		}
	})
}

func Fuzz7z(f *testing.F) {
	addEvalSeeds(f, "pickles", "files")
	f.Add(build7z([]szFile7{{name: "d", dir: true}, {name: "d/a.pkl", data: evilPickle}, {name: "b.npy", data: objectArray(benignPickle)}}))
	f.Add(build7z([]szFile7{{name: "x.txt", data: "hello"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Read("a.7z", bytes.NewReader(data), int64(len(data)))
		checkFacts(t, facts, err)
	})
}

// FuzzLZMA2 feeds arbitrary streams to the LZMA2 and x86 decoders, which must end in an error
// or EOF, never a panic, and never produce more than they were asked for.
func FuzzLZMA2(f *testing.F) {
	f.Add([]byte{16, 0x01, 0x00, 0x03, 'a', 'b', 'c', 'd', 0x00})
	f.Add([]byte{16, 0xe0, 0x00, 0x05, 0x00, 0x0a, 0x5d, 0x00, 0x30, 0xe8, 0x3b, 0xbc, 0xa4, 0x7f, 0xff, 0xf6, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		const limit = 1 << 16
		r, err := newLZMA2Reader(bytes.NewReader(data[1:]), data[:1], limit, 1<<12)
		if err != nil {
			return
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(newBCJReader(r), limit+1))
		if n > limit {
			t.Fatalf("decoded %d bytes past the limit", n)
		}
	})
}
