package artifact

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
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

// MaxSafetensorsHeader is the largest safetensors JSON header Read accepts. The reference
// implementation refuses headers over 100 MB too; a real header for thousands of tensors is
// well under a megabyte, so anything larger is an attempt to make the reader allocate.
const MaxSafetensorsHeader = 100_000_000

// safetensorsDTypeBits is the width of one element of each safetensors dtype, in bits: the
// sub-byte float formats make bytes too coarse a unit.
var safetensorsDTypeBits = map[string]uint64{
	"BOOL":    8,
	"F4":      4,
	"F6_E2M3": 6,
	"F6_E3M2": 6,
	"U8":      8,
	"I8":      8,
	"F8_E5M2": 8,
	"F8_E4M3": 8,
	"F8_E8M0": 8,
	// Added in safetensors 0.8 for AMD's float8 variants.
	"F8_E4M3FNUZ": 8,
	"F8_E5M2FNUZ": 8,
	"I16":         16,
	"U16":         16,
	"F16":         16,
	"BF16":        16,
	"I32":         32,
	"U32":         32,
	"F32":         32,
	"C64":         64,
	"F64":         64,
	"I64":         64,
	"U64":         64,
}

// metadataKey is the header entry that holds free-form string metadata instead of a tensor.
const metadataKey = "__metadata__"

// stHeader is a validated safetensors header.
type stHeader struct {
	HeaderLen uint64
	Metadata  map[string]string // nil when the header has no __metadata__
	Tensors   []stTensor        // in header order
	DataLen   int64             // bytes after the header
}

// stTensor is one validated header entry.
type stTensor struct {
	Name        string
	DType       string
	Shape       []int64
	Begin, End  int64 // data_offsets, relative to the start of the data
	Numel       int64
	bitsPerElem uint64
}

// isSafetensors recognises the 8-byte little-endian header length followed by a JSON object.
func isSafetensors(head []byte) bool {
	if len(head) < 9 || head[8] != '{' {
		return false
	}
	n := binary.LittleEndian.Uint64(head)
	return n >= 2 && n <= MaxSafetensorsHeader
}

// readSafetensors fills f from a safetensors header. A header with a structural defect (a
// tensor out of bounds, overlapping tensors) still gives every fact read before the defect:
// the metadata and the tensors decoded so far, with the error.
func readSafetensors(f *Facts, r io.ReaderAt, size int64) error {
	h, err := parseSafetensors(r, size)
	if h == nil {
		return err
	}
	var params int64
	dtypes := map[string]int64{}
	names := make([]string, 0, len(h.Tensors))
	for _, t := range h.Tensors {
		// Sub-byte dtypes hold two elements per byte, so even tensors that tile a file of
		// under 2^63 bytes can hold more than 2^63 elements.
		if params > math.MaxInt64-t.Numel {
			return errors.New("safetensors tensors hold more than 2^63 parameters in total")
		}
		params += t.Numel
		dtypes[t.DType] += t.Numel
		names = append(names, t.Name)
	}
	sort.Strings(names)
	f.Parameters, f.DTypes, f.TensorNames = params, dtypes, names
	f.Tensors, f.TensorBytes, f.Metadata = len(h.Tensors), h.DataLen, h.Metadata
	return err
}

