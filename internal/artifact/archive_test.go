package artifact

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
)

// Pickles the archive tests put inside archives.
var (
	evilPickle   = proto4 + shortUni("os") + shortUni("system") + stackGlobal + stop
	benignPickle = proto2 + "ccollections\nOrderedDict\nq\x00)Rq\x01."
)

// member is one file of a test archive. raw, when set, is written as is with the header's
// sizes, CRC and method taken from hdr: the way to build archives that lie.
type member struct {
	name string
	data string
	hdr  *zip.FileHeader
	raw  []byte
}

// buildZip writes members into a zip; compressed ones are deflated.
func buildZip(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		if m.raw != nil {
			hdr := *m.hdr
			hdr.Name = m.name
			w, err := zw.CreateRaw(&hdr)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(m.raw)
			continue
		}
		method := zip.Deflate
		if strings.HasPrefix(m.name, "archive/") {
			method = zip.Store // as torch.save writes
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(m.data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflate compresses data raw, as a zip member holds it.
func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// npyFile builds an .npy file with the given header dict and data.
func npyFile(version byte, header string, data string) string {
	var b strings.Builder
	b.WriteString("\x93NUMPY")
	b.WriteByte(version)
	b.WriteByte(0)
	if version == 1 {
		b.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(header))))
	} else {
		b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(header))))
	}
	b.WriteString(header)
	b.WriteString(data)
	return b.String()
}

// objectArray is an .npy of two Python objects: its data is a pickle.
func objectArray(pickle string) string {
	return npyFile(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }   \n", pickle)
}

