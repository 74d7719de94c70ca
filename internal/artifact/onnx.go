package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// An ONNX file is one protobuf ModelProto. glassbox reads its top-level fields, and in the
// graph (field 7) only the initializers' dims and data types, to count the weights; every
// node and every tensor's data is skipped by seeking past it, so a model of any size costs a
// few reads per initializer.

// ModelProto and sub-message field numbers, from onnx.proto.
const (
	onnxIRVersion       = 1
	onnxProducerName    = 2
	onnxProducerVersion = 3
	onnxDomain          = 4
	onnxModelVersion    = 5
	onnxDocString       = 6
	onnxGraph           = 7
	onnxOpsetImport     = 8
	onnxMetadataProps   = 14

	// OperatorSetIdProto: domain=1, version=2. StringStringEntryProto: key=1, value=2.
	onnxSubFirst  = 1
	onnxSubSecond = 2
)

// onnxStrings names the string fields of ModelProto as Metadata keys.
var onnxStrings = map[protowire.Number]string{
	onnxProducerName:    "producer_name",
	onnxProducerVersion: "producer_version",
	onnxDomain:          "domain",
	onnxDocString:       "doc_string",
}

// maxONNXFields bounds the fields read at the top level and in each sub-message.
const maxONNXFields = 1 << 20

// readONNX reads an ONNX model's top-level fields into f.Metadata. ONNX cannot carry
// Python code, so a well-formed file is safe.
func readONNX(f *Facts, r io.ReaderAt, size int64) error {
	p := &protoReader{r: r, end: size, buf: make([]byte, 0, 4096)}
	f.Metadata = map[string]string{}
	var opsets []string
	props := map[string]string{}
	sawIR := false
	for fields := 0; p.pos < p.end; fields++ {
		if fields == maxONNXFields {
			return fmt.Errorf("more than %d top-level fields", maxONNXFields)
		}
		at := p.pos
		num, typ, err := p.tag()
		if err != nil {
			return fmt.Errorf("field at offset %d: %w", at, err)
		}
		switch {
		case (num == onnxIRVersion || num == onnxModelVersion) && typ == protowire.VarintType:
			v, err := p.varint()
			if err != nil {
				return fmt.Errorf("field %d at offset %d: %w", num, at, err)
			}
			key := "ir_version"
			if num == onnxModelVersion {
				key = "model_version"
			} else {
				sawIR = true
			}
			f.Metadata[key] = strconv.FormatInt(int64(v), 10)
		case onnxStrings[num] != "" && typ == protowire.BytesType:
			s, err := p.str(maxMetadataValue)
			if err != nil {
				return fmt.Errorf("%s at offset %d: %w", onnxStrings[num], at, err)
			}
			f.Metadata[onnxStrings[num]] = s
		case num == onnxGraph && typ == protowire.BytesType:
			n, err := p.length()
			if err != nil {
				return fmt.Errorf("graph at offset %d: %w", at, err)
			}
			start := p.pos
			if err := p.initializers(f, start+n); err != nil {
				// The weights' shapes are a bonus: a graph glassbox cannot walk leaves the
				// parameter count unknown, not the file unreadable.
				f.Parameters, f.DTypes, f.Tensors = 0, nil, 0
				f.Warnings = append(f.Warnings, fmt.Sprintf("graph at offset %d: %v; parameters not counted", at, err))
			}
			p.pos = start + n
			f.Metadata["graph_bytes"] = strconv.FormatInt(n, 10)
		case num == onnxOpsetImport && typ == protowire.BytesType:
			domain, version, err := p.pair(true)
			if err != nil {
				return fmt.Errorf("opset_import at offset %d: %w", at, err)
			}
			if domain == "" {
				domain = "ai.onnx"
			}
			if len(opsets) < maxMetadataEntries {
				opsets = append(opsets, domain+":"+version)
			}
		case num == onnxMetadataProps && typ == protowire.BytesType:
			key, value, err := p.pair(false)
			if err != nil {
				return fmt.Errorf("metadata_props at offset %d: %w", at, err)
			}
			if len(props) < maxMetadataEntries {
				props[key] = value
			}
		default:
			if err := p.skip(typ); err != nil {
				return fmt.Errorf("field %d at offset %d: %w", num, at, err)
			}
		}
	}
	if !sawIR {
		return errors.New("no ir_version field: not an ONNX model")
	}
	if len(opsets) > 0 {
		f.Metadata["opset_import"] = cutUTF8(strings.Join(opsets, ","), maxMetadataValue)
	}
	// The producer's own properties go in as written, unless one would hide a ModelProto
	// field of the same name.
	for k, v := range props {
		if _, taken := f.Metadata[k]; taken {
			k = "metadata_props." + k
		}
		if len(f.Metadata) < maxMetadataEntries {
			f.Metadata[k] = v
		}
	}
	f.Safety = SafetySafe
	return nil
}