// parseSafetensors reads and validates the header of a safetensors file of size bytes. The
// checks are those a loader relies on: a header that fits, known dtypes, byte ranges that
// match the shapes and tile the data exactly, unique names. Once the header's bytes are read,
// a defect returns the header decoded so far with the error; before, nil.
func parseSafetensors(r io.ReaderAt, size int64) (*stHeader, error) {
	if size < 8 {
		return nil, fmt.Errorf("file is %d bytes, too short for the 8-byte safetensors header length", size)
	}
	var lenBuf [8]byte
	if err := readFull(r, lenBuf[:], 0); err != nil {
		return nil, fmt.Errorf("reading the safetensors header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > uint64(size-8) {
		return nil, fmt.Errorf("safetensors header length %d exceeds file size %d", n, size)
	}
	if n > MaxSafetensorsHeader {
		return nil, fmt.Errorf("safetensors header length %d exceeds the %d-byte limit", n, MaxSafetensorsHeader)
	}
	if n < 2 {
		return nil, fmt.Errorf("safetensors header length %d is too short for a JSON object", n)
	}
	raw := make([]byte, n)
	if err := readFull(r, raw, 8); err != nil {
		return nil, fmt.Errorf("reading the %d-byte safetensors header: %w", n, err)
	}
	h := &stHeader{HeaderLen: n, DataLen: size - 8 - int64(n)}
	if err := h.decode(raw); err != nil {
		return h, err
	}
	if err := h.checkLayout(); err != nil {
		return h, err
	}
	return h, nil
}

// decode parses the JSON header, checking each tensor entry on its own.
func (h *stHeader) decode(raw []byte) error {
	if !utf8.Valid(raw) {
		return errors.New("safetensors header is not valid UTF-8")
	}
	if !json.Valid(raw) {
		// Unmarshal again only to learn what and where the syntax error is.
		var syn *json.SyntaxError
		if err := json.Unmarshal(raw, new(json.RawMessage)); errors.As(err, &syn) {
			return fmt.Errorf("safetensors header is not valid JSON: %v at byte %d of the header", syn, syn.Offset)
		}
		return errors.New("safetensors header is not valid JSON")
	}
	seen := map[string]bool{}
	err := decodeObject(raw, func(name string, val []byte) error {
		if seen[name] {
			if name == metadataKey {
				return errors.New("safetensors header has __metadata__ twice")
			}
			return fmt.Errorf("duplicate tensor name %q in safetensors header", name)
		}
		seen[name] = true
		if name == metadataKey {
			m, err := decodeMetadata(val)
			if err != nil {
				return err
			}
			h.Metadata = m
			return nil
		}
		t, err := decodeTensor(name, val, h.DataLen)
		if err != nil {
			return err
		}
		h.Tensors = append(h.Tensors, t)
		return nil
	})
	if errors.Is(err, errNotObject) {
		return fmt.Errorf("safetensors header is %s, not a JSON object", clip(raw))
	}
	return err
}

// decodeMetadata reads __metadata__, which the format restricts to string values.
func decodeMetadata(val []byte) (map[string]string, error) {
	if string(val) == "null" {
		return nil, nil
	}
	m := map[string]string{}
	err := decodeObject(val, func(key string, v []byte) error {
		if _, dup := m[key]; dup {
			return fmt.Errorf("__metadata__ has key %q twice", key)
		}
		s, err := jsonString(v)
		if err != nil {
			return fmt.Errorf("__metadata__ value for %q is %s, not a string", key, clip(v))
		}
		m[key] = s
		return nil
	})
	if errors.Is(err, errNotObject) {
		return nil, fmt.Errorf("__metadata__ is %s, not an object of strings", clip(val))
	}
	return m, err
}

// decodeTensor reads one tensor entry and checks it against its own shape and the data size.
func decodeTensor(name string, val []byte, dataLen int64) (stTensor, error) {
	t := stTensor{Name: name}
	var dtype, shape, offsets []byte
	err := decodeObject(val, func(key string, v []byte) error {
		switch key {
		case "dtype":
			dtype = v
		case "shape":
			shape = v
		case "data_offsets":
			offsets = v
		}
		// Other keys are ignored, as the reference reader ignores them.
		return nil
	})
	if errors.Is(err, errNotObject) {
		return t, fmt.Errorf("tensor %q is %s, not an object with dtype, shape and data_offsets", name, clip(val))
	}
	if err != nil {
		return t, fmt.Errorf("tensor %q: %w", name, err)
	}
	if dtype == nil || shape == nil || offsets == nil {
		return t, fmt.Errorf("tensor %q lacks %s", name, missing(dtype, shape, offsets))
	}

	if t.DType, err = jsonString(dtype); err != nil {
		return t, fmt.Errorf("tensor %q dtype is %s, not a string", name, clip(dtype))
	}
	var ok bool
	if t.bitsPerElem, ok = safetensorsDTypeBits[t.DType]; !ok {
		return t, fmt.Errorf("tensor %q has unknown dtype %q", name, t.DType)
	}

	dims, err := decodeInts(shape)
	if err != nil {
		return t, fmt.Errorf("tensor %q shape %s: %w", name, clip(shape), err)
	}
	t.Shape = dims
	t.Numel = 1
	for _, d := range dims {
		hi, lo := bits.Mul64(uint64(t.Numel), uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return t, fmt.Errorf("tensor %q shape %v has more than 2^63 elements", name, dims)
		}
		t.Numel = int64(lo)
	}

	off, err := decodeInts(offsets)
	if err != nil {
		return t, fmt.Errorf("tensor %q data_offsets %s: %w", name, clip(offsets), err)
	}
	if len(off) != 2 {
		return t, fmt.Errorf("tensor %q data_offsets has %d numbers, want 2 (begin, end)", name, len(off))
	}
	t.Begin, t.End = off[0], off[1]
	if t.Begin > t.End {
		return t, fmt.Errorf("tensor %q data_offsets [%d,%d) end before they begin", name, t.Begin, t.End)
	}

	hi, nbits := bits.Mul64(uint64(t.Numel), t.bitsPerElem)
	if hi != 0 {
		return t, fmt.Errorf("tensor %q %s%v needs more than 2^64 bits", name, t.DType, dims)
	}
	if nbits%8 != 0 {
		return t, fmt.Errorf("tensor %q %s%v is %d bits, not a whole number of bytes", name, t.DType, dims, nbits)
	}
	if want := nbits / 8; uint64(t.End-t.Begin) != want {
		return t, fmt.Errorf("tensor %q %s%v needs %d bytes but data_offsets [%d,%d) span %d",
			name, t.DType, dims, want, t.Begin, t.End, t.End-t.Begin)
	}
	if t.End > dataLen {
		return t, fmt.Errorf("tensor %q data_offsets [%d,%d) run past the end of the file, which holds %d bytes of data after the header (truncated?)",
			name, t.Begin, t.End, dataLen)
	}
	return t, nil
}

// checkLayout verifies that the tensors' byte ranges cover the data exactly once: a gap is
// bytes no tensor owns, an overlap lets one tensor's writes change another.
func (h *stHeader) checkLayout() error {
	order := make([]*stTensor, len(h.Tensors))
	for i := range h.Tensors {
		order[i] = &h.Tensors[i]
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].Begin != order[j].Begin {
			return order[i].Begin < order[j].Begin
		}
		return order[i].End < order[j].End
	})
	var end int64
	var prev *stTensor
	for _, t := range order {
		switch {
		case t.Begin < end:
			return fmt.Errorf("tensors %q [%d,%d) and %q [%d,%d) overlap", prev.Name, prev.Begin, prev.End, t.Name, t.Begin, t.End)
		case t.Begin > end:
			return fmt.Errorf("%d bytes of data before tensor %q at offset %d belong to no tensor", t.Begin-end, t.Name, t.Begin)
		}
		end, prev = t.End, t
	}
	if end != h.DataLen {
		return fmt.Errorf("tensors end at data offset %d but the file holds %d bytes of data after the header: %d bytes belong to no tensor",
			end, h.DataLen, h.DataLen-end)
	}
	return nil
}