func TestReadZip(t *testing.T) {
	t.Parallel()
	dataPkl := benignPickle[:len(benignPickle)-1] + "ctorch._utils\n_rebuild_tensor_v2\n0ctorch\nFloatStorage\n0."
	tests := []struct {
		name     string
		file     string
		zip      []byte
		format   Format
		safety   Safety
		globals  []Global
		warnings []string
		meta     map[string]string
		params   int64
		tensors  int64 // TensorBytes
	}{
		{
			name: "torch checkpoint", file: "pytorch_model.bin",
			zip: buildZip(t, member{name: "archive/data.pkl", data: dataPkl}, member{name: "archive/data/0", data: strings.Repeat("\x00", 48)},
				member{name: "archive/data/1", data: strings.Repeat("\x00", 16)}, member{name: "archive/version", data: "3\n"},
				member{name: "archive/byteorder", data: "little"}, member{name: "archive/.data/serialization_id", data: "1234"}),
			format: FormatPyTorchZip, safety: SafetySafe,
			globals: []Global{g("collections", "OrderedDict"), g("torch", "FloatStorage"), g("torch._utils", "_rebuild_tensor_v2")},
			meta:    map[string]string{"version": "3", "byteorder": "little", "pickle_protocol": "2"},
			tensors: 64,
		},
		{
			name: "malicious torch checkpoint named .zip", file: "x.zip",
			zip:    buildZip(t, member{name: "model/data.pkl", data: evilPickle}, member{name: "model/version", data: "3"}),
			format: FormatPyTorchZip, safety: SafetyDangerous, globals: []Global{g("os", "system")},
			meta: map[string]string{"version": "3", "pickle_protocol": "4"},
		},
		{
			// Storages are raw bytes even when they look like a pickle.
			name: "storage that looks like a pickle", file: "model.pt",
			zip:    buildZip(t, member{name: "archive/data.pkl", data: benignPickle}, member{name: "archive/data/0", data: evilPickle}),
			format: FormatPyTorchZip, safety: SafetySafe, globals: []Global{g("collections", "OrderedDict")},
			meta: map[string]string{"pickle_protocol": "2"}, tensors: int64(len(evilPickle)),
		},
		{
			name: "plain zip of pickles", file: "bundle.zip",
			zip:    buildZip(t, member{name: "a/config.pkl", data: benignPickle}, member{name: "b.joblib", data: evilPickle}, member{name: "notes.txt", data: "hello"}),
			format: FormatZip, safety: SafetyDangerous, globals: []Global{g("collections", "OrderedDict"), g("os", "system")},
			meta: map[string]string{"pickle_protocol": "4"},
		},
		{
			name: "path traversal", file: "x.zip",
			zip: buildZip(t, member{name: "../evil.pkl", data: evilPickle}, member{name: "/etc/evil.pkl", data: evilPickle},
				member{name: `a\..\..\evil.pkl`, data: evilPickle}, member{name: "C:/evil.pkl", data: evilPickle}, member{name: "ok.pkl", data: benignPickle},
				member{name: "．．/evil.pkl", data: evilPickle}),
			format: FormatZip, safety: SafetySuspicious, globals: []Global{g("collections", "OrderedDict")},
			warnings: []string{
				`member "../evil.pkl" climbs out of the archive with ..; not examined`,
				`member "/etc/evil.pkl" is absolute; not examined`,
				`member "a\\..\\..\\evil.pkl" contains a backslash; not examined`,
				`member "C:/evil.pkl" starts with a drive letter; not examined`,
				`member "．．/evil.pkl" reads as "../evil.pkl" once Unicode-normalised (NFKC); not examined`,
			},
			meta: map[string]string{"pickle_protocol": "2"},
		},
		{
			name: "zip bomb by its claim", file: "model.pt",
			zip: buildZip(t, member{name: "archive/data.pkl", raw: deflate(t, []byte(benignPickle)),
				hdr: &zip.FileHeader{Method: zip.Deflate, UncompressedSize64: 1 << 40, CompressedSize64: uint64(len(deflate(t, []byte(benignPickle)))), CRC32: 1}}),
			format: FormatPyTorchZip, safety: SafetySuspicious,
			warnings: []string{`member "archive/data.pkl" not examined: possible zip bomb: it claims 1099511627776 bytes inflated, more than the 67108864 glassbox reads`},
		},
		{
			name: "npz of plain arrays", file: "arrays.npz",
			zip: buildZip(t, member{name: "a.npy", data: npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", strings.Repeat("\x00", 24))},
				member{name: "b.npy", data: npyFile(2, "{'descr': '<i8', 'fortran_order': True, 'shape': (4,), }\n", strings.Repeat("\x00", 32))}),
			format: FormatNPZ, safety: SafetySafe, params: 10, tensors: 56,
		},
		{
			name: "npz with an object array", file: "arrays.npz",
			zip:    buildZip(t, member{name: "x.npy", data: objectArray(evilPickle)}),
			format: FormatNPZ, safety: SafetyDangerous, globals: []Global{g("os", "system")}, params: 2,
			meta: map[string]string{"pickle_protocol": "4"}, tensors: int64(len(evilPickle)),
		},
		{
			name: "encrypted member", file: "x.zip",
			zip: buildZip(t, member{name: "secret.pkl", raw: []byte("\x12\x34\x56garbage-ciphertext"),
				hdr: &zip.FileHeader{Method: zip.Store, Flags: 1, UncompressedSize64: 21, CompressedSize64: 21}}),
			format: FormatZip, safety: SafetySuspicious, warnings: []string{`member "secret.pkl" is encrypted; not examined`},
		},
		{
			// The flag alone does not hide a pickle: loaders that ignore it would run it.
			name: "encrypted flag on a plain member", file: "x.zip",
			zip: buildZip(t, member{name: "m/config.pkl", raw: []byte(evilPickle),
				hdr: &zip.FileHeader{Method: zip.Store, Flags: 1, UncompressedSize64: uint64(len(evilPickle)), CompressedSize64: uint64(len(evilPickle)), CRC32: crc32.ChecksumIEEE([]byte(evilPickle))}}),
			format: FormatZip, safety: SafetyDangerous, globals: []Global{g("os", "system")}, meta: map[string]string{"pickle_protocol": "4"},
		},
		{
			name: "checksum mismatch", file: "x.zip",
			zip: buildZip(t, member{name: "data.pkl", raw: deflate(t, []byte(evilPickle)),
				hdr: &zip.FileHeader{Method: zip.Deflate, UncompressedSize64: uint64(len(evilPickle)), CompressedSize64: uint64(len(deflate(t, []byte(evilPickle)))), CRC32: 7}}),
			format: FormatZip, safety: SafetyDangerous, globals: []Global{g("os", "system")},
			warnings: []string{`member "data.pkl" does not match its checksum; the archive is damaged or was edited`},
			meta:     map[string]string{"pickle_protocol": "4"},
		},
		{
			name: "unsupported compression", file: "x.zip",
			zip: buildZip(t, member{name: "data.pkl", raw: []byte("xxxx"),
				hdr: &zip.FileHeader{Method: 14, UncompressedSize64: 10, CompressedSize64: 4}}),
			format: FormatZip, safety: SafetySuspicious,
			warnings: []string{`member "data.pkl" uses compression method 14, which glassbox does not read; not examined`},
		},
		{
			name: "nested archive", file: "x.zip",
			zip:    buildZip(t, member{name: "inner.zip", data: string(buildZip(t, member{name: "data.pkl", data: evilPickle}))}),
			format: FormatZip, safety: SafetySuspicious,
			warnings: []string{`member "inner.zip" is itself an archive; glassbox does not look inside nested archives`},
		},
		{
			name: "empty zip", file: "x.zip", zip: buildZip(t), format: FormatZip, safety: SafetySafe,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readBytes(tt.file, tt.zip)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got.Format != tt.format || got.Safety != tt.safety {
				t.Errorf("format %s safety %s, want %s %s", got.Format, got.Safety, tt.format, tt.safety)
			}
			if !reflect.DeepEqual(got.Globals, tt.globals) {
				t.Errorf("globals\n got %v\nwant %v", got.Globals, tt.globals)
			}
			if !reflect.DeepEqual(got.Warnings, tt.warnings) {
				t.Errorf("warnings\n got %q\nwant %q", got.Warnings, tt.warnings)
			}
			if !reflect.DeepEqual(got.Metadata, tt.meta) {
				t.Errorf("metadata %v, want %v", got.Metadata, tt.meta)
			}
			if got.Parameters != tt.params || got.TensorBytes != tt.tensors {
				t.Errorf("parameters %d tensor bytes %d, want %d %d", got.Parameters, got.TensorBytes, tt.params, tt.tensors)
			}
		})
	}
}

