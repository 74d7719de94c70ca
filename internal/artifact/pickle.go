package artifact

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The pickle walker follows the opcodes of Python's pickle format (protocols 0 to 5) the way
// the unpickler would, but never builds an object and never imports anything. It models the
// unpickler's stack, mark stack and memo just far enough to know which strings reach
// STACK_GLOBAL, which is how protocol 4 and later name the code they import.
//
// Bounds: every length in the stream is checked against the bytes that remain; strings are
// kept only when short (a module or attribute name is never long), and the stack and memo
// keep a bounded amount of state. Whatever the walker has had to forget becomes "unknown",
// and an import built from unknown operands is dangerous, so a bound never hides an import.

// Bounds on the walker's memory. Each is far above what real pickles need.
const (
	// maxPickleName is the longest string kept as a possible module or attribute name.
	maxPickleName = 1 << 10
	// maxPickleStrings and maxPickleStringBytes bound the distinct strings kept as possible
	// import paths (with their hash table, about 56 MiB at most).
	maxPickleStrings     = 1 << 21
	maxPickleStringBytes = 32 << 20
	// maxPickleStack is how many stack entries are kept; deeper ones are forgotten.
	maxPickleStack = 1 << 20
	// maxPickleMarks bounds nested MARKs; real pickles nest as deep as their data (the
	// pickler recurses, so Python's recursion limit applies).
	maxPickleMarks = 1 << 16
	// maxPickleMemoDense is how many memo slots are kept in a flat table; memo keys are
	// normally 0, 1, 2, …
	maxPickleMemoDense = 1 << 22
	// maxPickleMemoSparse bounds the memo keys kept outside the flat table.
	maxPickleMemoSparse = 1 << 16
	// maxPickleGlobals bounds the distinct imports recorded.
	maxPickleGlobals = 1 << 16
	// pickleBuffer is the walker's read buffer.
	pickleBuffer = 64 << 10
)

// Unknown is the Module or Name of an import whose operand the walker could not trace to a
// string: STACK_GLOBAL fed by a computed value, an int, or a string too long to be a name.
const Unknown = "?"

// torchLegacyPickles is how many pickles torch.save's legacy (pre-zip) format writes before
// the raw storage bytes: magic number, protocol version, system info, the object, the storage
// keys.
const torchLegacyPickles = 5

// torchLegacyMagic is the magic number that opens the legacy format, as LONG1 writes it
// (little-endian two's complement) and as LONG writes it (decimal).
var (
	torchLegacyMagic     = []byte{0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19}
	torchLegacyMagicText = []byte("119547037146038801333356")
)

// Pickle opcodes, by the byte that encodes them.
const (
	opMark           = '('
	opStop           = '.'
	opPop            = '0'
	opPopMark        = '1'
	opDup            = '2'
	opFloat          = 'F'
	opInt            = 'I'
	opBinInt         = 'J'
	opBinInt1        = 'K'
	opLong           = 'L'
	opBinInt2        = 'M'
	opNone           = 'N'
	opPersID         = 'P'
	opBinPersID      = 'Q'
	opReduce         = 'R'
	opString         = 'S'
	opBinString      = 'T'
	opShortBinString = 'U'
	opUnicode        = 'V'
	opBinUnicode     = 'X'
	opAppend         = 'a'
	opBuild          = 'b'
	opGlobal         = 'c'
	opDict           = 'd'
	opEmptyDict      = '}'
	opAppends        = 'e'
	opGet            = 'g'
	opBinGet         = 'h'
	opInst           = 'i'
	opLongBinGet     = 'j'
	opList           = 'l'
	opEmptyList      = ']'
	opObj            = 'o'
	opPut            = 'p'
	opBinPut         = 'q'
	opLongBinPut     = 'r'
	opSetItem        = 's'
	opTuple          = 't'
	opEmptyTuple     = ')'
	opSetItems       = 'u'
	opBinFloat       = 'G'
	opBinBytes       = 'B'
	opShortBinBytes  = 'C'
	opProto          = 0x80
	opNewObj         = 0x81
	opExt1           = 0x82
	opExt2           = 0x83
	opExt4           = 0x84
	opTuple1         = 0x85
	opTuple2         = 0x86
	opTuple3         = 0x87
	opNewTrue        = 0x88
	opNewFalse       = 0x89
	opLong1          = 0x8a
	opLong4          = 0x8b
	opShortBinUni    = 0x8c
	opBinUnicode8    = 0x8d
	opBinBytes8      = 0x8e
	opEmptySet       = 0x8f
	opAddItems       = 0x90
	opFrozenSet      = 0x91
	opNewObjEx       = 0x92
	opStackGlobal    = 0x93
	opMemoize        = 0x94
	opFrame          = 0x95
	opByteArray8     = 0x96
	opNextBuffer     = 0x97
	opReadOnlyBuffer = 0x98
)

// maxPickleProtocol is the highest protocol Python writes (and reads).
const maxPickleProtocol = 5

// PickleWalk is what walking a stream of pickles found, without running any of it.
type PickleWalk struct {
	// Globals are the imports the pickles make, sorted by module and name, each once.
	Globals []Global
	// Pickles is the number of complete pickles (each ended by STOP).
	Pickles int
	// Opcodes is the number of opcodes walked.
	Opcodes int64
	// Protocol is the highest protocol a PROTO opcode announced; 0 when none did.
	Protocol int
	// TorchLegacy says the stream opened with the magic number of torch.save's legacy format,
	// so the walk stopped after its five pickles, where raw storage bytes begin.
	TorchLegacy bool
	// Trailing is the number of bytes after the last pickle that do not begin another one;
	// loaders never read them.
	Trailing int64
}

