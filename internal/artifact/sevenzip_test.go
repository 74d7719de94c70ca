package artifact

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

// lzmaPlain rebuilds the input of the vectors in testdata/lzma (see gen.py there): words from
// a small vocabulary, incompressible bytes, and x86-like CALL/JMP instructions.
func lzmaPlain() []byte {
	words := []string{"tensor", "weight", "bias", "layer", "model", "attention", "mlp", "norm",
		"embed", "head", "query", "key", "value", "output", "gate", "proj"}
	x := uint32(12345)
	lcg := func() uint32 {
		x = (x*1103515245 + 12345) & 0x7FFFFFFF
		return x
	}
	var out []byte
	for len(out) < 96<<10 {
		out = append(out, words[(lcg()>>16)%uint32(len(words))]+" "...)
	}
	for range 24 << 10 {
		out = append(out, byte(lcg()>>16))
	}
	for len(out) < 160<<10 {
		r := lcg() >> 16
		if r%7 == 0 {
			top := byte(0xFF)
			if r&2 != 0 {
				top = 0
			}
			out = append(out, 0xE8|byte(r&1), byte(r), byte(r>>8), 0, top)
		} else {
			out = append(out, words[r%uint32(len(words))]+"."...)
		}
	}
	return out
}

func TestLZMADecoders(t *testing.T) {
	t.Parallel()
	plain := lzmaPlain()
	load := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "lzma", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		open func() (io.Reader, error)
	}{
		{"LZMA", func() (io.Reader, error) {
			b := load("plain.lzma")
			return newLZMAReader(bytes.NewReader(b[5:]), b[:5], uint64(len(plain)), lzmaWindowCap)
		}},
		{"LZMA2", func() (io.Reader, error) {
			b := load("plain.lzma2")
			return newLZMA2Reader(bytes.NewReader(b[1:]), b[:1], uint64(len(plain)), lzmaWindowCap)
		}},
		{"LZMA2 then x86", func() (io.Reader, error) {
			b := load("plain.x86.lzma2")
			r, err := newLZMA2Reader(bytes.NewReader(b[1:]), b[:1], uint64(len(plain)), lzmaWindowCap)
			return newBCJReader(r), err
		}},
		{"LZMA2 then x86, one byte at a time", func() (io.Reader, error) {
			b := load("plain.x86.lzma2")
			r, err := newLZMA2Reader(iotest.OneByteReader(bytes.NewReader(b[1:])), b[:1], uint64(len(plain)), lzmaWindowCap)
			return iotest.OneByteReader(newBCJReader(iotest.HalfReader(r))), err
		}},
	}
	for _, tt := range tests {
		r, err := tt.open()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if !bytes.Equal(got, plain) {
			i := 0
			for i < min(len(got), len(plain)) && got[i] == plain[i] {
				i++
			}
			t.Errorf("%s: %d bytes decoded, first difference at %d of %d", tt.name, len(got), i, len(plain))
		}
	}

	// A window smaller than the matches need is reported as such, not as corruption.
	b := load("plain.lzma")
	r, _ := newLZMAReader(bytes.NewReader(b[5:]), b[:5], uint64(len(plain)), 1024)
	if _, err := io.ReadAll(r); !errors.Is(err, errLZMAWindow) {
		t.Errorf("small window: %v, want errLZMAWindow", err)
	}
}