// GraphProto and TensorProto field numbers, from onnx.proto.
const (
	onnxGraphInitializer = 5
	onnxTensorDims       = 1
	onnxTensorDataType   = 2
	// maxONNXDims bounds a tensor's rank; real tensors have a handful of dimensions.
	maxONNXDims = 64
)

// onnxDTypes names TensorProto.DataType values as glassbox names dtypes elsewhere.
var onnxDTypes = map[uint64]string{
	1: "F32", 2: "U8", 3: "I8", 4: "U16", 5: "I16", 6: "I32", 7: "I64", 8: "STRING", 9: "BOOL",
	10: "F16", 11: "F64", 12: "U32", 13: "U64", 14: "C64", 15: "C128", 16: "BF16",
	17: "F8_E4M3FN", 18: "F8_E4M3FNUZ", 19: "F8_E5M2", 20: "F8_E5M2FNUZ", 21: "U4", 22: "I4",
}

// initializers walks the graph up to end and counts the elements of its initializers (the
// weights) from their dims and data types, skipping every other field and every tensor's data
// without reading it.
func (p *protoReader) initializers(f *Facts, end int64) error {
	outer := p.end
	p.end = end
	defer func() { p.end = outer }()
	for fields := 0; p.pos < p.end; fields++ {
		if fields == maxONNXFields {
			return fmt.Errorf("more than %d graph fields", maxONNXFields)
		}
		num, typ, err := p.tag()
		if err != nil {
			return err
		}
		if num != onnxGraphInitializer || typ != protowire.BytesType {
			if err := p.skip(typ); err != nil {
				return err
			}
			continue
		}
		n, err := p.length()
		if err != nil {
			return err
		}
		elems, dtype, err := p.tensorShape(p.pos + n)
		if err != nil {
			return fmt.Errorf("initializer %d: %w", f.Tensors+1, err)
		}
		f.Tensors++
		if f.Parameters > math.MaxInt64-elems {
			return errors.New("parameter count overflows")
		}
		f.Parameters += elems
		if f.DTypes == nil {
			f.DTypes = map[string]int64{}
		}
		f.DTypes[dtype] += elems
	}
	return nil
}

// tensorShape reads a TensorProto's dims and data type up to end, and leaves p at end.
func (p *protoReader) tensorShape(end int64) (elems int64, dtype string, err error) {
	outer := p.end
	p.end = end
	defer func() { p.end, p.pos = outer, end }()
	elems, dims := 1, 0
	dim := func(v uint64) error {
		if dims++; dims > maxONNXDims {
			return fmt.Errorf("more than %d dimensions", maxONNXDims)
		}
		if v > math.MaxInt64 || (v > 0 && elems > math.MaxInt64/int64(v)) {
			return fmt.Errorf("dimension %d overflows the element count", int64(v))
		}
		elems *= int64(v)
		return nil
	}
	dtype = "unknown"
	for fields := 0; p.pos < p.end; fields++ {
		if fields == maxONNXFields {
			return 0, "", fmt.Errorf("more than %d tensor fields", maxONNXFields)
		}
		num, typ, err := p.tag()
		if err != nil {
			return 0, "", err
		}
		switch {
		case num == onnxTensorDims && typ == protowire.VarintType:
			v, err := p.varint()
			if err != nil {
				return 0, "", err
			}
			if err := dim(v); err != nil {
				return 0, "", err
			}
		case num == onnxTensorDims && typ == protowire.BytesType: // packed dims
			n, err := p.length()
			if err != nil {
				return 0, "", err
			}
			if n > maxONNXDims*10 {
				return 0, "", fmt.Errorf("packed dims of %d bytes", n)
			}
			b, err := p.window(int(n))
			if err != nil {
				return 0, "", err
			}
			for len(b) > 0 {
				v, k := protowire.ConsumeVarint(b)
				if k < 0 {
					return 0, "", fmt.Errorf("bad packed dim: %w", protowire.ParseError(k))
				}
				if err := dim(v); err != nil {
					return 0, "", err
				}
				b = b[k:]
			}
			p.pos += n
		case num == onnxTensorDataType && typ == protowire.VarintType:
			v, err := p.varint()
			if err != nil {
				return 0, "", err
			}
			if name, ok := onnxDTypes[v]; ok {
				dtype = name
			}
		default:
			if err := p.skip(typ); err != nil {
				return 0, "", err
			}
		}
	}
	return elems, dtype, nil
}