// Safety is the verdict the imports give: the worst class among them, where innocuous
// imports, or none, are safe.
func (p *PickleWalk) Safety() Safety {
	return globalsSafety(p.Globals)
}

// globalsSafety is the worst class among gs as a Safety.
func globalsSafety(gs []Global) Safety {
	worst := ClassInnocuous
	for _, g := range gs {
		if g.Class.worse(worst) {
			worst = g.Class
		}
	}
	switch worst {
	case ClassDangerous:
		return SafetyDangerous
	case ClassSuspicious:
		return SafetySuspicious
	}
	return SafetySafe
}

// WalkPickle walks the pickles in the first size bytes of r (several may follow one another,
// as legacy torch.save writes them) and reports the imports they make. It reads each opcode
// once and never unpickles. If r is also an io.Seeker, long byte strings are skipped without
// being read.
//
// The result is never nil: on error it holds what was found before the error, so a caller
// can still report a dangerous import that precedes a malformed byte.
func WalkPickle(r io.Reader, size int64) (*PickleWalk, error) {
	w := newPickleWalker(r, size)
	err := w.walk()
	return w.result(), err
}

// pickleWalker holds the state of one walk. Stack entries and memo values are string ids
// (see pickleStrings): n > 0 for a string kept as a possible import path, 0 for any other
// value, -1 (on the stack only) for a string not kept.
type pickleWalker struct {
	in pickleInput

	// stack holds the top of the unpickler's stack; base entries below it were forgotten
	// when the stack outgrew maxPickleStack, and read back as unknown.
	stack []int32
	base  int64
	// marks are stack depths (base included) where MARKs were pushed.
	marks []int64
	memo  pickleMemo
	strs  pickleStrings

	globals map[Global]struct{}
	out     PickleWalk

	// scratch receives Latin-1 strings converted to UTF-8.
	scratch []byte
}

func newPickleWalker(r io.Reader, size int64) *pickleWalker {
	w := &pickleWalker{globals: map[Global]struct{}{}}
	w.in.init(r, size)
	return w
}

// result sorts the imports into the walk's result.
func (w *pickleWalker) result() *PickleWalk {
	out := w.out
	out.Globals = make([]Global, 0, len(w.globals))
	for g := range w.globals {
		g.Class, g.Why = rules().classify(g.Module, g.Name)
		out.Globals = append(out.Globals, g)
	}
	sortGlobals(out.Globals)
	return &out
}

// sortGlobals orders imports by module, then name.
func sortGlobals(gs []Global) {
	slices.SortFunc(gs, func(a, b Global) int {
		return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.Name, b.Name))
	})
}

// walk walks pickle after pickle until the input ends or stops being a pickle.
func (w *pickleWalker) walk() error {
	if w.in.size == 0 {
		return errors.New("empty pickle")
	}
	for {
		legacy, err := w.walkOne()
		if err != nil {
			return fmt.Errorf("pickle %d: %w", w.out.Pickles+1, err)
		}
		w.out.Pickles++
		if w.out.Pickles == 1 && legacy {
			w.out.TorchLegacy = true
		}
		if w.out.TorchLegacy && w.out.Pickles == torchLegacyPickles {
			return nil
		}
		if w.in.remaining() == 0 {
			return nil
		}
		// Another pickle follows only if the next byte is an opcode; anything else is data
		// a loader never reads.
		if err := w.in.ensure(1); err != nil {
			return err
		}
		if !isPickleOpcode(w.in.buf[w.in.r]) {
			w.out.Trailing = w.in.remaining()
			return nil
		}
	}
}

