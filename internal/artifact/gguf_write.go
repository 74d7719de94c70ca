package artifact

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"reflect"
)

// KV is one GGUF metadata entry for WriteGGUF. The Go type of Value picks the GGUF type:
// uint8, int8, uint16, int16, uint32, int32, float32, bool, string, uint64, int64 and float64
// map to the scalar types, a slice of one of them to an array, and a slice of slices to an
// array of arrays.
type KV struct {
	Key   string
	Value any
}

// WriteGGUF writes a GGUF version 3 file with the metadata kvs, in order, and tensors laid out
// one after another at the alignment general.alignment gives (32 when absent). A tensor's
// DType is a GGML type name and its Shape is in ggml order, fastest-varying dimension first.
func WriteGGUF(w io.Writer, kvs []KV, tensors []Tensor) error {
	return writeGGUF(w, 3, kvs, tensors)
}

// ggmlTypeIDs maps GGML type names back to their numbers.
var ggmlTypeIDs = func() map[string]uint32 {
	m := map[string]uint32{}
	for id, t := range ggmlTypes {
		m[t.name] = id
	}
	return m
}()

// writeGGUF writes any version; version 1 has 32-bit counts and lengths.
func writeGGUF(w io.Writer, version uint32, kvs []KV, tensors []Tensor) error {
	e := &ggufEncoder{v1: version == 1}
	e.buf.WriteString(ggufMagic)
	e.u32(version)
	e.count(uint64(len(tensors)))
	e.count(uint64(len(kvs)))

	align := uint64(ggufDefaultAlignment)
	for _, kv := range kvs {
		e.str(kv.Key)
		if err := e.kv(kv); err != nil {
			return err
		}
		if kv.Key == "general.alignment" {
			a, ok := unsigned(kv.Value)
			if !ok || a == 0 || a&(a-1) != 0 {
				return fmt.Errorf("general.alignment %v is not a power of two", kv.Value)
			}
			align = a
		}
	}

	sizes := make([]uint64, len(tensors))
	var off uint64
	for i, t := range tensors {
		id, ok := ggmlTypeIDs[t.DType]
		if !ok {
			return fmt.Errorf("tensor %q: unknown GGML type %q", t.Name, t.DType)
		}
		n, err := ggmlBytes(t, ggmlTypes[id])
		if err != nil {
			return err
		}
		if t.Data != nil && uint64(len(t.Data)) != n {
			return fmt.Errorf("tensor %q: %d bytes of data for %s%v, which needs %d", t.Name, len(t.Data), t.DType, t.Shape, n)
		}
		sizes[i] = n
		e.str(t.Name)
		e.u32(uint32(len(t.Shape)))
		for _, d := range t.Shape {
			e.count(uint64(d))
		}
		e.u32(id)
		e.u64(off)
		off = padTo(off+n, align)
	}
	e.buf.Write(make([]byte, padTo(uint64(e.buf.Len()), align)-uint64(e.buf.Len())))
	if _, err := w.Write(e.buf.Bytes()); err != nil {
		return err
	}
	for i, t := range tensors {
		if t.Data != nil {
			if _, err := w.Write(t.Data); err != nil {
				return err
			}
		} else if err := writeZeros(w, int64(sizes[i])); err != nil {
			return err
		}
		if err := writeZeros(w, int64(padTo(sizes[i], align)-sizes[i])); err != nil {
			return err
		}
	}
	return nil
}

// ggmlBytes is the data size of t stored as type gt.
func ggmlBytes(t Tensor, gt ggmlType) (uint64, error) {
	numel, err := product(t.Shape)
	if err != nil {
		return 0, fmt.Errorf("tensor %q: %w", t.Name, err)
	}
	if gt.size == 0 {
		return 0, fmt.Errorf("tensor %q: the block size of %s is not known", t.Name, gt.name)
	}
	row := int64(1)
	if len(t.Shape) > 0 {
		row = t.Shape[0]
	}
	if uint64(row)%gt.block != 0 {
		return 0, fmt.Errorf("tensor %q: first dimension %d is not a multiple of the %s block size %d", t.Name, row, gt.name, gt.block)
	}
	n := uint64(numel) / gt.block
	if n > math.MaxInt64/gt.size {
		return 0, fmt.Errorf("tensor %q is too large", t.Name)
	}
	return n * gt.size, nil
}

// padTo rounds n up to a multiple of align.
func padTo(n, align uint64) uint64 { return (n + align - 1) / align * align }

// ggufEncoder accumulates a GGUF header.
type ggufEncoder struct {
	buf bytes.Buffer
	v1  bool
}

func (e *ggufEncoder) u32(v uint32) { e.buf.Write(binary.LittleEndian.AppendUint32(nil, v)) }
func (e *ggufEncoder) u64(v uint64) { e.buf.Write(binary.LittleEndian.AppendUint64(nil, v)) }

func (e *ggufEncoder) count(n uint64) {
	if e.v1 {
		e.u32(uint32(n))
		return
	}
	e.u64(n)
}

func (e *ggufEncoder) str(s string) {
	e.count(uint64(len(s)))
	e.buf.WriteString(s)
}

// kv writes a value's type tag and the value.
func (e *ggufEncoder) kv(kv KV) error {
	v := reflect.ValueOf(kv.Value)
	if !v.IsValid() {
		return fmt.Errorf("metadata %q: no value", kv.Key)
	}
	t, err := ggufTypeOf(v.Type())
	if err != nil {
		return fmt.Errorf("metadata %q: %w", kv.Key, err)
	}
	e.u32(uint32(t))
	e.value(v)
	return nil
}

// ggufGoKinds maps Go kinds to GGUF types.
var ggufGoKinds = map[reflect.Kind]ggufType{
	reflect.Uint8: ggufUint8, reflect.Int8: ggufInt8, reflect.Uint16: ggufUint16,
	reflect.Int16: ggufInt16, reflect.Uint32: ggufUint32, reflect.Int32: ggufInt32,
	reflect.Float32: ggufFloat32, reflect.Bool: ggufBool, reflect.String: ggufString,
	reflect.Slice: ggufArray, reflect.Uint64: ggufUint64, reflect.Int64: ggufInt64,
	reflect.Float64: ggufFloat64,
}

// ggufTypeOf picks the GGUF type for a Go type, checking slice element types all the way down.
func ggufTypeOf(t reflect.Type) (ggufType, error) {
	g, ok := ggufGoKinds[t.Kind()]
	if !ok {
		return 0, fmt.Errorf("Go type %v has no GGUF equivalent", t)
	}
	if g == ggufArray {
		if _, err := ggufTypeOf(t.Elem()); err != nil {
			return 0, err
		}
	}
	return g, nil
}

// value writes v, whose type ggufTypeOf accepted.
func (e *ggufEncoder) value(v reflect.Value) {
	le := binary.LittleEndian
	switch v.Kind() {
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.buf.Write(le.AppendUint64(nil, v.Uint())[:v.Type().Size()])
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf.Write(le.AppendUint64(nil, uint64(v.Int()))[:v.Type().Size()])
	case reflect.Float32:
		e.u32(math.Float32bits(float32(v.Float())))
	case reflect.Float64:
		e.u64(math.Float64bits(v.Float()))
	case reflect.Bool:
		if v.Bool() {
			e.buf.WriteByte(1)
		} else {
			e.buf.WriteByte(0)
		}
	case reflect.String:
		e.str(v.String())
	case reflect.Slice:
		elem, _ := ggufTypeOf(v.Type().Elem())
		e.u32(uint32(elem))
		e.count(uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			e.value(v.Index(i))
		}
	}
}
