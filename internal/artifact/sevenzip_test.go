package artifact

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"

	"github.com/ulikunitz/xz/lzma"
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
		// The library names chunk errors without the offending byte.
		{"bad chunk control", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader([]byte{0x05}), []byte{16}, 10, 100)
		}, "corrupt LZMA2 data: lzma: unsupported chunk header byte"},
		{"chunk without props", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader([]byte{0x80, 0, 0, 0, 0}), []byte{16}, 10, 100)
		}, "corrupt LZMA2 data: lzma: unexpected chunk type"},
		{"truncated stream", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader(b[1:len(b)/2]), b[:1], 1<<20, lzmaWindowCap)
		}, "LZMA2 stream ends early: unexpected EOF"},
		{"truncated stored chunk", func() (io.Reader, error) {
			return newLZMA2Reader(bytes.NewReader([]byte{0x01, 0x00, 0x09, 'a'}), []byte{16}, 10, 100)
		}, "LZMA2 stream ends early: unexpected EOF"},
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
	// size, when set, is the size the header states instead of len(data).
	size uint64
}

func (f szFile7) len() uint64 {
	if f.size != 0 {
		return f.size
	}
	return uint64(len(f.data))
}

// szCoder7 is one coder of a test 7z folder, with the size of its output.
type szCoder7 struct {
	id, props []byte
	out       uint64
}

// sz7 describes a test 7z archive of one folder.
type sz7 struct {
	files []szFile7
	// coders is the folder's chain: coders[0] makes the folder's output, each coder reads the
	// next one's output, and the last reads packed. Nil is one Copy coder of the files' data.
	coders []szCoder7
	packed []byte
	// folderCRC gives the folder a CRC of its own and lists the files' CRCs as 7-Zip does then:
	// none for a folder of one file. Only for Copy.
	folderCRC bool
	// encode, when set, packs the header into an encoded header read through the coders it
	// returns.
	encode func(hdr []byte) ([]szCoder7, []byte)
}

// sz7num writes a number in the nine-byte form: 0xFF then eight little-endian bytes, valid for
// any value.
func sz7num(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(append(b, 0xFF), v) }