// walkOne walks one pickle through its STOP. It reports whether the pickle was legacy
// torch.save's magic number and nothing else.
func (w *pickleWalker) walkOne() (legacyMagic bool, err error) {
	// Each pickle.load starts with an empty stack and memo.
	w.stack, w.base, w.marks = w.stack[:0], 0, w.marks[:0]
	w.memo.reset()
	// magic tracks the legacy torch magic number: 1 once it is pushed as the first value.
	magic, ops := 0, 0
	defer func() { w.out.Opcodes += int64(ops) }()
	in := &w.in
	for {
		if in.r == in.w {
			if err := in.ensure(1); err != nil {
				return false, fmt.Errorf("%w (no STOP opcode)", err)
			}
		}
		at := in.offset()
		op := in.buf[in.r]
		in.r++
		ops++
		switch op {
		// Values that cannot be strings.
		case opNone, opNewTrue, opNewFalse, opEmptyList, opEmptyTuple, opEmptyDict, opEmptySet, opNextBuffer:
			w.push(0)
		case opBinInt1:
			if err := in.fixed(1); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)
		case opBinInt2:
			if err := in.fixed(2); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)
		case opBinInt:
			if err := in.fixed(4); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)
		case opExt1, opExt2, opExt4:
			width := 1 << (op - opExt1) // EXT1, EXT2, EXT4
			code, err := in.uint(width)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			w.extension(code)
			w.push(0)
		case opBinFloat:
			if err := in.fixed(8); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)
		case opInt, opFloat:
			if _, _, err := in.line(false); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)
		case opLong:
			line, _, err := in.line(true)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if ops == 1 && w.out.Pickles == 0 && bytes.Equal(bytes.TrimSuffix(line, []byte("L")), torchLegacyMagicText) {
				magic = 1
			}
			w.push(0)
		case opLong1:
			n, err := in.uint(1)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if ops <= 2 && w.out.Pickles == 0 && n == uint64(len(torchLegacyMagic)) {
				if err := in.ensure(int(n)); err != nil {
					return false, w.argErr(op, at, err)
				}
				if bytes.Equal(in.buf[in.r:in.r+int(n)], torchLegacyMagic) {
					magic = 1
				}
			}
			if err := in.skip(int64(n)); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)
		case opLong4:
			n, err := in.int32()
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if err := in.skip(int64(n)); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)

		// Byte strings: never str, so never a name.
		case opShortBinBytes:
			if err := w.skipCounted(op, at, 1); err != nil {
				return false, err
			}
			w.push(0)
		case opBinBytes:
			if err := w.skipCounted(op, at, 4); err != nil {
				return false, err
			}
			w.push(0)
		case opBinBytes8, opByteArray8:
			if err := w.skipCounted(op, at, 8); err != nil {
				return false, err
			}
			w.push(0)

		// Strings, kept when short enough to be a name.
		case opShortBinUni, opShortBinString:
			if err := w.counted(op, at, 1, op == opShortBinString); err != nil {
				return false, err
			}
		case opBinUnicode:
			if err := w.counted(op, at, 4, false); err != nil {
				return false, err
			}
		case opBinUnicode8:
			if err := w.counted(op, at, 8, false); err != nil {
				return false, err
			}
		case opBinString:
			n, err := in.int32()
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if err := w.pushCounted(op, at, int64(n), true); err != nil {
				return false, err
			}
		case opString, opUnicode:
			line, long, err := in.line(true)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if long {
				w.push(-1)
				break
			}
			var s []byte
			if op == opString {
				s, err = decodePickleString(line)
				if err != nil {
					return false, w.argErr(op, at, err)
				}
			} else {
				s = decodeRawUnicodeEscape(line)
			}
			w.push(w.strs.id(s))

		// Stack shuffles.
		case opMark:
			if len(w.marks) >= maxPickleMarks {
				return false, fmt.Errorf("MARK at offset %d nests deeper than %d marks", at, maxPickleMarks)
			}
			w.marks = append(w.marks, w.depth())
		case opPop:
			// POP removes the top mark when nothing was pushed after it, as the unpickler does.
			if n := len(w.marks); n > 0 && w.marks[n-1] == w.depth() {
				w.marks = w.marks[:n-1]
				break
			}
			if _, err := w.pop(op, at); err != nil {
				return false, err
			}
		case opDup:
			v, err := w.pop(op, at)
			if err != nil {
				return false, err
			}
			w.push(v)
			w.push(v)
		case opPopMark:
			if err := w.popMark(op, at); err != nil {
				return false, err
			}

		// Containers: pop what they gather, push the container.
		case opTuple, opList, opDict, opFrozenSet:
			if err := w.popMark(op, at); err != nil {
				return false, err
			}
			w.push(0)
		case opTuple1, opTuple2, opTuple3:
			if err := w.popN(op, at, int(op-opTuple1)+1); err != nil {
				return false, err
			}
			w.push(0)
		case opAppend, opBuild:
			// The list (or object) stays; its new element (or state) goes.
			if err := w.popN(op, at, 2); err != nil {
				return false, err
			}
			w.push(0)
		case opSetItem:
			if err := w.popN(op, at, 3); err != nil {
				return false, err
			}
			w.push(0)
		case opAppends, opSetItems, opAddItems:
			if err := w.popMark(op, at); err != nil {
				return false, err
			}
			if err := w.popN(op, at, 1); err != nil {
				return false, err
			}
			w.push(0)

		// Calls build values glassbox does not follow.
		case opReduce, opNewObj:
			if err := w.popN(op, at, 2); err != nil {
				return false, err
			}
			w.push(0)
		case opNewObjEx:
			if err := w.popN(op, at, 3); err != nil {
				return false, err
			}
			w.push(0)
		case opObj:
			if n := len(w.marks); n == 0 || w.depth() <= w.marks[n-1] {
				return false, w.underflow(op, at)
			}
			if err := w.popMark(op, at); err != nil {
				return false, err
			}
			w.push(0)
		case opBinPersID, opReadOnlyBuffer:
			if err := w.popN(op, at, 1); err != nil {
				return false, err
			}
			w.push(0)
		case opPersID:
			if _, _, err := in.line(false); err != nil {
				return false, w.argErr(op, at, err)
			}
			w.push(0)

		// Imports.
		case opGlobal, opInst:
			module, err := w.nameLine(op, at)
			if err != nil {
				return false, err
			}
			name, err := w.nameLine(op, at)
			if err != nil {
				return false, err
			}
			if err := w.record(module, name, at); err != nil {
				return false, err
			}
			if op == opInst {
				if err := w.popMark(op, at); err != nil {
					return false, err
				}
			}
			w.push(0)
		case opStackGlobal:
			name, err := w.pop(op, at)
			if err != nil {
				return false, err
			}
			module, err := w.pop(op, at)
			if err != nil {
				return false, err
			}
			if err := w.record(w.strs.name(module), w.strs.name(name), at); err != nil {
				return false, err
			}
			w.push(0)

		// The memo.
		case opPut:
			line, long, err := in.line(true)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			key, ok, overflow := parseDecimal(line)
			if !ok && !overflow && !long {
				return false, fmt.Errorf("PUT at offset %d has key %q, not a non-negative integer", at, line)
			}
			if !ok {
				// A key too big for uint64 is legal for Python, but the memo can no longer
				// be followed exactly.
				w.memo.lost = true
			}
			if err := w.put(op, at, key); err != nil {
				return false, err
			}
		case opBinPut:
			key, err := in.uint(1)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if err := w.put(op, at, key); err != nil {
				return false, err
			}
		case opLongBinPut:
			key, err := in.uint(4)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if err := w.put(op, at, key); err != nil {
				return false, err
			}
		case opMemoize:
			if err := w.put(op, at, w.memo.len()); err != nil {
				return false, err
			}
		case opGet:
			line, long, err := in.line(true)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			key, ok, overflow := parseDecimal(line)
			if !ok && !overflow && !long {
				return false, fmt.Errorf("GET at offset %d has key %q, not a non-negative integer", at, line)
			}
			if !ok && !w.memo.lost {
				return false, fmt.Errorf("GET at offset %d reads a memo key no PUT stored", at)
			}
			if err := w.get(op, at, key); err != nil {
				return false, err
			}
		case opBinGet:
			key, err := in.uint(1)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if err := w.get(op, at, key); err != nil {
				return false, err
			}
		case opLongBinGet:
			key, err := in.uint(4)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if err := w.get(op, at, key); err != nil {
				return false, err
			}

		// Framing.
		case opProto:
			v, err := in.uint(1)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if v > maxPickleProtocol {
				return false, fmt.Errorf("PROTO at offset %d announces protocol %d; the highest is %d", at, v, maxPickleProtocol)
			}
			w.out.Protocol = max(w.out.Protocol, int(v))
		case opFrame:
			n, err := in.uint(8)
			if err != nil {
				return false, w.argErr(op, at, err)
			}
			if n > uint64(in.remaining()) {
				return false, fmt.Errorf("FRAME at offset %d claims %d bytes but only %d remain", at, n, in.remaining())
			}
		case opStop:
			if _, err := w.pop(op, at); err != nil {
				return false, err
			}
			return magic == 1 && ops <= 3, nil
		default:
			return false, fmt.Errorf("byte 0x%02x at offset %d is not a pickle opcode", op, at)
		}
	}
}