func TestReadZipErrors(t *testing.T) {
	t.Parallel()
	// A member whose inflated bytes outrun its claim is read only as far as the claim.
	big := deflate(t, []byte(evilPickle[:len(evilPickle)-1]+strings.Repeat("N0", 1<<20)+stop))
	lying := buildZip(t, member{name: "archive/data.pkl", raw: big,
		hdr: &zip.FileHeader{Method: zip.Deflate, UncompressedSize64: 40, CompressedSize64: uint64(len(big))}})
	tests := []struct {
		name, file string
		data       []byte
		safety     Safety
		want       string
	}{
		{"not a zip", "x.zip", []byte("hello, this is not a zip at all"), SafetyError, "reading the zip directory"},
		{"truncated directory", "x.zip", buildZip(t, member{name: "a.pkl", data: evilPickle})[:40], SafetyError, "reading the zip directory"},
		{"malformed member pickle", "x.zip", buildZip(t, member{name: "a.pkl", data: "N\xff"}), SafetyError, `member "a.pkl": pickle 1: byte 0xff`},
		{"inflation beyond the claim", "model.pt", lying, SafetyDangerous, `member "archive/data.pkl": pickle 1:`},
		{"bad npy in npz", "a.npz", buildZip(t, member{name: "a.npy", data: "\x93NUMPY\x09\x00\x00\x00"}), SafetyError, `member "a.npy": .npy version 9.0`},
	}
	for _, tt := range tests {
		got, err := readBytes(tt.file, tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if got.Safety != tt.safety || got.Error != err.Error() {
			t.Errorf("%s: safety %s error %q, want %s and the error", tt.name, got.Safety, got.Error, tt.safety)
		}
	}
}

func TestReadNPY(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		file   string
		safety Safety
		params int64
		dtypes map[string]int64
		meta   map[string]string
		global []Global
	}{
		{"float32 matrix", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", strings.Repeat("\x00", 24)),
			SafetySafe, 6, map[string]int64{"F32": 6}, map[string]string{"descr": "<f4", "shape": "[2,3]", "fortran_order": "false", "npy_version": "1.0"}, nil},
		{"version 2, scalar", npyFile(2, "{\"descr\": \">u2\", \"fortran_order\": True, \"shape\": ()}", "\x00\x01"),
			SafetySafe, 1, map[string]int64{"U16": 1}, map[string]string{"descr": ">u2", "shape": "[]", "fortran_order": "true", "npy_version": "2.0"}, nil},
		{"booleans, Python 2 long dims", npyFile(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3L,), }", "\x00\x01\x00"),
			SafetySafe, 3, map[string]int64{"BOOL": 3}, map[string]string{"descr": "|b1", "shape": "[3]", "fortran_order": "false", "npy_version": "1.0"}, nil},
		{"empty array", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", ""),
			SafetySafe, 0, map[string]int64{"F64": 0}, map[string]string{"descr": "<f8", "shape": "[0,5]", "fortran_order": "false", "npy_version": "1.0"}, nil},
		{"object array", objectArray(proto2 + "cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n\x86."),
			SafetySafe, 2, map[string]int64{"OBJECT": 2},
			map[string]string{"descr": "|O", "shape": "[2]", "fortran_order": "false", "npy_version": "1.0", "pickle_protocol": "2"},
			[]Global{g("numpy", "ndarray"), g("numpy.core.multiarray", "_reconstruct")}},
		{"malicious object array", objectArray(evilPickle),
			SafetyDangerous, 2, map[string]int64{"OBJECT": 2},
			map[string]string{"descr": "|O", "shape": "[2]", "fortran_order": "false", "npy_version": "1.0", "pickle_protocol": "4"},
			[]Global{g("os", "system")}},
		{"structured with an object field", npyFile(1, "{'descr': [('a', '<i4'), ('b', [('c', '|O')])], 'fortran_order': False, 'shape': (1,), }", evilPickle),
			SafetyDangerous, 1, map[string]int64{"STRUCT": 1},
			map[string]string{"descr": "STRUCT", "shape": "[1]", "fortran_order": "false", "npy_version": "1.0", "pickle_protocol": "4"},
			[]Global{g("os", "system")}},
	}
	for _, tt := range tests {
		got, err := readBytes("a.npy", []byte(tt.file))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got.Format != FormatNPY || got.Safety != tt.safety || got.Parameters != tt.params ||
			!reflect.DeepEqual(got.DTypes, tt.dtypes) || !reflect.DeepEqual(got.Metadata, tt.meta) || !reflect.DeepEqual(got.Globals, tt.global) {
			t.Errorf("%s: got %s %s %d %v %v %v", tt.name, got.Format, got.Safety, got.Parameters, got.DTypes, got.Metadata, got.Globals)
		}
	}
}