// sz7streams writes a StreamsInfo of one packed stream at packPos and one folder; sizes, when
// not nil, are its files'.
func sz7streams(h []byte, packPos uint64, packed []byte, coders []szCoder7, folderCRC bool, sizes []uint64) []byte {
	h = append(h, szPackInfo)
	h = sz7num(h, packPos)
	h = sz7num(h, 1)
	h = append(h, szSize)
	h = sz7num(h, uint64(len(packed)))
	h = append(h, szEnd, szUnpackInfo, szFolderID)
	h = sz7num(h, 1)
	h = append(h, 0) // not external
	h = sz7num(h, uint64(len(coders)))
	for _, c := range coders {
		flags := byte(len(c.id))
		if c.props != nil {
			flags |= 0x20
		}
		h = append(h, flags)
		h = append(h, c.id...)
		if c.props != nil {
			h = sz7num(h, uint64(len(c.props)))
			h = append(h, c.props...)
		}
	}
	for i := range len(coders) - 1 {
		h = sz7num(h, uint64(i))   // coder i's input
		h = sz7num(h, uint64(i+1)) // is coder i+1's output
	}
	h = append(h, szCodersUnpackSize)
	for _, c := range coders {
		h = sz7num(h, c.out)
	}
	if folderCRC {
		h = append(h, szCRC, 1)
		h = binary.LittleEndian.AppendUint32(h, crc32.ChecksumIEEE(packed))
	}
	h = append(h, szEnd)
	if sizes != nil {
		h = append(h, szSubStreamsInfo, szNumUnpackStream)
		h = sz7num(h, uint64(len(sizes)))
		if len(sizes) > 1 {
			h = append(h, szSize)
			for _, s := range sizes[:len(sizes)-1] {
				h = sz7num(h, s)
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
		h = append(h, szEnd)
	}
	return append(h, szEnd)
}

func (a sz7) build() []byte {
	packed, coders := a.packed, a.coders
	var sizes []uint64
	var data []byte
	for _, f := range a.files {
		if !f.dir {
			data = append(data, f.data...)
			sizes = append(sizes, f.len())
		}
	}
	if coders == nil {
		packed = data
		coders = []szCoder7{{id: szCopy, out: uint64(len(packed))}}
	}
	h := []byte{szHeader, szMainStreams}
	h = sz7streams(h, 0, packed, coders, a.folderCRC, sizes)
	h = append(h, szFilesInfo)
	h = sz7num(h, uint64(len(a.files)))
	// Empty streams.
	bits := make([]byte, (len(a.files)+7)/8)
	for i, f := range a.files {
		if f.dir {
			bits[i/8] |= 0x80 >> (i % 8)
		}
	}
	h = append(h, szEmptyStream)
	h = sz7num(h, uint64(len(bits)))
	h = append(h, bits...)
	// Names.
	var names []byte
	names = append(names, 0)
	for _, f := range a.files {
		for _, u := range utf16.Encode([]rune(f.name)) {
			names = binary.LittleEndian.AppendUint16(names, u)
		}
		names = append(names, 0, 0)
	}
	h = append(h, szName)
	h = sz7num(h, uint64(len(names)))
	h = append(h, names...)
	h = append(h, 0x19) // a property glassbox skips (kDummy)
	h = sz7num(h, 2)
	h = append(h, 0, 0)
	h = append(h, szEnd, szEnd)

	body := packed
	if a.encode != nil {
		hc, hp := a.encode(h)
		body = append(append([]byte{}, packed...), hp...)
		h = sz7streams([]byte{szEncodedHeader}, uint64(len(packed)), hp, hc, false, nil)
	}

	start := make([]byte, 20)
	binary.LittleEndian.PutUint64(start, uint64(len(body)))
	binary.LittleEndian.PutUint64(start[8:], uint64(len(h)))
	binary.LittleEndian.PutUint32(start[16:], crc32.ChecksumIEEE(h))
	out := append([]byte{}, sevenZipMagic...)
	out = append(out, 0, 4)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(start))
	out = append(out, start...)
	out = append(out, body...)
	return append(out, h...)
}

// build7z writes a 7z archive whose one folder stores (Copy) the files' bytes, with a plain
// (not encoded) header.
func build7z(files []szFile7) []byte { return sz7{files: files}.build() }

// build7zCRC is build7z, optionally giving the folder a CRC of its own and listing the files'
// CRCs as 7-Zip does then: none for a folder of one file.
func build7zCRC(files []szFile7, folderCRC bool) []byte {
	return sz7{files: files, folderCRC: folderCRC}.build()
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

// lzmaPack compresses data as 7z stores it with the LZMA coder: the coder's five property
// bytes and the raw stream, without an end marker.
func lzmaPack(t testing.TB, data []byte) (props, packed []byte) {
	t.Helper()
	var buf bytes.Buffer
	w, err := lzma.WriterConfig{DictCap: 1 << 16, SizeInHeader: true, Size: int64(len(data))}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	return b[:5], b[lzma.HeaderLen:]
}

// lzma2Pack compresses data as 7z stores it with the LZMA2 coder: the coder's property byte
// and the chunks.
func lzma2Pack(t testing.TB, data []byte) (props, packed []byte) {
	t.Helper()
	var buf bytes.Buffer
	w, err := lzma.Writer2Config{DictCap: 1 << 16}.NewWriter2(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return []byte{lzma.EncodeDictCap(1 << 16)}, buf.Bytes()
}

// TestRead7zCoders reads folders through each coder glassbox decodes, and the ones it does
// not, through Read.
func TestRead7zCoders(t *testing.T) {
	t.Parallel()
	files := []szFile7{{name: "d", dir: true}, {name: "d/a.pkl", data: evilPickle}, {name: "d/b.pkl", data: benignPickle}}
	data := []byte(evilPickle + benignPickle)
	if bytes.IndexByte(data, 0xE8) >= 0 || bytes.IndexByte(data, 0xE9) >= 0 {
		t.Fatal("the pickles hold x86 branch opcodes; the BCJ case needs data the filter leaves alone")
	}
	out := uint64(len(data))
	lzmaProps, lzmaData := lzmaPack(t, data)
	lzma2Props, lzma2Data := lzma2Pack(t, data)
	// A dictionary of 4 GiB claimed for a few hundred bytes: glassbox holds no more than the
	// output needs.
	hugeDict := append([]byte{lzmaProps[0]}, 0xFF, 0xFF, 0xFF, 0xFF)
	x86, err := os.ReadFile(filepath.Join("testdata", "lzma", "plain.x86.lzma2"))
	if err != nil {
		t.Fatal(err)
	}
	plain := uint64(len(lzmaPlain()))
	lzmaCoder := func(props []byte, out uint64) szCoder7 { return szCoder7{id: szLZMA, props: props, out: out} }
	lzma2Coder := func(props []byte, out uint64) szCoder7 { return szCoder7{id: szLZMA2, props: props, out: out} }
	encodeLZMA := func(h []byte) ([]szCoder7, []byte) {
		props, packed := lzmaPack(t, h)
		return []szCoder7{lzmaCoder(props, uint64(len(h)))}, packed
	}
	dangerous := []Global{g("collections", "OrderedDict"), g("os", "system")}
	tests := []struct {
		name     string
		archive  sz7
		safety   Safety
		globals  []Global
		warnings []string
		err      string
	}{
		{"LZMA", sz7{files: files, coders: []szCoder7{lzmaCoder(lzmaProps, out)}, packed: lzmaData},
			SafetyDangerous, dangerous, nil, ""},
		{"LZMA claiming a 4 GiB dictionary", sz7{files: files, coders: []szCoder7{lzmaCoder(hugeDict, out)}, packed: lzmaData},
			SafetyDangerous, dangerous, nil, ""},
		{"LZMA2", sz7{files: files, coders: []szCoder7{lzma2Coder(lzma2Props, out)}, packed: lzma2Data},
			SafetyDangerous, dangerous, nil, ""},
		{"LZMA2 claiming a 4 GiB dictionary", sz7{files: files, coders: []szCoder7{lzma2Coder([]byte{40}, out)}, packed: lzma2Data},
			SafetyDangerous, dangerous, nil, ""},
		{"x86 then LZMA2", sz7{files: files, coders: []szCoder7{{id: szBCJX86, out: out}, lzma2Coder(lzma2Props, out)}, packed: lzma2Data},
			SafetyDangerous, dangerous, nil, ""},
		{"x86 then LZMA2, real branches", sz7{files: []szFile7{{name: "plain.txt", size: plain}},
			coders: []szCoder7{{id: szBCJX86, out: plain}, lzma2Coder(x86[:1], plain)}, packed: x86[1:]},
			SafetySafe, nil, nil, ""},
		{"encoded header", sz7{files: files, encode: encodeLZMA},
			SafetyDangerous, dangerous, nil, ""},
		{"encoded header, LZMA2 files", sz7{files: files, coders: []szCoder7{lzma2Coder(lzma2Props, out)}, packed: lzma2Data, encode: encodeLZMA},
			SafetyDangerous, dangerous, nil, ""},
		{"encrypted", sz7{files: files, coders: []szCoder7{{id: szAES, props: []byte{0x01, 0x00}, out: out}}, packed: data},
			SafetySuspicious, nil, []string{`"d/a.pkl", "d/b.pkl" not examined: unsupported 7z coder: the folder is encrypted`}, ""},
		{"encrypted header", sz7{files: files, encode: func(h []byte) ([]szCoder7, []byte) {
			return []szCoder7{lzmaCoder(lzmaProps, uint64(len(h))), {id: szAES, props: []byte{0x01, 0x00}, out: uint64(len(h)) + 16}}, make([]byte, len(h)+16)
		}}, SafetySuspicious, nil, []string{"the 7z header is encrypted; no member was examined"}, ""},
		{"unknown method", sz7{files: files, coders: []szCoder7{{id: []byte{0x04, 0x01, 0x08}, out: out}}, packed: data},
			SafetySuspicious, nil, []string{`"d/a.pkl", "d/b.pkl" not examined: unsupported 7z coder: method 040108`}, ""},
		{"folder beyond the budget", sz7{files: []szFile7{{name: "big.pkl", size: maxArchiveInflated + 1}},
			coders: []szCoder7{lzma2Coder(lzma2Props, maxArchiveInflated+1)}, packed: lzma2Data},
			SafetySuspicious, nil, []string{fmt.Sprintf(`"big.pkl" not examined: possible zip bomb: the folder inflates to %d bytes, beyond the %d glassbox reads`, maxArchiveInflated+1, maxArchiveInflated)}, ""},
		// Within the folder's budget, but one member is larger than a zip member may be: it
		// and the files after it go unread; the one before is walked.
		{"member beyond the budget", sz7{files: []szFile7{{name: "a.pkl", data: evilPickle}, {name: "big.bin", size: MaxArchiveMember + 1}, {name: "c.pkl", data: benignPickle}},
			coders: []szCoder7{lzma2Coder(lzma2Props, uint64(len(evilPickle)+len(benignPickle))+MaxArchiveMember+1)}, packed: lzma2Data},
			SafetyDangerous, []Global{g("os", "system")}, []string{
				fmt.Sprintf(`"big.bin" not examined: possible zip bomb: it claims %d bytes inflated, more than the %d glassbox reads`, MaxArchiveMember+1, MaxArchiveMember),
				`"c.pkl" not examined: they follow "big.bin" in its solid 7z folder`,
			}, ""},
		{"stored member beyond the member budget", sz7{files: []szFile7{{name: "a.pkl", data: evilPickle + strings.Repeat("\x00", MaxArchiveMember)}}},
			SafetyDangerous, []Global{g("os", "system")}, []string{fmt.Sprintf(`"a.pkl": %d bytes after the last pickle are not a pickle; loaders do not read them`, MaxArchiveMember)}, ""},
		{"corrupt LZMA2", sz7{files: files, coders: []szCoder7{lzma2Coder(lzma2Props, out)}, packed: []byte{0x05, 0, 0, 0}},
			SafetyError, nil, nil, `member "d/a.pkl": corrupt LZMA2 data: lzma: unsupported chunk header byte`},
		{"truncated LZMA", sz7{files: files, coders: []szCoder7{lzmaCoder(lzmaProps, out)}, packed: lzmaData[:len(lzmaData)/2]},
			SafetyError, nil, nil, `member "d/a.pkl": LZMA stream ends early: unexpected EOF`},
		{"bad LZMA properties", sz7{files: files, coders: []szCoder7{lzmaCoder([]byte{225, 0, 0, 1, 0}, out)}, packed: lzmaData},
			SafetyError, nil, nil, "LZMA properties byte 225 is out of range"},
	}
	for _, tt := range tests {
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := readBytes("a.7z", tt.archive.build())
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		// Tests run in parallel, so this bounds everyone's allocations: still far below what
		// a claimed dictionary or member size would take.
		if n := after.TotalAlloc - before.TotalAlloc; n > 512<<20 {
			t.Errorf("%s: %d bytes allocated", tt.name, n)
		}
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if got.Format != Format7z || got.Safety != tt.safety {
			t.Errorf("%s: format %s safety %s, want %s", tt.name, got.Format, got.Safety, tt.safety)
		}
		if !reflect.DeepEqual(got.Globals, tt.globals) {
			t.Errorf("%s: globals %v, want %v", tt.name, got.Globals, tt.globals)
		}
		if !reflect.DeepEqual(got.Warnings, tt.warnings) {
			t.Errorf("%s: warnings %q, want %q", tt.name, got.Warnings, tt.warnings)
		}
	}
}

// TestLZMAGuard shows a panic inside the decoder library ends as an error naming the codec,
// and the reader stays failed.
func TestLZMAGuard(t *testing.T) {
	t.Parallel()
	l := &lzmaGuard{what: "LZMA2", r: panicReader{}}
	for range 2 {
		if _, err := l.Read(make([]byte, 8)); err == nil || !strings.Contains(err.Error(), "7z: malformed archive: the LZMA2 decoder failed on the data: boom") {
			t.Errorf("error %v", err)
		}
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("boom") }
