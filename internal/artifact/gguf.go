package artifact

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds on what the GGUF reader accepts. Each is far above what real files need (a 256k-token
// vocabulary with its merges is under 16 MiB of header; big mixture-of-experts models have a
// few thousand tensors) and low enough that a crafted header cannot make the reader allocate
// much more than the bytes it actually supplies.
const (
	// MaxGGUFHeader is how many leading bytes of a GGUF file the reader will parse.
	MaxGGUFHeader = 64 << 20
	// maxGGUFEntries bounds the metadata and tensor-info counts.
	maxGGUFEntries = 1 << 20
	// maxGGUFName bounds keys and tensor names.
	maxGGUFName = 64 << 10
	// maxGGUFDims bounds a tensor's rank; ggml itself stops at 4.
	maxGGUFDims = 8
	// maxGGUFDepth bounds arrays of arrays.
	maxGGUFDepth = 8
	// maxGGUFString is how much of a string value is kept; the rest is skipped unread.
	maxGGUFString = 64 << 10
	// ggufSample is how many leading items of an array are kept; tokenizer arrays have
	// hundreds of thousands and only their length matters here.
	ggufSample = 32
	// ggufSampleString is how much of each kept string array item is kept.
	ggufSampleString = 256
	// maxMetadataEntries and maxMetadataValue keep Facts.Metadata small for any file.
	maxMetadataEntries = 4096
	maxMetadataValue   = 4096
)

// ggufMagic opens every GGUF file.
const ggufMagic = "GGUF"

// ggufDefaultAlignment applies when general.alignment is absent.
const ggufDefaultAlignment = 32

// ggufType is the type tag of a GGUF metadata value.
type ggufType uint32

// GGUF metadata value types, by their numbers in the file.
const (
	ggufUint8 ggufType = iota
	ggufInt8
	ggufUint16
	ggufInt16
	ggufUint32
	ggufInt32
	ggufFloat32
	ggufBool
	ggufString
	ggufArray
	ggufUint64
	ggufInt64
	ggufFloat64
	ggufTypeCount
)

// ggufTypes gives each value type its name (as the GGUF specification spells it) and, for
// fixed-size types, its size in bytes.
var ggufTypes = [ggufTypeCount]struct {
	name string
	size uint64
}{
	{"UINT8", 1}, {"INT8", 1}, {"UINT16", 2}, {"INT16", 2}, {"UINT32", 4}, {"INT32", 4},
	{"FLOAT32", 4}, {"BOOL", 1}, {"STRING", 0}, {"ARRAY", 0}, {"UINT64", 8}, {"INT64", 8},
	{"FLOAT64", 8},
}

// String names the type as the GGUF specification does.
func (t ggufType) String() string {
	if t < ggufTypeCount {
		return ggufTypes[t].name
	}
	return "type " + strconv.FormatUint(uint64(t), 10)
}

// ggmlType describes a tensor element type: quantised types store blocks of elements.
type ggmlType struct {
	name  string
	block uint64 // elements per block
	size  uint64 // bytes per block; 0 when not known for certain
}

// ggmlTypes lists the tensor types by their number in ggml's type enumeration. Numbers ggml
// retired (4, 5, 31-33, 36-38) are absent. A type missing here is reported by number and its
// data extent is not checked: newer ggml releases add types faster than readers learn them.
// Q8_1 has size 0 (unchecked) because ggml and its Python writer disagree on its block size,
// and it is a scratch type that files do not use.
var ggmlTypes = map[uint32]ggmlType{
	0: {"F32", 1, 4}, 1: {"F16", 1, 2}, 2: {"Q4_0", 32, 18}, 3: {"Q4_1", 32, 20},
	6: {"Q5_0", 32, 22}, 7: {"Q5_1", 32, 24}, 8: {"Q8_0", 32, 34}, 9: {"Q8_1", 32, 0},
	10: {"Q2_K", 256, 84}, 11: {"Q3_K", 256, 110}, 12: {"Q4_K", 256, 144}, 13: {"Q5_K", 256, 176},
	14: {"Q6_K", 256, 210}, 15: {"Q8_K", 256, 292}, 16: {"IQ2_XXS", 256, 66}, 17: {"IQ2_XS", 256, 74},
	18: {"IQ3_XXS", 256, 98}, 19: {"IQ1_S", 256, 50}, 20: {"IQ4_NL", 32, 18}, 21: {"IQ3_S", 256, 110},
	22: {"IQ2_S", 256, 82}, 23: {"IQ4_XS", 256, 136}, 24: {"I8", 1, 1}, 25: {"I16", 1, 2},
	26: {"I32", 1, 4}, 27: {"I64", 1, 8}, 28: {"F64", 1, 8}, 29: {"IQ1_M", 256, 56},
	30: {"BF16", 1, 2}, 34: {"TQ1_0", 256, 54}, 35: {"TQ2_0", 256, 66}, 39: {"MXFP4", 32, 17},
	40: {"NVFP4", 64, 36},
}

// ggmlTypeName names a tensor type, by number when it is not in ggmlTypes.
func ggmlTypeName(t uint32) string {
	if gt, ok := ggmlTypes[t]; ok {
		return gt.name
	}
	return "GGML_TYPE_" + strconv.FormatUint(uint64(t), 10)
}

// ggufHeader is a parsed GGUF header.
type ggufHeader struct {
	Version     uint32
	TensorCount uint64
	KVCount     uint64
	KVs         []ggufKV // in file order
	Tensors     []ggufTensor
	Alignment   uint64
	DataOffset  int64 // where tensor data starts
}

// ggufKV is one metadata entry. Value holds a Go value of the matching type (uint8 … float64,
// bool, string) or a ggufArrayValue.
type ggufKV struct {
	Key   string
	Type  ggufType
	Value any
}

// ggufArrayValue is an array with only its first ggufSample items kept.
type ggufArrayValue struct {
	Elem  ggufType
	Len   uint64
	Items []any
}

// ggufTensor is one tensor info.
type ggufTensor struct {
	Name   string
	Dims   []uint64
	Type   uint32
	Offset uint64
	Numel  int64
	Bytes  int64 // -1 when the type is unknown
}

// isGGUF recognises the magic.
func isGGUF(head []byte) bool {
	return len(head) >= 4 && string(head[:4]) == ggufMagic
}

// readGGUF fills f from a GGUF header. A header with a structural defect (tensors whose data
// overlap or run past the file, a malformed entry) still gives every fact read before the
// defect: version, counts, the metadata and the tensors read so far, with the error.
func readGGUF(f *Facts, r io.ReaderAt, size int64) error {
	h, err := parseGGUF(r, size)
	if h == nil {
		return err
	}
	f.Version = int(h.Version)
	f.KVCount = int64(h.KVCount)
	if err != nil {
		f.KVCount = int64(len(h.KVs)) // the entries read, not what a defective header claims
	}
	f.Tensors = len(h.Tensors)
	f.DTypes = map[string]int64{}
	f.TensorNames = make([]string, 0, len(h.Tensors))
	known := true
	for _, t := range h.Tensors {
		// A header that parsed has a parameter total under 2^63 and tensors of known size
		// that do not overlap; a defective one is summed with the same guard.
		if f.Parameters > math.MaxInt64-t.Numel || f.TensorBytes > math.MaxInt64-max(t.Bytes, 0) {
			return errors.Join(err, errors.New("GGUF tensors hold more than 2^63 parameters or bytes in total"))
		}
		f.Parameters += t.Numel
		f.DTypes[ggmlTypeName(t.Type)] += t.Numel
		f.TensorNames = append(f.TensorNames, t.Name)
		if t.Bytes < 0 {
			known = false
		}
		f.TensorBytes += max(t.Bytes, 0)
	}
	if !known {
		f.TensorBytes = 0
	}
	sort.Strings(f.TensorNames)
	h.describe(f)
	return err
}

// describe copies the metadata that matters for provenance and licensing into f.
func (h *ggufHeader) describe(f *Facts) {
	f.Metadata = map[string]string{}
	bases := map[int]*Ref{}
	datasets := map[int]*Ref{}
	values := map[string]any{}
	for i, kv := range h.KVs {
		if i < maxMetadataEntries {
			f.Metadata[kv.Key] = renderGGUF(kv.Value, maxMetadataValue)
		}
		values[kv.Key] = kv.Value
		if rest, ok := strings.CutPrefix(kv.Key, "general.base_model."); ok {
			setRef(bases, rest, kv.Value)
		}
		if rest, ok := strings.CutPrefix(kv.Key, "general.dataset."); ok {
			setRef(datasets, rest, kv.Value)
		}
	}
	text := func(key string) string {
		if v, ok := values[key]; ok {
			return renderGGUF(v, maxGGUFString)
		}
		return ""
	}
	f.Architecture = text("general.architecture")
	f.License = text("general.license")
	f.LicenseName = text("general.license.name")
	f.LicenseLink = text("general.license.link")
	f.BaseModels = sortedRefs(bases)
	f.Datasets = sortedRefs(datasets)
	// The older flat list of dataset names.
	if arr, ok := values["general.datasets"].(ggufArrayValue); ok {
		for _, it := range arr.Items {
			if s, ok := it.(string); ok {
				f.Datasets = append(f.Datasets, Ref{Name: s})
			}
		}
	}
	seen := map[string]bool{}
	for _, key := range []string{"general.url", "general.repo_url", "general.source.url",
		"general.source.repo_url", "general.source.huggingface.repository"} {
		if u := text(key); u != "" && !seen[u] {
			seen[u] = true
			f.URLs = append(f.URLs, u)
		}
	}
}

// setRef records field of the numbered reference "N.field" (the key after its prefix).
func setRef(refs map[int]*Ref, rest string, v any) {
	num, field, ok := strings.Cut(rest, ".")
	if !ok {
		return // general.base_model.count and the like
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n >= maxGGUFEntries {
		return
	}
	s, ok := v.(string)
	if !ok {
		return
	}
	if refs[n] == nil {
		refs[n] = &Ref{}
	}
	r := refs[n]
	switch field {
	case "name":
		r.Name = s
	case "author":
		r.Author = s
	case "organization":
		r.Organization = s
	case "version":
		r.Version = s
	case "url":
		r.URL = s
	case "repo_url":
		r.RepoURL = s
	}
}

// sortedRefs lists refs by their number, dropping those with no field set.
func sortedRefs(refs map[int]*Ref) []Ref {
	nums := make([]int, 0, len(refs))
	for n := range refs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var out []Ref
	for _, n := range nums {
		if *refs[n] != (Ref{}) {
			out = append(out, *refs[n])
		}
	}
	return out
}

// parseGGUF reads a GGUF header (versions 1 to 3) through a buffered reader, checking every
// count and length against the bytes left before acting on it. Once the version is known, a
// defect returns the header read so far with the error; before, nil.
func parseGGUF(r io.ReaderAt, size int64) (*ggufHeader, error) {
	limit := min(size, MaxGGUFHeader)
	g := &ggufReader{
		br:    bufio.NewReaderSize(io.NewSectionReader(r, 0, limit), 64<<10),
		limit: limit,
		size:  size,
	}
	var magic [4]byte
	if err := g.read(magic[:], "GGUF magic"); err != nil {
		return nil, err
	}
	if string(magic[:]) != ggufMagic {
		return nil, fmt.Errorf("file does not start with the GGUF magic: found %q", magic[:])
	}
	version, err := g.u32("GGUF version")
	if err != nil {
		return nil, err
	}
	if version < 1 || version > 3 {
		if v := bits.ReverseBytes32(version); v >= 1 && v <= 3 {
			return nil, fmt.Errorf("big-endian GGUF (version %d) is not supported", v)
		}
		return nil, fmt.Errorf("GGUF version %d is not supported (1 to 3 are)", version)
	}
	g.v1 = version == 1
	h := &ggufHeader{Version: version, Alignment: ggufDefaultAlignment}
	if h.TensorCount, err = g.count("tensor count"); err != nil {
		return h, err
	}
	if h.KVCount, err = g.count("metadata entry count"); err != nil {
		return h, err
	}
	// The smallest possible entries: a key or name length, a type, one byte of value; a name
	// length, a rank of 0, a type and an offset.
	minKV, minTensor := g.lenWidth()+4+1, g.lenWidth()+4+4+8
	if err := g.fits(h.KVCount, minKV, "metadata entry count"); err != nil {
		return h, err
	}
	if err := g.fits(h.TensorCount, minTensor, "tensor count"); err != nil {
		return h, err
	}
	if h.KVCount > maxGGUFEntries || h.TensorCount > maxGGUFEntries {
		return h, fmt.Errorf("GGUF header claims %d metadata entries and %d tensors; at most %d of each are accepted",
			h.KVCount, h.TensorCount, maxGGUFEntries)
	}
	if need := h.KVCount*minKV + h.TensorCount*minTensor; need > g.left() {
		return h, fmt.Errorf("%d metadata entries and %d tensor infos need at least %d bytes %s",
			h.KVCount, h.TensorCount, need, g.where())
	}

	keys := map[string]bool{}
	for i := uint64(0); i < h.KVCount; i++ {
		key, err := g.name(fmt.Sprintf("metadata entry %d key", i))
		if err != nil {
			return h, err
		}
		if keys[key] {
			return h, fmt.Errorf("metadata key %q appears twice", key)
		}
		keys[key] = true
		typ, err := g.u32("value type")
		if err != nil {
			return h, fmt.Errorf("metadata %q: %w", key, err)
		}
		val, err := g.value(ggufType(typ), 0)
		if err != nil {
			return h, fmt.Errorf("metadata %q: %w", key, err)
		}
		h.KVs = append(h.KVs, ggufKV{Key: key, Type: ggufType(typ), Value: val})
		if key == "general.alignment" {
			a, ok := unsigned(val)
			if !ok || a == 0 || a&(a-1) != 0 || a > 1<<30 {
				return h, fmt.Errorf("general.alignment is %v %s; want an integer power of two up to 2^30", ggufType(typ), renderGGUF(val, 40))
			}
			h.Alignment = a
		}
	}

	names := map[string]bool{}
	for i := uint64(0); i < h.TensorCount; i++ {
		t, err := g.tensorInfo(i)
		if err != nil {
			return h, err
		}
		if names[t.Name] {
			return h, fmt.Errorf("tensor name %q appears twice", t.Name)
		}
		names[t.Name] = true
		h.Tensors = append(h.Tensors, t)
	}

	// Tensor data starts at the next multiple of the alignment.
	h.DataOffset = int64((uint64(g.pos) + h.Alignment - 1) / h.Alignment * h.Alignment)
	if err := h.checkTensors(size); err != nil {
		return h, err
	}
	return h, nil
}

// checkTensors sums the parameters without overflow and checks that each tensor's data is
// aligned and inside the file, which catches truncated downloads.
func (h *ggufHeader) checkTensors(size int64) error {
	if len(h.Tensors) > 0 && h.DataOffset > size {
		return fmt.Errorf("tensor data would start at offset %d, past the end of the %d-byte file (truncated?)", h.DataOffset, size)
	}
	var total int64
	var sized []*ggufTensor
	for i := range h.Tensors {
		t := &h.Tensors[i]
		if total > math.MaxInt64-t.Numel {
			return errors.New("GGUF tensors hold more than 2^63 parameters in total")
		}
		total += t.Numel
		if t.Offset%h.Alignment != 0 {
			return fmt.Errorf("tensor %q offset %d is not a multiple of the alignment %d", t.Name, t.Offset, h.Alignment)
		}
		if t.Bytes < 0 {
			continue
		}
		room := uint64(size - h.DataOffset)
		if t.Offset > room || uint64(t.Bytes) > room-t.Offset {
			return fmt.Errorf("tensor %q needs %d bytes at data offset %d, past the end of the file, which holds %d bytes of tensor data (truncated?)",
				t.Name, t.Bytes, t.Offset, room)
		}
		sized = append(sized, t)
	}
	// Overlapping tensors would let one tensor's bytes be read as another's; ggml itself
	// requires them to follow one another. Without overlaps their sizes also add up to no
	// more than the file.
	sort.SliceStable(sized, func(i, j int) bool { return sized[i].Offset < sized[j].Offset })
	for i := 1; i < len(sized); i++ {
		prev, t := sized[i-1], sized[i]
		if t.Offset < prev.Offset+uint64(prev.Bytes) {
			return fmt.Errorf("tensors %q [%d,%d) and %q [%d,%d) overlap in the data section",
				prev.Name, prev.Offset, prev.Offset+uint64(prev.Bytes), t.Name, t.Offset, t.Offset+uint64(t.Bytes))
		}
	}
	return nil
}

// ggufReader reads a GGUF header sequentially, tracking its position so that every length can
// be compared with what is left.
type ggufReader struct {
	br      *bufio.Reader
	pos     int64 // bytes consumed
	limit   int64 // bytes that may be consumed: the file size, capped at MaxGGUFHeader
	size    int64 // the file size, for messages
	v1      bool  // version 1 uses 32-bit counts and lengths
	scratch [8]byte
}

// lenWidth is the size of a count or string length in this version.
func (g *ggufReader) lenWidth() uint64 {
	if g.v1 {
		return 4
	}
	return 8
}

// left is how many bytes may still be read.
func (g *ggufReader) left() uint64 { return uint64(g.limit - g.pos) }

// fits checks that count items of at least each bytes could be in the rest of the file.
func (g *ggufReader) fits(count, each uint64, what string) error {
	hi, need := bits.Mul64(count, each)
	if hi == 0 && need <= g.left() {
		return nil
	}
	switch {
	case hi != 0:
		return fmt.Errorf("%s %d needs more than 2^64 bytes %s", what, count, g.where())
	case each == 1:
		return fmt.Errorf("%s %d needs %d bytes %s", what, count, need, g.where())
	}
	return fmt.Errorf("%s %d needs at least %d bytes (%d each) %s", what, count, need, each, g.where())
}

// where describes the bytes left, for messages.
func (g *ggufReader) where() string {
	if g.limit < g.size {
		return fmt.Sprintf("but only %d remain at offset %d of the first %d bytes read as header", g.left(), g.pos, g.limit)
	}
	return fmt.Sprintf("but only %d remain at offset %d of the %d-byte file", g.left(), g.pos, g.size)
}

// read fills p.
func (g *ggufReader) read(p []byte, what string) error {
	if uint64(len(p)) > g.left() {
		return fmt.Errorf("%s needs %d bytes %s (truncated?)", what, len(p), g.where())
	}
	if _, err := io.ReadFull(g.br, p); err != nil {
		return fmt.Errorf("reading %s at offset %d: %w", what, g.pos, err)
	}
	g.pos += int64(len(p))
	return nil
}

// skip passes over n bytes without keeping them.
func (g *ggufReader) skip(n uint64, what string) error {
	if n > g.left() {
		return fmt.Errorf("%s needs %d bytes %s (truncated?)", what, n, g.where())
	}
	if _, err := g.br.Discard(int(n)); err != nil {
		return fmt.Errorf("reading %s at offset %d: %w", what, g.pos, err)
	}
	g.pos += int64(n)
	return nil
}

func (g *ggufReader) u32(what string) (uint32, error) {
	b := g.scratch[:4]
	if err := g.read(b, what); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (g *ggufReader) u64(what string) (uint64, error) {
	b := g.scratch[:8]
	if err := g.read(b, what); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// count reads a count or length, 32 bits wide in version 1 and 64 bits after.
func (g *ggufReader) count(what string) (uint64, error) {
	if g.v1 {
		n, err := g.u32(what)
		return uint64(n), err
	}
	return g.u64(what)
}

// str reads a string, keeping at most keep bytes of it (cut at a UTF-8 boundary, with "…"
// marking the cut) and skipping the rest, so a huge string costs no memory.
func (g *ggufReader) str(keep uint64) (string, error) {
	n, err := g.count("string length")
	if err != nil {
		return "", err
	}
	if n > g.left() {
		return "", fmt.Errorf("string of %d bytes %s (truncated?)", n, g.where())
	}
	k := min(n, keep)
	buf := make([]byte, k)
	if err := g.read(buf, "string"); err != nil {
		return "", err
	}
	if err := g.skip(n-k, "string"); err != nil {
		return "", err
	}
	if k < n {
		return cutUTF8(string(buf), int(k)) + "…", nil
	}
	return string(buf), nil
}

// name reads a key or tensor name, which must be whole.
func (g *ggufReader) name(what string) (string, error) {
	n, err := g.count(what + " length")
	if err != nil {
		return "", err
	}
	if n > maxGGUFName {
		return "", fmt.Errorf("%s is %d bytes long; at most %d are accepted", what, n, maxGGUFName)
	}
	buf := make([]byte, n)
	if err := g.read(buf, what); err != nil {
		return "", err
	}
	return string(buf), nil
}

// minSize is the fewest bytes a value of type t occupies, used to bound array lengths.
func (g *ggufReader) minSize(t ggufType) uint64 {
	switch t {
	case ggufString:
		return g.lenWidth()
	case ggufArray:
		return 4 + g.lenWidth()
	}
	return ggufTypes[t].size
}

// value reads a value of type t; depth counts the arrays it is nested in.
func (g *ggufReader) value(t ggufType, depth int) (any, error) {
	switch {
	case t >= ggufTypeCount:
		return nil, fmt.Errorf("value type %d is not a GGUF type (0 to %d)", uint32(t), ggufTypeCount-1)
	case t == ggufString:
		return g.str(maxGGUFString)
	case t == ggufArray:
		return g.array(depth + 1)
	}
	return g.scalar(t)
}

// scalar reads a fixed-size value.
func (g *ggufReader) scalar(t ggufType) (any, error) {
	b := g.scratch[:ggufTypes[t].size]
	if err := g.read(b, t.String()+" value"); err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	switch t {
	case ggufUint8:
		return b[0], nil
	case ggufInt8:
		return int8(b[0]), nil
	case ggufUint16:
		return le.Uint16(b), nil
	case ggufInt16:
		return int16(le.Uint16(b)), nil
	case ggufUint32:
		return le.Uint32(b), nil
	case ggufInt32:
		return int32(le.Uint32(b)), nil
	case ggufFloat32:
		return math.Float32frombits(le.Uint32(b)), nil
	case ggufBool:
		return b[0] != 0, nil
	case ggufUint64:
		return le.Uint64(b), nil
	case ggufInt64:
		return int64(le.Uint64(b)), nil
	case ggufFloat64:
		return math.Float64frombits(le.Uint64(b)), nil
	}
	return nil, fmt.Errorf("%v is not a fixed-size type", t)
}

// array reads an array at the given nesting depth, keeping its first ggufSample items.
func (g *ggufReader) array(depth int) (ggufArrayValue, error) {
	var a ggufArrayValue
	if depth > maxGGUFDepth {
		return a, fmt.Errorf("arrays nested more than %d deep", maxGGUFDepth)
	}
	et, err := g.u32("array element type")
	if err != nil {
		return a, err
	}
	a.Elem = ggufType(et)
	if a.Elem >= ggufTypeCount {
		return a, fmt.Errorf("array element type %d is not a GGUF type (0 to %d)", et, ggufTypeCount-1)
	}
	if a.Len, err = g.count("array length"); err != nil {
		return a, err
	}
	if err := g.fits(a.Len, g.minSize(a.Elem), "array of "+a.Elem.String()+" with length"); err != nil {
		return a, err
	}
	if size := ggufTypes[a.Elem].size; size > 0 {
		k := min(a.Len, ggufSample)
		for i := uint64(0); i < k; i++ {
			v, err := g.scalar(a.Elem)
			if err != nil {
				return a, err
			}
			a.Items = append(a.Items, v)
		}
		// Cannot overflow: fits checked Len*size above.
		return a, g.skip((a.Len-k)*size, "array items")
	}
	for i := uint64(0); i < a.Len; i++ {
		var v any
		var err error
		if a.Elem == ggufString {
			keep := uint64(ggufSampleString)
			if i >= ggufSample {
				keep = 0
			}
			v, err = g.str(keep)
		} else {
			v, err = g.array(depth + 1)
		}
		if err != nil {
			return a, fmt.Errorf("array item %d: %w", i, err)
		}
		if i < ggufSample {
			a.Items = append(a.Items, v)
		}
	}
	return a, nil
}

// tensorInfo reads the i-th tensor info and computes its element count and data size.
func (g *ggufReader) tensorInfo(i uint64) (ggufTensor, error) {
	var t ggufTensor
	var err error
	if t.Name, err = g.name(fmt.Sprintf("tensor %d name", i)); err != nil {
		return t, err
	}
	fail := func(err error) (ggufTensor, error) { return t, fmt.Errorf("tensor %q: %w", t.Name, err) }
	nd, err := g.u32("dimension count")
	if err != nil {
		return fail(err)
	}
	if nd > maxGGUFDims {
		return fail(fmt.Errorf("%d dimensions; at most %d are accepted", nd, maxGGUFDims))
	}
	t.Numel = 1
	for d := uint32(0); d < nd; d++ {
		n, err := g.count("dimension")
		if err != nil {
			return fail(err)
		}
		t.Dims = append(t.Dims, n)
		hi, lo := bits.Mul64(uint64(t.Numel), n)
		if hi != 0 || lo > math.MaxInt64 {
			return fail(fmt.Errorf("shape %v has more than 2^63 elements", t.Dims))
		}
		t.Numel = int64(lo)
	}
	if t.Type, err = g.u32("tensor type"); err != nil {
		return fail(err)
	}
	if t.Offset, err = g.u64("tensor offset"); err != nil {
		return fail(err)
	}
	t.Bytes = -1
	gt, ok := ggmlTypes[t.Type]
	if !ok || gt.size == 0 {
		return t, nil
	}
	row := uint64(1)
	if len(t.Dims) > 0 {
		row = t.Dims[0]
	}
	if row%gt.block != 0 {
		return fail(fmt.Errorf("first dimension %d is not a multiple of the %s block size %d", row, gt.name, gt.block))
	}
	hi, lo := bits.Mul64(uint64(t.Numel)/gt.block, gt.size)
	if hi != 0 || lo > math.MaxInt64 {
		return fail(fmt.Errorf("%s%v needs more than 2^63 bytes", gt.name, t.Dims))
	}
	t.Bytes = int64(lo)
	return t, nil
}

// unsigned returns an integer metadata value as a uint64, refusing negatives and non-integers.
func unsigned(v any) (uint64, bool) {
	switch x := v.(type) {
	case uint8:
		return uint64(x), true
	case uint16:
		return uint64(x), true
	case uint32:
		return uint64(x), true
	case uint64:
		return x, true
	case int8, int16, int32, int64:
		n := signed(x)
		return uint64(n), n >= 0
	}
	return 0, false
}

// signed widens a signed integer.
func signed(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

// renderGGUF writes a metadata value as text for Facts.Metadata, at most limit bytes long.
// Numbers and booleans print as Go and JSON would; a short array prints whole, like
// [1,2,3] or ["a","b"]; a long one prints its first items and its length and type, like
// ["<unk>","<s>","</s>",…] (32000 STRING).
func renderGGUF(v any, limit int) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float32:
		s = strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case ggufArrayValue:
		s = renderArray(x)
	default:
		s = fmt.Sprint(x)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > limit {
		s = cutUTF8(s, limit) + "…"
	}
	return s
}

// renderArray prints an array as renderGGUF describes.
func renderArray(a ggufArrayValue) string {
	const whole, head = 16, 3
	n := len(a.Items)
	complete := uint64(n) == a.Len && n <= whole
	if !complete {
		n = min(n, head)
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, it := range a.Items[:n] {
		if i > 0 {
			b.WriteByte(',')
		}
		if s, ok := it.(string); ok {
			b.WriteString(strconv.Quote(s))
		} else {
			b.WriteString(renderGGUF(it, maxMetadataValue))
		}
	}
	if !complete {
		if n > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "…] (%d %s)", a.Len, a.Elem)
		return b.String()
	}
	b.WriteByte(']')
	return b.String()
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