// isPickleOpcode reports whether b encodes an opcode of some protocol.
func isPickleOpcode(b byte) bool {
	return pickleOpcodes[b]
}

// pickleOpcodes marks the bytes that encode opcodes.
var pickleOpcodes = func() (t [256]bool) {
	for _, c := range "(.012FIJKLMNPQRSTUVXabcd}eghijl]opqrstu)GBC" {
		t[c] = true
	}
	for c := opProto; c <= opReadOnlyBuffer; c++ {
		t[c] = true
	}
	return t
}()

// opName names an opcode for error messages.
func opName(op byte) string {
	if n, ok := pickleOpNames[op]; ok {
		return n
	}
	return fmt.Sprintf("opcode 0x%02x", op)
}

var pickleOpNames = map[byte]string{
	opMark: "MARK", opStop: "STOP", opPop: "POP", opPopMark: "POP_MARK", opDup: "DUP", opFloat: "FLOAT",
	opInt: "INT", opBinInt: "BININT", opBinInt1: "BININT1", opLong: "LONG", opBinInt2: "BININT2",
	opNone: "NONE", opPersID: "PERSID", opBinPersID: "BINPERSID", opReduce: "REDUCE", opString: "STRING",
	opBinString: "BINSTRING", opShortBinString: "SHORT_BINSTRING", opUnicode: "UNICODE",
	opBinUnicode: "BINUNICODE", opAppend: "APPEND", opBuild: "BUILD", opGlobal: "GLOBAL", opDict: "DICT",
	opEmptyDict: "EMPTY_DICT", opAppends: "APPENDS", opGet: "GET", opBinGet: "BINGET", opInst: "INST",
	opLongBinGet: "LONG_BINGET", opList: "LIST", opEmptyList: "EMPTY_LIST", opObj: "OBJ", opPut: "PUT",
	opBinPut: "BINPUT", opLongBinPut: "LONG_BINPUT", opSetItem: "SETITEM", opTuple: "TUPLE",
	opEmptyTuple: "EMPTY_TUPLE", opSetItems: "SETITEMS", opBinFloat: "BINFLOAT", opBinBytes: "BINBYTES",
	opShortBinBytes: "SHORT_BINBYTES", opProto: "PROTO", opNewObj: "NEWOBJ", opExt1: "EXT1", opExt2: "EXT2",
	opExt4: "EXT4", opTuple1: "TUPLE1", opTuple2: "TUPLE2", opTuple3: "TUPLE3", opNewTrue: "NEWTRUE",
	opNewFalse: "NEWFALSE", opLong1: "LONG1", opLong4: "LONG4", opShortBinUni: "SHORT_BINUNICODE",
	opBinUnicode8: "BINUNICODE8", opBinBytes8: "BINBYTES8", opEmptySet: "EMPTY_SET", opAddItems: "ADDITEMS",
	opFrozenSet: "FROZENSET", opNewObjEx: "NEWOBJ_EX", opStackGlobal: "STACK_GLOBAL", opMemoize: "MEMOIZE",
	opFrame: "FRAME", opByteArray8: "BYTEARRAY8", opNextBuffer: "NEXT_BUFFER", opReadOnlyBuffer: "READONLY_BUFFER",
}

