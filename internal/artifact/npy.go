package artifact

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
)

// The .npy format: "\x93NUMPY", a major and minor version byte, the header length (two bytes
// in version 1, four in 2 and 3), then the header, a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }, padded with spaces. The array
// data follows; for an array of Python objects (descr 'O') it is a pickle.

// npyMagic opens every .npy file.
var npyMagic = []byte("\x93NUMPY")

// maxNPYHeader bounds the header; NumPy itself refuses headers over 10,000 bytes unless told
// otherwise, and structured dtypes with many fields are what make them long.
const maxNPYHeader = 1 << 20

// maxLiteralDepth bounds nesting in a header (structured dtypes nest).
const maxLiteralDepth = 32

// isNPY recognises an .npy file by its magic string.
func isNPY(head []byte) bool { return bytes.HasPrefix(head, npyMagic) }

// npyArray is what an .npy header says.
type npyArray struct {
	descr    string // the dtype as written, or "STRUCT" for a structured one
	dtype    string // the name glassbox reports (F32, I64, OBJECT, …)
	shape    []int64
	fortran  bool
	version  string
	elements int64
	// dataBytes is the size of the data after the header.
	dataBytes int64
	objects   bool
}

// readNPY reads an .npy file's header and, for an object array, walks its pickle.
func readNPY(f *Facts, r io.ReaderAt, size int64) error {
	a, w, err := scanNPY(io.NewSectionReader(r, 0, size), size)
	var c findings
	if w != nil {
		c.add(w, "")
	}
	c.apply(f)
	if a != nil {
		f.Parameters = a.elements
		f.DTypes = map[string]int64{a.dtype: a.elements}
		f.TensorBytes = a.dataBytes
		f.setMeta("descr", a.descr)
		f.setMeta("shape", formatShape(a.shape))
		f.setMeta("fortran_order", strconv.FormatBool(a.fortran))
		f.setMeta("npy_version", a.version)
	}
	return err
}

func formatShape(shape []int64) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// scanNPY reads an array of size bytes from r: the header, then, for an object array, the
// pickle that follows it. The array is nil when the header could not be read; the walk is
// nil unless the array holds objects.
func scanNPY(r io.Reader, size int64) (*npyArray, *PickleWalk, error) {
	var fixed [10]byte
	if size < 10 {
		return nil, nil, fmt.Errorf("an .npy file needs at least 10 bytes; this one has %d", size)
	}
	if _, err := io.ReadFull(r, fixed[:]); err != nil {
		return nil, nil, fmt.Errorf("reading the .npy preamble: %w", err)
	}
	if !bytes.HasPrefix(fixed[:], npyMagic) {
		return nil, nil, errors.New("not an .npy file: it does not start with \\x93NUMPY")
	}
	major, minor := fixed[6], fixed[7]
	var hlen, at int64
	switch major {
	case 1:
		hlen, at = int64(binary.LittleEndian.Uint16(fixed[8:])), 10
	case 2, 3:
		if size < 12 {
			return nil, nil, fmt.Errorf(".npy version %d needs at least 12 bytes; this file has %d", major, size)
		}
		var more [2]byte
		if _, err := io.ReadFull(r, more[:]); err != nil {
			return nil, nil, fmt.Errorf("reading the .npy header length: %w", err)
		}
		hlen, at = int64(binary.LittleEndian.Uint32(append(fixed[8:10:10], more[:]...))), 12
	default:
		return nil, nil, fmt.Errorf(".npy version %d.%d is not one NumPy writes", major, minor)
	}
	if hlen > size-at {
		return nil, nil, fmt.Errorf(".npy header length %d exceeds the %d bytes that follow", hlen, size-at)
	}
	if hlen > maxNPYHeader {
		return nil, nil, fmt.Errorf(".npy header length %d exceeds the %d bytes glassbox reads", hlen, maxNPYHeader)
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, nil, fmt.Errorf("reading the %d-byte .npy header: %w", hlen, err)
	}
	a, err := parseNPYHeader(header)
	if err != nil {
		return nil, nil, fmt.Errorf(".npy header: %w", err)
	}
	a.version = fmt.Sprintf("%d.%d", major, minor)
	a.dataBytes = size - at - hlen
	if !a.objects {
		if item := npyItemSize(a.descr); item > 0 {
			hi, need := bits.Mul64(uint64(a.elements), uint64(item))
			if hi != 0 || need > uint64(a.dataBytes) {
				return a, nil, fmt.Errorf(".npy data is %d bytes, but %d %s elements need %d", a.dataBytes, a.elements, a.descr, need)
			}
		}
		return a, nil, nil
	}
	if a.dataBytes == 0 && a.elements == 0 {
		return a, nil, nil
	}
	w, err := WalkPickle(r, a.dataBytes)
	if err != nil {
		return a, w, fmt.Errorf("the object array's pickle: %w", err)
	}
	return a, w, nil
}