// protoReader reads protobuf fields from r within [pos, end), through a small buffer that it
// refills at whatever offset is asked for, so skipped fields are never read.
type protoReader struct {
	r        io.ReaderAt
	pos, end int64
	buf      []byte
	bufAt    int64
}

// window returns up to n bytes at pos without consuming them.
func (p *protoReader) window(n int) ([]byte, error) {
	n = int(min(int64(n), p.end-p.pos))
	if p.pos >= p.bufAt && p.pos+int64(n) <= p.bufAt+int64(len(p.buf)) {
		return p.buf[p.pos-p.bufAt:][:n], nil
	}
	want := int(min(int64(cap(p.buf)), p.end-p.pos))
	want = max(want, n)
	if cap(p.buf) < want {
		p.buf = make([]byte, 0, want)
	}
	p.buf = p.buf[:want]
	if err := readFull(p.r, p.buf, p.pos); err != nil {
		p.buf = p.buf[:0]
		return nil, err
	}
	p.bufAt = p.pos
	return p.buf[:n], nil
}

// varint reads a varint.
func (p *protoReader) varint() (uint64, error) {
	b, err := p.window(protowire.SizeVarint(1 << 63))
	if err != nil {
		return 0, err
	}
	v, n := protowire.ConsumeVarint(b)
	if n < 0 {
		return 0, fmt.Errorf("bad varint: %w", protowire.ParseError(n))
	}
	p.pos += int64(n)
	return v, nil
}

// tag reads a field's number and wire type.
func (p *protoReader) tag() (protowire.Number, protowire.Type, error) {
	v, err := p.varint()
	if err != nil {
		return 0, 0, err
	}
	num, typ := protowire.DecodeTag(v)
	if num < protowire.MinValidNumber || num > protowire.MaxValidNumber {
		return 0, 0, fmt.Errorf("field number %d is not valid", num)
	}
	return num, typ, nil
}

// length reads the length of a length-delimited field and checks it against what remains.
func (p *protoReader) length() (int64, error) {
	v, err := p.varint()
	if err != nil {
		return 0, err
	}
	if v > uint64(p.end-p.pos) {
		return 0, fmt.Errorf("length %d exceeds the %d bytes that remain", v, p.end-p.pos)
	}
	return int64(v), nil
}

// str reads a length-delimited string, keeping at most keep bytes (cut at a UTF-8 boundary,
// with "…" added) and skipping the rest.
func (p *protoReader) str(keep int) (string, error) {
	n, err := p.length()
	if err != nil {
		return "", err
	}
	b, err := p.window(int(min(n, int64(keep)+4)))
	if err != nil {
		return "", err
	}
	s := string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	if int64(len(b)) < n || len(s) > keep {
		s = cutUTF8(s, keep) + "…"
	}
	p.pos += n
	return s, nil
}

// skip passes over a field's value.
func (p *protoReader) skip(typ protowire.Type) error {
	switch typ {
	case protowire.VarintType:
		_, err := p.varint()
		return err
	case protowire.Fixed32Type, protowire.Fixed64Type:
		n := int64(4)
		if typ == protowire.Fixed64Type {
			n = 8
		}
		if n > p.end-p.pos {
			return fmt.Errorf("needs %d bytes but %d remain", n, p.end-p.pos)
		}
		p.pos += n
		return nil
	case protowire.BytesType:
		n, err := p.length()
		p.pos += n
		return err
	}
	return fmt.Errorf("wire type %d is not one ONNX uses", typ)
}

// pair reads a two-field sub-message: OperatorSetIdProto (domain, version) when versioned, or
// StringStringEntryProto (key, value). The version is rendered in decimal.
func (p *protoReader) pair(versioned bool) (first, second string, err error) {
	n, err := p.length()
	if err != nil {
		return "", "", err
	}
	outer := p.end
	p.end = p.pos + n
	defer func() { p.end = outer }()
	for fields := 0; p.pos < p.end; fields++ {
		if fields == maxONNXFields {
			return "", "", fmt.Errorf("more than %d fields", maxONNXFields)
		}
		num, typ, err := p.tag()
		if err != nil {
			return "", "", err
		}
		switch {
		case num == onnxSubFirst && typ == protowire.BytesType:
			if first, err = p.str(maxMetadataValue); err != nil {
				return "", "", err
			}
		case num == onnxSubSecond && versioned && typ == protowire.VarintType:
			v, err := p.varint()
			if err != nil {
				return "", "", err
			}
			second = strconv.FormatInt(int64(v), 10)
		case num == onnxSubSecond && !versioned && typ == protowire.BytesType:
			if second, err = p.str(maxMetadataValue); err != nil {
				return "", "", err
			}
		default:
			if err := p.skip(typ); err != nil {
				return "", "", err
			}
		}
	}
	return first, second, nil
}