// argErr says which opcode's argument could not be read.
func (w *pickleWalker) argErr(op byte, at int64, err error) error {
	return fmt.Errorf("%s at offset %d: %w", opName(op), at, err)
}

func (w *pickleWalker) underflow(op byte, at int64) error {
	return fmt.Errorf("%s at offset %d pops more than the stack holds", opName(op), at)
}

// depth is the stack depth, forgotten entries included.
func (w *pickleWalker) depth() int64 { return w.base + int64(len(w.stack)) }

// push adds a value, forgetting the bottom half of the stack when it is full.
func (w *pickleWalker) push(v int32) {
	if len(w.stack) == maxPickleStack {
		half := maxPickleStack / 2
		w.stack = w.stack[:copy(w.stack, w.stack[half:])]
		w.base += int64(half)
	}
	w.stack = append(w.stack, v)
}

// fence is the depth below which the current mark hides the stack.
func (w *pickleWalker) fence() int64 {
	if n := len(w.marks); n > 0 {
		return w.marks[n-1]
	}
	return 0
}

// pop removes the top value; a forgotten one reads as unknown.
func (w *pickleWalker) pop(op byte, at int64) (int32, error) {
	if w.depth() <= w.fence() {
		return 0, w.underflow(op, at)
	}
	if n := len(w.stack); n > 0 {
		v := w.stack[n-1]
		w.stack = w.stack[:n-1]
		return v, nil
	}
	w.base--
	return 0, nil
}

// popN removes n values.
func (w *pickleWalker) popN(op byte, at int64, n int) error {
	if w.depth()-int64(n) < w.fence() {
		return w.underflow(op, at)
	}
	if n <= len(w.stack) {
		w.stack = w.stack[:len(w.stack)-n]
		return nil
	}
	w.base -= int64(n - len(w.stack))
	w.stack = w.stack[:0]
	return nil
}

// popMark removes the values above the top mark, and the mark.
func (w *pickleWalker) popMark(op byte, at int64) error {
	n := len(w.marks)
	if n == 0 {
		return fmt.Errorf("%s at offset %d needs a MARK but none is on the stack", opName(op), at)
	}
	m := w.marks[n-1]
	w.marks = w.marks[:n-1]
	if m < w.base {
		w.base, w.stack = m, w.stack[:0]
		return nil
	}
	w.stack = w.stack[:m-w.base]
	return nil
}

// skipCounted skips a byte string whose length takes width bytes.
func (w *pickleWalker) skipCounted(op byte, at int64, width int) error {
	n, err := w.in.uint(width)
	if err != nil {
		return w.argErr(op, at, err)
	}
	if n > uint64(w.in.remaining()) {
		return fmt.Errorf("%s at offset %d claims %d bytes but only %d remain", opName(op), at, n, w.in.remaining())
	}
	if err := w.in.skip(int64(n)); err != nil {
		return w.argErr(op, at, err)
	}
	return nil
}

// counted pushes a string whose length takes width bytes.
func (w *pickleWalker) counted(op byte, at int64, width int, latin1 bool) error {
	n, err := w.in.uint(width)
	if err != nil {
		return w.argErr(op, at, err)
	}
	if n > uint64(w.in.remaining()) {
		return fmt.Errorf("%s at offset %d claims %d bytes but only %d remain", opName(op), at, n, w.in.remaining())
	}
	return w.pushCounted(op, at, int64(n), latin1)
}

// pushCounted pushes a string of n bytes that follow, keeping it if short. latin1 marks the
// protocol 1 and 2 byte strings, which the unpickler decodes with a one-byte encoding.
func (w *pickleWalker) pushCounted(op byte, at int64, n int64, latin1 bool) error {
	if n > w.in.remaining() {
		return fmt.Errorf("%s at offset %d claims %d bytes but only %d remain", opName(op), at, n, w.in.remaining())
	}
	if n > maxPickleName {
		if err := w.in.skip(n); err != nil {
			return w.argErr(op, at, err)
		}
		w.push(-1)
		return nil
	}
	if err := w.in.ensure(int(n)); err != nil {
		return w.argErr(op, at, err)
	}
	s := w.in.buf[w.in.r : w.in.r+int(n)]
	w.in.r += int(n)
	if latin1 && !isASCII(s) {
		w.scratch = latin1ToUTF8(w.scratch[:0], s)
		s = w.scratch
	}
	w.push(w.strs.id(s))
	return nil
}

// nameLine reads one line of GLOBAL or INST.
func (w *pickleWalker) nameLine(op byte, at int64) (string, error) {
	line, long, err := w.in.line(true)
	if err != nil {
		return "", w.argErr(op, at, err)
	}
	if long {
		return Unknown, nil
	}
	return string(line), nil
}

