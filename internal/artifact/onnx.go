package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// An ONNX file is one protobuf ModelProto. glassbox reads its top-level fields and skips the
// graph (field 7), which holds the weights, by seeking past it: a model of any size costs a
// few reads.

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
			p.pos += n
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