// errNotObject reports a JSON value that is not an object; callers name the value.
var errNotObject = errors.New("not a JSON object")

// decodeObject walks the members of a JSON object in order, handing each key and raw value
// to fn, so that repeated keys are visible (encoding/json silently keeps the last one). raw
// must be valid JSON (json.Valid), which lets the walk skip values without re-checking them;
// it is much cheaper than json.Decoder's token stream on headers of thousands of tensors.
func decodeObject(raw []byte, fn func(key string, val []byte) error) error {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return errNotObject
	}
	i++
	for {
		i = skipSpace(raw, i)
		switch raw[i] {
		case '}':
			return nil
		case ',':
			i = skipSpace(raw, i+1)
		}
		end := skipValue(raw, i)
		key, err := jsonString(raw[i:end])
		if err != nil {
			return err
		}
		i = skipSpace(raw, end) + 1 // past the colon
		i = skipSpace(raw, i)
		end = skipValue(raw, i)
		if err := fn(key, raw[i:end]); err != nil {
			return err
		}
		i = end
	}
}

// skipSpace returns the index of the first non-whitespace byte at or after i.
func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the valid JSON value that starts at i.
func skipValue(raw []byte, i int) int {
	depth := 0
	for ; i < len(raw); i++ {
		switch raw[i] {
		case '"':
			for i++; i < len(raw) && raw[i] != '"'; i++ {
				if raw[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
			if depth < 0 {
				return i // the end of an enclosing container
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// jsonString decodes a JSON string literal, taking the common unescaped case directly.
func jsonString(lit []byte) (string, error) {
	if len(lit) >= 2 && lit[0] == '"' && lit[len(lit)-1] == '"' && bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1]), nil
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", clip(lit))
	}
	return s, nil
}

// decodeInts reads a JSON array of non-negative integers that fit in an int64. Floats,
// negatives, exponents and quoted numbers are refused rather than rounded. raw is already
// known to be valid JSON, so a split on commas finds the elements.
func decodeInts(raw []byte) ([]int64, error) {
	s := strings.TrimSpace(string(raw))
	inner, ok := strings.CutPrefix(s, "[")
	if inner, ok = strings.CutSuffix(inner, "]"); !ok {
		return nil, errors.New("not an array of integers")
	}
	if strings.TrimSpace(inner) == "" {
		return []int64{}, nil
	}
	parts := strings.Split(inner, ",")
	out := make([]int64, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil || p[0] < '0' || p[0] > '9' {
			return nil, fmt.Errorf("element %s is not a non-negative integer below 2^63", clip([]byte(p)))
		}
		out[i] = v
	}
	return out, nil
}

// missing lists which of the three required tensor fields are absent.
func missing(dtype, shape, offsets []byte) string {
	var names []string
	for _, f := range []struct {
		name string
		v    []byte
	}{{"dtype", dtype}, {"shape", shape}, {"data_offsets", offsets}} {
		if f.v == nil {
			names = append(names, f.name)
		}
	}
	return fmt.Sprint(names)
}

// clip shortens a JSON fragment for an error message.
func clip(b []byte) string {
	const max = 40
	if len(b) <= max {
		return string(b)
	}
	return string(b[:max]) + "…"
}

// Tensor describes one tensor for WriteSafetensors and WriteGGUF, which produce small example
// weights files for tests and demonstrations.
type Tensor struct {
	Name string
	// DType is a safetensors dtype ("F32", "BF16") or a GGML type name ("F16", "Q4_0").
	DType string
	// Shape lists the dimensions as the format stores them: outermost first for safetensors,
	// fastest-varying first for GGUF.
	Shape []int64
	// Data is the tensor's bytes; nil writes zeros of the right length.
	Data []byte
}

// WriteSafetensors writes a safetensors file holding tensors, in order, and metadata as its
// __metadata__ (omitted when empty). The header is padded with spaces to a multiple of 8
// bytes, as the reference writer does, so the data stays aligned.
func WriteSafetensors(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header, _, err := safetensorsHeader(tensors, metadata)
	if err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	for _, t := range tensors {
		if t.Data != nil {
			if _, err := w.Write(t.Data); err != nil {
				return err
			}
			continue
		}
		n, _ := safetensorsBytes(t)
		if err := writeZeros(w, n); err != nil {
			return err
		}
	}
	return nil
}

// safetensorsHeader builds the length prefix and JSON header for tensors laid out in order,
// and returns the length of the data that must follow.
func safetensorsHeader(tensors []Tensor, metadata map[string]string) ([]byte, int64, error) {
	var js bytes.Buffer
	js.WriteByte('{')
	if len(metadata) > 0 {
		m, err := json.Marshal(metadata) // sorted keys, so output is deterministic
		if err != nil {
			return nil, 0, err
		}
		js.WriteString(`"__metadata__":`)
		js.Write(m)
	}
	seen := map[string]bool{}
	var off int64
	for i, t := range tensors {
		if t.Name == metadataKey || seen[t.Name] {
			return nil, 0, fmt.Errorf("tensor %d: name %q is reserved or repeated", i, t.Name)
		}
		seen[t.Name] = true
		n, err := safetensorsBytes(t)
		if err != nil {
			return nil, 0, err
		}
		if t.Data != nil && int64(len(t.Data)) != n {
			return nil, 0, fmt.Errorf("tensor %q: %d bytes of data for %s%v, which needs %d", t.Name, len(t.Data), t.DType, t.Shape, n)
		}
		if js.Len() > 1 {
			js.WriteByte(',')
		}
		name, _ := json.Marshal(t.Name)
		shape, _ := json.Marshal(nonNil(t.Shape))
		fmt.Fprintf(&js, `%s:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, name, t.DType, shape, off, off+n)
		off += n
	}
	js.WriteByte('}')
	for js.Len()%8 != 0 {
		js.WriteByte(' ')
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(js.Len()))
	return append(out, js.Bytes()...), off, nil
}

// safetensorsBytes is the data size of t in the safetensors layout.
func safetensorsBytes(t Tensor) (int64, error) {
	b, ok := safetensorsDTypeBits[t.DType]
	if !ok {
		return 0, fmt.Errorf("tensor %q: unknown safetensors dtype %q", t.Name, t.DType)
	}
	numel, err := product(t.Shape)
	if err != nil {
		return 0, fmt.Errorf("tensor %q: %w", t.Name, err)
	}
	hi, nbits := bits.Mul64(uint64(numel), b)
	if hi != 0 || nbits%8 != 0 || nbits/8 > math.MaxInt64 {
		return 0, fmt.Errorf("tensor %q: %s%v is not a whole number of bytes below 2^63", t.Name, t.DType, t.Shape)
	}
	return int64(nbits / 8), nil
}

// product multiplies dimensions, refusing negative ones and overflow.
func product(shape []int64) (int64, error) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("shape %v has a negative dimension", shape)
		}
		hi, lo := bits.Mul64(uint64(n), uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, fmt.Errorf("shape %v has more than 2^63 elements", shape)
		}
		n = int64(lo)
	}
	return n, nil
}

// nonNil makes a nil shape encode as [] (a scalar) rather than null.
func nonNil(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// writeZeros writes n zero bytes without allocating n bytes.
func writeZeros(w io.Writer, n int64) error {
	var zeros [32 << 10]byte
	for n > 0 {
		k := min(n, int64(len(zeros)))
		if _, err := w.Write(zeros[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}