// record notes an import.
func (w *pickleWalker) record(module, name string, at int64) error {
	g := Global{Module: module, Name: name}
	if _, ok := w.globals[g]; ok {
		return nil
	}
	if len(w.globals) >= maxPickleGlobals {
		return fmt.Errorf("import at offset %d is beyond the %d distinct imports glassbox records", at, maxPickleGlobals)
	}
	w.globals[g] = struct{}{}
	return nil
}

// extension records an EXT opcode: an import through the copyreg extension registry, which
// only the loading process knows, so glassbox cannot tell what it names.
func (w *pickleWalker) extension(code uint64) {
	if len(w.globals) < maxPickleGlobals {
		w.globals[Global{Module: "copyreg", Name: "<extension " + strconv.FormatUint(code, 10) + ">"}] = struct{}{}
	}
}

// put stores the top of the stack in the memo.
func (w *pickleWalker) put(op byte, at int64, key uint64) error {
	if w.depth() <= w.fence() {
		return w.underflow(op, at)
	}
	var v int32
	if n := len(w.stack); n > 0 {
		// Only kept strings need remembering; every other value reads back as unknown.
		v = max(w.stack[n-1], 0)
	}
	w.memo.put(key, v)
	return nil
}

// get pushes a memo value.
func (w *pickleWalker) get(op byte, at int64, key uint64) error {
	v, ok := w.memo.get(key)
	if !ok {
		return fmt.Errorf("%s at offset %d reads memo key %d, which no PUT stored", opName(op), at, key)
	}
	w.push(v)
	return nil
}

// pickleMemo follows the unpickler's memo: which keys are set (MEMOIZE stores at the number
// of keys), and which hold strings. Keys are normally 0, 1, 2, … so a counter and a flat
// table cover them; other keys go in small maps. When those overflow, the memo is lost: every
// read gives an unknown value.
type pickleMemo struct {
	// dense: keys 0 … dense-1 are all set. sparse: set keys above dense.
	dense  uint64
	sparse map[uint64]struct{}
	// flat holds string ids for keys below maxPickleMemoDense; far holds them for the rest.
	flat []int32
	far  map[uint64]int32
	lost bool
}

func (m *pickleMemo) reset() {
	m.dense, m.lost = 0, false
	clear(m.sparse)
	clear(m.far)
	m.flat = m.flat[:0]
}

// len is the number of set keys, where MEMOIZE stores next.
func (m *pickleMemo) len() uint64 { return m.dense + uint64(len(m.sparse)) }

func (m *pickleMemo) has(key uint64) bool {
	if key < m.dense {
		return true
	}
	_, ok := m.sparse[key]
	return ok
}

func (m *pickleMemo) put(key uint64, v int32) {
	if key == m.dense && v == 0 && len(m.sparse) == 0 && key >= uint64(len(m.flat)) && len(m.far) == 0 {
		// The common case: the next key, for a value that is not a string.
		m.dense++
		return
	}
	if m.lost {
		return
	}
	switch {
	case key == m.dense:
		m.dense++
		for len(m.sparse) > 0 {
			if _, ok := m.sparse[m.dense]; !ok {
				break
			}
			delete(m.sparse, m.dense)
			m.dense++
		}
	case key > m.dense:
		if m.sparse == nil {
			m.sparse = map[uint64]struct{}{}
		}
		if len(m.sparse) >= maxPickleMemoSparse {
			m.lost = true
			return
		}
		m.sparse[key] = struct{}{}
	}
	if key < maxPickleMemoDense {
		if key < uint64(len(m.flat)) {
			m.flat[key] = v
		} else if v != 0 {
			m.flat = append(m.flat, make([]int32, key-uint64(len(m.flat))+1)...)
			m.flat[key] = v
		}
		return
	}
	if v == 0 {
		if m.far != nil {
			delete(m.far, key)
		}
		return
	}
	if m.far == nil {
		m.far = map[uint64]int32{}
	}
	if len(m.far) >= maxPickleMemoSparse {
		m.lost = true
		return
	}
	m.far[key] = v
}

// get returns the value at key; ok is false when the key was never set.
func (m *pickleMemo) get(key uint64) (v int32, ok bool) {
	if m.lost {
		return 0, true
	}
	if !m.has(key) {
		return 0, false
	}
	if key < uint64(len(m.flat)) {
		return m.flat[key], true
	}
	return m.far[key], true
}

// pickleStrings keeps the strings that could name an import, so that a stack or memo entry
// is a small id. The bytes live in one arena and a hash table finds repeats, so keeping a
// string costs no allocation of its own.
type pickleStrings struct {
	arena []byte
	// ends[i] is where string i+1 ends in arena; it starts where string i ends.
	ends []uint32
	// table holds ids by hash, open addressing; 0 is an empty slot.
	table []uint32
	seed  maphash.Seed
}

// id returns the id of s, keeping it if new, or -1 when s cannot name an import or the table
// is full. A -1 that reaches STACK_GLOBAL makes an unknown, hence dangerous, import.
func (t *pickleStrings) id(s []byte) int32 {
	if !maybeImportPath(s) {
		return -1
	}
	if t.table == nil {
		t.table = make([]uint32, 1<<10)
		t.seed = maphash.MakeSeed()
	}
	mask := uint64(len(t.table) - 1)
	i := maphash.Bytes(t.seed, s) & mask
	for ; t.table[i] != 0; i = (i + 1) & mask {
		if id := t.table[i]; bytes.Equal(t.bytes(id), s) {
			return int32(id)
		}
	}
	if len(t.ends) >= maxPickleStrings || len(t.arena)+len(s) > maxPickleStringBytes {
		return -1
	}
	t.arena = append(t.arena, s...)
	t.ends = append(t.ends, uint32(len(t.arena)))
	id := uint32(len(t.ends))
	t.table[i] = id
	if 2*len(t.ends) > len(t.table) {
		t.grow()
	}
	return int32(id)
}