func TestLZMAErrors(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("testdata", "lzma", "plain.lzma2"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		open func() (io.Reader, error)
		want string
	}{
		{"bad LZMA props", func() (io.Reader, error) {
			return newLZMAReader(bytes.NewReader(nil), []byte{225, 0, 0, 1, 0}, 10, 100)
		}, "properties byte 225"},
		{"short LZMA props", func() (io.Reader, error) { return newLZMAReader(bytes.NewReader(nil), []byte{93}, 10, 100) }, "are 1 bytes"},
		{"LZMA stream not starting with 0", func() (io.Reader, error) {
			return newLZMAReader(bytes.NewReader([]byte{1, 0, 0, 0, 0}), []byte{93, 0, 0, 1, 0}, 10, 100)
		}, "corrupt LZMA data"},
		{"bad LZMA2 props", func() (io.Reader, error) { return newLZMA2Reader(bytes.NewReader(nil), []byte{41}, 10, 100) }, "not valid"},
		{"bad chunk control", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader([]byte{0x05}), []byte{16}, 10, 100)
		}, "control byte 0x05"},
		{"chunk without props", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader([]byte{0x80, 0, 0, 0, 0}), []byte{16}, 10, 100)
		}, "no properties"},
		{"truncated stream", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader(b[1:len(b)/2]), b[:1], 1<<20, lzmaWindowCap)
		}, "unexpected EOF"},
		{"truncated stored chunk", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader([]byte{0x01, 0x00, 0x09, 'a'}), []byte{16}, 10, 100)
		}, "stored chunk"},
	}
	for _, tt := range tests {
		r, err := tt.open()
		if err == nil {
			_, err = io.ReadAll(r)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestBCJX86Boundaries(t *testing.T) {
	t.Parallel()
	// A short tail passes unchanged; the decoder never reads past what it is given.
	for n := range 6 {
		b := bytes.Repeat([]byte{0xE8}, n)
		var mask uint32
		if done := bcjX86Decode(b, 0, &mask); done > n {
			t.Errorf("%d bytes: %d decoded", n, done)
		}
	}
}

// szFile7 is one file of a test 7z archive.
type szFile7 struct {
	name string
	data string
	dir  bool
}

// build7z writes a 7z archive whose one folder stores (Copy) the files' bytes, with a plain
// (not encoded) header.
func build7z(files []szFile7) []byte { return build7zCRC(files, false) }

// build7zCRC is build7z, optionally giving the folder a CRC of its own and listing the files'
// CRCs as 7-Zip does then: none for a folder of one file.
func build7zCRC(files []szFile7, folderCRC bool) []byte {
	var packed []byte
	var sizes []uint64
	for _, f := range files {
		if !f.dir {
			packed = append(packed, f.data...)
			sizes = append(sizes, uint64(len(f.data)))
		}
	}
	num := func(b []byte, v uint64) []byte {
		// Nine-byte form: 0xFF then eight little-endian bytes, valid for any value.
		return binary.LittleEndian.AppendUint64(append(b, 0xFF), v)
	}
	h := []byte{szHeader, szMainStreams, szPackInfo}
	h = num(h, 0)
	h = num(h, 1)
	h = append(h, szSize)
	h = num(h, uint64(len(packed)))
	h = append(h, szEnd, szUnpackInfo, szFolderID)
	h = num(h, 1)
	h = append(h, 0)       // not external
	h = num(h, 1)          // one coder
	h = append(h, 1, 0x00) // id size 1, Copy
	h = append(h, szCodersUnpackSize)
	h = num(h, uint64(len(packed)))
	if folderCRC {
		h = append(h, szCRC, 1)
		h = binary.LittleEndian.AppendUint32(h, crc32.ChecksumIEEE(packed))
	}
	h = append(h, szEnd, szSubStreamsInfo, szNumUnpackStream)
	h = num(h, uint64(len(sizes)))
	if len(sizes) > 1 {
		h = append(h, szSize)
		for _, s := range sizes[:len(sizes)-1] {
			h = num(h, s)
		}
	}
	if folderCRC {
		h = append(h, szCRC, 1)
		if len(sizes) != 1 {
			at := 0
			for _, n := range sizes {
				h = binary.LittleEndian.AppendUint32(h, crc32.ChecksumIEEE(packed[at:at+int(n)]))
				at += int(n)
			}
		}
	}
	h = append(h, szEnd, szEnd, szFilesInfo)
	h = num(h, uint64(len(files)))
	// Empty streams.
	bits := make([]byte, (len(files)+7)/8)
	for i, f := range files {
		if f.dir {
			bits[i/8] |= 0x80 >> (i % 8)
		}
	}
	h = append(h, szEmptyStream)
	h = num(h, uint64(len(bits)))
	h = append(h, bits...)
	// Names.
	var names []byte
	names = append(names, 0)
	for _, f := range files {
		for _, u := range utf16.Encode([]rune(f.name)) {
			names = binary.LittleEndian.AppendUint16(names, u)
		}
		names = append(names, 0, 0)
	}
	h = append(h, szName)
	h = num(h, uint64(len(names)))
	h = append(h, names...)
	h = append(h, 0x19) // a property glassbox skips (kDummy)
	h = num(h, 2)
	h = append(h, 0, 0)
	h = append(h, szEnd, szEnd)

	start := make([]byte, 20)
	binary.LittleEndian.PutUint64(start, uint64(len(packed)))
	binary.LittleEndian.PutUint64(start[8:], uint64(len(h)))
	binary.LittleEndian.PutUint32(start[16:], crc32.ChecksumIEEE(h))
	out := append([]byte{}, sevenZipMagic...)
	out = append(out, 0, 4)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(start))
	out = append(out, start...)
	out = append(out, packed...)
	return append(out, h...)
}

func TestRead7z(t *testing.T) {
	t.Parallel()
	file := build7z([]szFile7{
		{name: "model", dir: true},
		{name: "model/config.pkl", data: benignPickle},
		{name: "model/notes.txt", data: "nothing to see"},
		{name: "model/arr.npy", data: objectArray(evilPickle)},
		{name: `..\escape.pkl`, data: evilPickle},
		{name: "empty.pkl", dir: true},
	})
	got, err := readBytes("bundle.7z", file)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != Format7z || got.Safety != SafetyDangerous {
		t.Errorf("format %s safety %s", got.Format, got.Safety)
	}
	if want := []Global{g("collections", "OrderedDict"), g("os", "system")}; !reflect.DeepEqual(got.Globals, want) {
		t.Errorf("globals %v, want %v", got.Globals, want)
	}
	if want := []string{`member "..\\escape.pkl" climbs out of the archive with ..; not examined`}; !reflect.DeepEqual(got.Warnings, want) {
		t.Errorf("warnings %q, want %q", got.Warnings, want)
	}
	if got.Tensors != 1 || got.Parameters != 2 || got.TensorNames[0] != "model/arr" {
		t.Errorf("arrays: %d tensors %v, %d parameters", got.Tensors, got.TensorNames, got.Parameters)
	}
	// With CRCs: a folder of one file lists none for it, a folder of two lists both.
	for _, files := range [][]szFile7{
		{{name: "a.pkl", data: evilPickle}},
		{{name: "a.pkl", data: evilPickle}, {name: "b.pkl", data: benignPickle}},
	} {
		got, err = readBytes("crc.7z", build7zCRC(files, true))
		if err != nil || got.Safety != SafetyDangerous || len(got.Globals) != len(files) {
			t.Errorf("%d files with CRCs: %+v, %v", len(files), got, err)
		}
	}
	// A header cut short is an error, not an empty archive.
	got, err = readBytes("empty.7z", build7z(nil)[:32])
	if err == nil {
		t.Errorf("a 7z whose header is missing read as %+v", got)
	}
}

func TestRead7zErrors(t *testing.T) {
	t.Parallel()
	good := build7z([]szFile7{{name: "a.pkl", data: evilPickle}})
	corrupt := func(at int, b byte) []byte {
		c := append([]byte{}, good...)
		c[at] = b
		return c
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"short", good[:20], "needs a 32-byte signature header"},
		{"start header checksum", corrupt(12, 0xEE), "start header fails its checksum"},
		{"header checksum", corrupt(len(good)-3, 0xEE), "7z header fails its checksum"},
		{"version", corrupt(6, 1), "7z format version 1.4"},
		{"header beyond the file", good[:len(good)-5], "lies beyond the"},
	}
	for _, tt := range tests {
		got, err := readBytes("a.7z", tt.file)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if got.Format != Format7z || got.Safety != SafetyError {
			t.Errorf("%s: format %s safety %s", tt.name, got.Format, got.Safety)
		}
	}
}

func TestSZNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []byte
		want uint64
	}{
		{[]byte{0x05}, 5},
		{[]byte{0x7F}, 127},
		{[]byte{0x80, 0x80}, 128},
		{[]byte{0xBF, 0xFF}, 0x3FFF},
		{[]byte{0xC0, 0x00, 0x40}, 0x4000},
		{[]byte{0xFF, 1, 2, 3, 4, 5, 6, 7, 8}, 0x0807060504030201},
	}
	for _, tt := range tests {
		p := &szParser{b: tt.in}
		got, err := p.number()
		if err != nil || got != tt.want || p.i != len(tt.in) {
			t.Errorf("number(%x) = %#x, %v after %d bytes; want %#x", tt.in, got, err, p.i, tt.want)
		}
	}
	if _, err := (&szParser{b: []byte{0xFF, 1}}).number(); err == nil {
		t.Error("truncated number accepted")
	}
}