func TestReadNPYErrors(t *testing.T) {
	t.Parallel()
	hdr := func(h string) string { return npyFile(1, h, "") }
	tests := []struct{ name, file, want string }{
		{"short", "\x93NUMPY", "needs at least 10 bytes"},
		{"no magic", "\x93NUMPX\x01\x00\x00\x00", "does not start with"},
		{"version 4", "\x93NUMPY\x04\x00\x00\x00", ".npy version 4.0"},
		{"header beyond the file", "\x93NUMPY\x01\x00\xff\x00{}", "header length 255 exceeds the 2 bytes that follow"},
		{"version 2 header beyond the file", "\x93NUMPY\x02\x00\xff\xff\xff\xff{}", "header length 4294967295 exceeds"},
		{"not a dict", hdr("[1]"), "the header is not a dict"},
		{"no descr", hdr("{'fortran_order': False, 'shape': ()}"), "descr is missing"},
		{"no fortran_order", hdr("{'descr': '<f4', 'shape': ()}"), "fortran_order is missing"},
		{"no shape", hdr("{'descr': '<f4', 'fortran_order': False}"), "shape is missing"},
		{"negative dimension", hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}"), "non-negative int"},
		{"too many elements", hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"), "too many elements"},
		{"unterminated string", hdr("{'descr"), "unterminated string"},
		{"junk after", hdr("{'descr': '<f4', 'fortran_order': False, 'shape': ()} x"), `unexpected "x"`},
		{"too deep", hdr(strings.Repeat("[", 40)), "nested more than"},
		{"data too short", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,)}", "\x00\x00"), ".npy data is 2 bytes, but 4 <f4 elements need 16"},
		{"object array without its pickle", npyFile(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", "N"), "the object array's pickle"},
	}
	for _, tt := range tests {
		got, err := readBytes("a.npy", []byte(tt.file))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if got.Format != FormatNPY || got.Safety != SafetyError {
			t.Errorf("%s: format %s safety %s", tt.name, got.Format, got.Safety)
		}
	}
}

func TestNPYTypeName(t *testing.T) {
	t.Parallel()
	for descr, want := range map[string]string{
		"<f2": "F16", "<f4": "F32", ">f8": "F64", "|i1": "I8", "<u8": "U64", "<c8": "C64", "|b1": "BOOL",
		"|O": "OBJECT", "O": "OBJECT", "<U10": "<U10", "|S5": "|S5", "<M8[ns]": "<M8[ns]",
	} {
		if got := npyTypeName(descr); got != want {
			t.Errorf("npyTypeName(%q) = %q, want %q", descr, got, want)
		}
	}
}

// TestZipMemberBudget checks that the archive-wide budget stops inflation once spent.
func TestZipMemberBudget(t *testing.T) {
	t.Parallel()
	var members []member
	per := deflate(t, []byte(benignPickle))
	for i := range 5 {
		members = append(members, member{name: fmt.Sprintf("m%d.pkl", i), raw: per,
			hdr: &zip.FileHeader{Method: zip.Deflate, UncompressedSize64: MaxArchiveMember, CompressedSize64: uint64(len(per))}})
	}
	got, _ := readBytes("x.zip", buildZip(t, members...))
	found := 0
	for _, w := range got.Warnings {
		if strings.Contains(w, "inflate to more than") {
			found++
		}
	}
	if found == 0 || got.Safety == SafetySafe {
		t.Errorf("warnings %q safety %s; want the budget to stop inflation", got.Warnings, got.Safety)
	}
}