// grow doubles the hash table.
func (t *pickleStrings) grow() {
	table := make([]uint32, 2*len(t.table))
	mask := uint64(len(table) - 1)
	for id := uint32(1); id <= uint32(len(t.ends)); id++ {
		i := maphash.Bytes(t.seed, t.bytes(id)) & mask
		for table[i] != 0 {
			i = (i + 1) & mask
		}
		table[i] = id
	}
	t.table = table
}

// bytes returns the string with id id > 0.
func (t *pickleStrings) bytes(id uint32) []byte {
	start := uint32(0)
	if id > 1 {
		start = t.ends[id-2]
	}
	return t.arena[start:t.ends[id-1]]
}

// name is the string an id stands for, or Unknown.
func (t *pickleStrings) name(id int32) string {
	if id <= 0 {
		return Unknown
	}
	return string(t.bytes(uint32(id)))
}

// maybeImportPath reports whether s could be a module or attribute path: dot-separated
// identifiers. Python identifiers may be non-ASCII, so bytes above 0x7f pass. Anything else
// (a sentence, a tensor name such as model.layers.0.weight) fails to import, so the walker
// need not keep it.
func maybeImportPath(s []byte) bool {
	start := true
	for _, c := range s {
		switch {
		case c == '.':
			if start {
				return false
			}
			start = true
			continue
		case c == '_' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z'):
		case c >= '0' && c <= '9':
			if start {
				return false
			}
		default:
			return false
		}
		start = false
	}
	return !start
}

// pickleInput is a buffered reader bounded by the size the caller gave: every length in the
// stream is checked against remaining before the walker reads or skips that many bytes.
type pickleInput struct {
	src  io.Reader
	seek io.Seeker
	buf  []byte
	// buf[r:w] is read from the source but not yet consumed; consumed bytes before buf[r]
	// number pos - r.
	r, w int
	pos  int64 // stream offset of buf[w]
	size int64
	// text collects a line that spans buffer refills.
	text []byte
}

func (in *pickleInput) init(r io.Reader, size int64) {
	in.src, in.size = r, max(size, 0)
	in.seek, _ = r.(io.Seeker)
	in.buf = make([]byte, min(int64(pickleBuffer), max(in.size, 16)))
}

// offset is the stream offset of the next unconsumed byte.
func (in *pickleInput) offset() int64 { return in.pos - int64(in.w-in.r) }

// remaining is how many bytes are left to consume.
func (in *pickleInput) remaining() int64 { return in.size - in.offset() }

// ensure makes n bytes available in buf[r:], n no more than the buffer holds.
func (in *pickleInput) ensure(n int) error {
	if in.w-in.r >= n {
		return nil
	}
	if int64(n) > in.remaining() {
		return fmt.Errorf("needs %d bytes but only %d remain: %w", n, in.remaining(), io.ErrUnexpectedEOF)
	}
	if n > len(in.buf) {
		buf := make([]byte, n)
		in.w = copy(buf, in.buf[in.r:in.w])
		in.buf, in.r = buf, 0
	} else if in.r > 0 {
		in.w = copy(in.buf, in.buf[in.r:in.w])
		in.r = 0
	}
	for in.w < n {
		want := min(int64(len(in.buf)-in.w), in.size-in.pos)
		m, err := in.src.Read(in.buf[in.w : in.w+int(want)])
		in.w += m
		in.pos += int64(m)
		if m > 0 {
			continue
		}
		return in.readFailure(err)
	}
	return nil
}