// parseNPYHeader reads the dict literal of an .npy header.
func parseNPYHeader(h []byte) (*npyArray, error) {
	p := &literalParser{s: h}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q after the header dict", p.s[p.i:min(len(p.s), p.i+8)])
	}
	d, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the header is not a dict")
	}
	a := &npyArray{}
	switch descr := d["descr"].(type) {
	case string:
		a.descr, a.dtype, a.objects = descr, npyTypeName(descr), npyIsObject(descr)
	case []any:
		a.descr, a.dtype = "STRUCT", "STRUCT"
		a.objects = structHasObject(descr, 0)
	default:
		return nil, errors.New("descr is missing or neither a string nor a list of fields")
	}
	fortran, ok := d["fortran_order"].(bool)
	if !ok {
		return nil, errors.New("fortran_order is missing or not a bool")
	}
	a.fortran = fortran
	shape, ok := d["shape"].([]any)
	if !ok {
		return nil, errors.New("shape is missing or not a tuple")
	}
	a.elements = 1
	for _, dim := range shape {
		n, ok := dim.(int64)
		if !ok || n < 0 {
			return nil, fmt.Errorf("shape %v holds something other than a non-negative int", shape)
		}
		a.shape = append(a.shape, n)
		hi, lo := bits.Mul64(uint64(a.elements), uint64(n))
		if hi != 0 || lo > 1<<62 {
			return nil, fmt.Errorf("shape %v has too many elements", a.shape)
		}
		a.elements = int64(lo)
	}
	return a, nil
}

// npyIsObject reports whether a dtype string is Python objects ('O', '|O', '|O8').
func npyIsObject(descr string) bool {
	return strings.HasPrefix(strings.TrimLeft(descr, "<>|="), "O")
}

// structHasObject reports whether a structured dtype ([(name, descr[, shape]), …]) has an
// object field anywhere.
func structHasObject(fields []any, depth int) bool {
	if depth > maxLiteralDepth {
		return true
	}
	for _, f := range fields {
		t, ok := f.([]any)
		if !ok || len(t) < 2 {
			// Not a field NumPy would accept; treat the unknown as objects, the careful side.
			return true
		}
		switch d := t[1].(type) {
		case string:
			if npyIsObject(d) {
				return true
			}
		case []any:
			if structHasObject(d, depth+1) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// npyKinds names NumPy's type kinds the way glassbox names tensor dtypes elsewhere.
var npyKinds = map[byte]string{'f': "F", 'i': "I", 'u': "U", 'c': "C"}

// npyTypeName turns a dtype string ('<f4', '|b1', '|O') into F32, BOOL, OBJECT, …; others
// are reported as written.
func npyTypeName(descr string) string {
	d := strings.TrimLeft(descr, "<>|=")
	if npyIsObject(descr) {
		return "OBJECT"
	}
	if d == "b1" || d == "?" {
		return "BOOL"
	}
	if len(d) >= 2 {
		if k, ok := npyKinds[d[0]]; ok {
			if n, err := strconv.Atoi(d[1:]); err == nil && n > 0 && n <= 32 {
				return k + strconv.Itoa(n*8)
			}
		}
	}
	return descr
}

// npyItemSize is the bytes per element of a simple dtype string, or 0 when glassbox does not
// check it.
func npyItemSize(descr string) int64 {
	d := strings.TrimLeft(descr, "<>|=")
	if len(d) < 2 {
		return 0
	}
	n, err := strconv.ParseInt(d[1:], 10, 32)
	if err != nil || n <= 0 {
		return 0
	}
	switch d[0] {
	case 'f', 'i', 'u', 'c', 'b', 'S', 'V':
		return n
	case 'U':
		return 4 * n
	}
	return 0
}

// literalParser reads the subset of Python literals an .npy header uses: dicts, tuples,
// lists, strings, integers, True, False and None.
type literalParser struct {
	s []byte
	i int
}

func (p *literalParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *literalParser) value(depth int) (any, error) {
	if depth > maxLiteralDepth {
		return nil, fmt.Errorf("nested more than %d deep", maxLiteralDepth)
	}
	p.space()
	if p.i == len(p.s) {
		return nil, errors.New("ends before a value")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		d := map[string]any{}
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return d, nil
			}
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, errors.New("a dict key is not a string")
			}
			p.space()
			if p.i == len(p.s) || p.s[p.i] != ':' {
				return nil, fmt.Errorf("no ':' after key %q", ks)
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d[ks] = v
			if err := p.sep('}'); err != nil {
				return nil, err
			}
		}
	case c == '(' || c == '[':
		end := byte(')')
		if c == '[' {
			end = ']'
		}
		p.i++
		var items []any
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == end {
				p.i++
				if items == nil {
					items = []any{}
				}
				return items, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
			if err := p.sep(end); err != nil {
				return nil, err
			}
		}
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		j := p.i + 1
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		// Python 2 wrote long dimensions with an L suffix.
		n, err := strconv.ParseInt(string(p.s[p.i:j]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("integer %q: %w", p.s[p.i:j], err)
		}
		if j < len(p.s) && p.s[j] == 'L' {
			j++
		}
		p.i = j
		return n, nil
	}
	for word, v := range map[string]any{"True": true, "False": false, "None": nil} {
		if bytes.HasPrefix(p.s[p.i:], []byte(word)) {
			p.i += len(word)
			return v, nil
		}
	}
	return nil, fmt.Errorf("unexpected %q", p.s[p.i:min(len(p.s), p.i+8)])
}

// sep consumes a ',' or stops before end.
func (p *literalParser) sep(end byte) error {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ',' {
		p.i++
		return nil
	}
	if p.i < len(p.s) && p.s[p.i] == end {
		return nil
	}
	return fmt.Errorf("expected ',' or %q", end)
}

// str reads a quoted string; headers hold dtype codes and field names, so escapes other than
// a backslash before a quote or a backslash are kept as written.
func (p *literalParser) str() (string, error) {
	q := p.s[p.i]
	p.i++
	var b []byte
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == q:
			return string(b), nil
		case c == '\\' && p.i < len(p.s) && (p.s[p.i] == q || p.s[p.i] == '\\'):
			b = append(b, p.s[p.i])
			p.i++
		default:
			b = append(b, c)
		}
	}
	return "", errors.New("unterminated string")
}