// readFailure explains a read that brought no bytes: the file ended early, or the reader failed.
func (in *pickleInput) readFailure(err error) error {
	if err == nil {
		err = io.ErrNoProgress
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("reading at offset %d: %w", in.pos, err)
}

// skip consumes n bytes, seeking over them when it can.
func (in *pickleInput) skip(n int64) error {
	if n < 0 || n > in.remaining() {
		return fmt.Errorf("needs %d bytes but only %d remain: %w", n, in.remaining(), io.ErrUnexpectedEOF)
	}
	if buffered := int64(in.w - in.r); n <= buffered {
		in.r += int(n)
		return nil
	}
	n -= int64(in.w - in.r)
	in.r, in.w = 0, 0
	if in.seek != nil && n > int64(len(in.buf)) {
		if _, err := in.seek.Seek(n, io.SeekCurrent); err != nil {
			return fmt.Errorf("skipping %d bytes at offset %d: %w", n, in.pos, err)
		}
		in.pos += n
		return nil
	}
	for n > 0 {
		m, err := in.src.Read(in.buf[:min(n, int64(len(in.buf)))])
		n -= int64(m)
		in.pos += int64(m)
		if m > 0 {
			continue
		}
		return in.readFailure(err)
	}
	return nil
}

// fixed consumes an argument of n bytes, n no more than 8.
func (in *pickleInput) fixed(n int) error {
	if in.w-in.r >= n {
		in.r += n
		return nil
	}
	return in.skip(int64(n))
}

// uint reads a little-endian unsigned integer of width bytes (1, 2, 4 or 8).
func (in *pickleInput) uint(width int) (uint64, error) {
	if in.w-in.r >= 4 && width == 4 {
		v := binary.LittleEndian.Uint32(in.buf[in.r:])
		in.r += 4
		return uint64(v), nil
	}
	if err := in.ensure(width); err != nil {
		return 0, err
	}
	var v uint64
	for i := width - 1; i >= 0; i-- {
		v = v<<8 | uint64(in.buf[in.r+i])
	}
	in.r += width
	return v, nil
}

// int32 reads a signed four-byte length, which must not be negative.
func (in *pickleInput) int32() (uint32, error) {
	v, err := in.uint(4)
	if err != nil {
		return 0, err
	}
	if int32(v) < 0 {
		return 0, fmt.Errorf("negative length %d", int32(v))
	}
	return uint32(v), nil
}

// line consumes a newline-terminated line. When keep is set it returns up to maxPickleName
// bytes of it (the newline excluded), valid until the next read, and reports whether the line
// was longer.
func (in *pickleInput) line(keep bool) (text []byte, long bool, err error) {
	in.text = in.text[:0]
	for first := true; ; first = false {
		if in.r == in.w {
			if err := in.ensure(1); err != nil {
				return nil, long, fmt.Errorf("line not ended by a newline: %w", err)
			}
		}
		chunk := in.buf[in.r:in.w]
		i := bytes.IndexByte(chunk, '\n')
		if i >= 0 && first {
			// The common case: the whole line is buffered.
			in.r += i + 1
			if i > maxPickleName {
				return nil, true, nil
			}
			return chunk[:i], false, nil
		}
		end := len(chunk)
		if i >= 0 {
			end = i
		}
		if keep && !long {
			if len(in.text)+end > maxPickleName {
				long = true
			} else {
				in.text = append(in.text, chunk[:end]...)
			}
		}
		if i >= 0 {
			in.r += i + 1
			if long {
				return nil, true, nil
			}
			return in.text, false, nil
		}
		in.r = in.w
	}
}

// parseDecimal parses the decimal key of PUT or GET. overflow reports digits that exceed
// uint64.
func parseDecimal(b []byte) (v uint64, ok, overflow bool) {
	if len(b) == 0 {
		return 0, false, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
			continue
		}
		v = v*10 + d
	}
	return v, !overflow, overflow
}

// decodePickleString decodes the argument of STRING: a quoted Python 2 string literal with
// backslash escapes.
func decodePickleString(line []byte) ([]byte, error) {
	if len(line) < 2 || (line[0] != '\'' && line[0] != '"') || line[len(line)-1] != line[0] {
		return nil, errors.New("STRING argument is not a quoted string")
	}
	s := line[1 : len(line)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch c = s[i]; c {
		case '\n':
		case '\\', '\'', '"':
			out = append(out, c)
		case 'a':
			out = append(out, '\a')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for j := 0; j < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; j++ {
				i++
				v = v*8 + int(s[i]-'0')
			}
			out = append(out, byte(v))
		case 'x':
			if i+2 >= len(s) {
				return nil, errors.New(`STRING argument has a truncated \x escape`)
			}
			hi, lo := unhex(s[i+1]), unhex(s[i+2])
			if hi < 0 || lo < 0 {
				return nil, errors.New(`STRING argument has an invalid \x escape`)
			}
			out = append(out, byte(hi<<4|lo))
			i += 2
		default:
			out = append(out, '\\', c)
		}
	}
	if !isASCII(out) {
		// The unpickler decodes the bytes as ASCII by default, failing on anything else;
		// with encoding="latin1" (torch, numpy) each byte is a code point.
		return latin1ToUTF8(nil, out), nil
	}
	return out, nil
}

// decodeRawUnicodeEscape decodes the argument of UNICODE (Python's raw-unicode-escape): bytes
// are Latin-1 code points, except that \uXXXX and \UXXXXXXXX after an odd number of
// backslashes are escapes. A malformed escape is kept as written; the name it would give is
// then one no module has.
func decodeRawUnicodeEscape(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = utf8.AppendRune(out, rune(c))
			continue
		}
		j := i
		for j < len(s) && s[j] == '\\' {
			j++
		}
		run := j - i
		out = append(out, s[i:j]...)
		i = j - 1
		if run%2 == 0 || j >= len(s) || (s[j] != 'u' && s[j] != 'U') {
			continue
		}
		digits := 4
		if s[j] == 'U' {
			digits = 8
		}
		if j+digits >= len(s) {
			continue
		}
		var r rune
		ok := true
		for _, h := range s[j+1 : j+1+digits] {
			d := unhex(h)
			if d < 0 {
				ok = false
				break
			}
			r = r<<4 | rune(d)
		}
		if !ok || r > utf8.MaxRune {
			continue
		}
		out = utf8.AppendRune(out[:len(out)-1], r)
		i = j + digits
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// latin1ToUTF8 appends the Latin-1 bytes b to dst as UTF-8.
func latin1ToUTF8(dst, b []byte) []byte {
	for _, c := range b {
		dst = utf8.AppendRune(dst, rune(c))
	}
	return dst
}
