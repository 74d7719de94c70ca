package artifact

import (
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// Builders for hand-written pickles. Each returns the bytes of one opcode and its argument.

// shortUni is SHORT_BINUNICODE s.
func shortUni(s string) string { return "\x8c" + string([]byte{byte(len(s))}) + s }

// binUni is BINUNICODE s.
func binUni(s string) string {
	return "X" + string(binary.LittleEndian.AppendUint32(nil, uint32(len(s)))) + s
}

// binUni8 is BINUNICODE8 s.
func binUni8(s string) string {
	return "\x8d" + string(binary.LittleEndian.AppendUint64(nil, uint64(len(s)))) + s
}

// binPut and binGet are BINPUT n and BINGET n; longPut and longGet their four-byte forms.
func binPut(n byte) string { return "q" + string([]byte{n}) }
func binGet(n byte) string { return "h" + string([]byte{n}) }
func longPut(n uint32) string {
	return "r" + string(binary.LittleEndian.AppendUint32(nil, n))
}
func longGet(n uint32) string {
	return "j" + string(binary.LittleEndian.AppendUint32(nil, n))
}

const (
	proto2      = "\x80\x02"
	proto4      = "\x80\x04"
	stackGlobal = "\x93"
	memoize     = "\x94"
	stop        = "."
	pop         = "0"
	mark        = "("
)

// g is a Global with the class Classify gives it, for expectations.
func g(module, name string) Global {
	c, why := rules().classify(module, name)
	return Global{Module: module, Name: name, Class: c, Why: why}
}

// walkString walks p as a pickle.
func walkString(p string) (*PickleWalk, error) {
	return WalkPickle(strings.NewReader(p), int64(len(p)))
}

func TestWalkPickle(t *testing.T) {
	t.Parallel()
	osSystem := []Global{g("os", "system")}
	tests := []struct {
		name    string
		pickle  string
		globals []Global
		safety  Safety
		pickles int
	}{
		{"protocol 0 GLOBAL", "cos\nsystem\n(S'ls'\ntR.", osSystem, SafetyDangerous, 1},
		{"INST", "(S'ls'\nios\nsystem\n.", osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL", proto4 + shortUni("os") + shortUni("system") + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL with BINUNICODE and BINUNICODE8", proto4 + binUni("os") + binUni8("system") + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL via BINPUT and BINGET",
			proto4 + shortUni("os") + binPut(0) + pop + shortUni("system") + binPut(1) + pop +
				binGet(0) + binGet(1) + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL via MEMOIZE and BINGET",
			proto4 + shortUni("system") + memoize + pop + shortUni("os") + memoize + pop +
				binGet(1) + binGet(0) + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL via LONG_BINPUT and LONG_BINGET",
			proto4 + shortUni("os") + longPut(70000) + pop + shortUni("system") + longPut(3) + pop +
				longGet(70000) + longGet(3) + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL via protocol 0 PUT and GET",
			"Vos\np2\n0Vsystem\np3\n0g2\ng3\n" + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		// MEMOIZE stores at the number of keys set; a PUT to an existing key adds none. A
		// walker that counted opcodes would read "collections" for key 1 here.
		{"MEMOIZE index after overwriting PUTs",
			proto4 + shortUni("a") + binPut(0) + binPut(0) + pop + shortUni("os") + memoize + pop +
				shortUni("collections") + memoize + pop + binGet(1) + shortUni("system") + stackGlobal + stop,
			osSystem, SafetyDangerous, 1},
		{"MEMOIZE after a PUT far ahead",
			proto4 + shortUni("x") + binPut(5) + pop + shortUni("os") + memoize + pop + binGet(1) + shortUni("system") + stackGlobal + stop,
			osSystem, SafetyDangerous, 1},
		// The two top entries count, not the two latest string pushes.
		{"STACK_GLOBAL after POP", proto4 + shortUni("os") + shortUni("system") + shortUni("junk") + pop + stackGlobal + stop,
			osSystem, SafetyDangerous, 1},
		{"STACK_GLOBAL on DUP", proto4 + shortUni("os") + "2" + stackGlobal + stop, []Global{g("os", "os")}, SafetyDangerous, 1},
		{"STACK_GLOBAL on an int", proto4 + "K\x2a" + shortUni("os") + stackGlobal + stop,
			[]Global{g(Unknown, "os")}, SafetyDangerous, 1},
		{"STACK_GLOBAL on a computed value",
			proto4 + "cbuiltins\nstr\n" + shortUni("os") + "\x85R" + shortUni("system") + stackGlobal + stop,
			[]Global{g(Unknown, "system"), g("builtins", "str")}, SafetyDangerous, 1},
		{"STACK_GLOBAL on bytes", proto4 + "C\x02os" + shortUni("system") + stackGlobal + stop,
			[]Global{g(Unknown, "system")}, SafetyDangerous, 1},
		{"memo overwritten by a non-string",
			proto4 + shortUni("os") + binPut(0) + pop + "]" + binPut(0) + pop + binGet(0) + shortUni("system") + stackGlobal + stop,
			[]Global{g(Unknown, "system")}, SafetyDangerous, 1},
		{"POP removes an empty mark", mark + pop + "cos\nsystem\n" + stop, osSystem, SafetyDangerous, 1},
		{"STRING escapes", "S'o\\x73'\nS'\\163ystem'\n" + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"UNICODE escapes", "V\\u006fs\nVsys\\U00000074em\n" + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		// An even run of backslashes is no escape, and a name with backslashes cannot be
		// imported: the walker does not keep it, so the import is unknown.
		{"UNICODE even backslashes are not an escape", "Vo\\\\u0073\nVx\n" + stackGlobal + stop,
			[]Global{g(Unknown, "x")}, SafetyDangerous, 1},
		{"UNICODE escape making an identifier", "Vo\\u0073.path\nVjoin\n" + stackGlobal + stop,
			[]Global{g("os.path", "join")}, SafetyDangerous, 1},
		{"STACK_GLOBAL on a tensor name", proto4 + shortUni("model.layers.0") + shortUni("x") + stackGlobal + stop,
			[]Global{g(Unknown, "x")}, SafetyDangerous, 1},
		{"SHORT_BINSTRING and BINSTRING", proto2 + "U\x02osT\x06\x00\x00\x00system" + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"Latin-1 byte strings", proto2 + "U\x02\xe9t" + shortUni("x") + stackGlobal + stop, []Global{g("ét", "x")}, SafetySuspicious, 1},
		{"name longer than glassbox keeps", "cos\n" + strings.Repeat("a", maxPickleName+1) + "\n" + stop,
			[]Global{g("os", Unknown)}, SafetyDangerous, 1},
		{"string longer than glassbox keeps", proto4 + binUni(strings.Repeat("o", maxPickleName+1)) + shortUni("x") + stackGlobal + stop,
			[]Global{g(Unknown, "x")}, SafetyDangerous, 1},
		{"dotted name through a harmless module", "ctorch\nos.system\n" + stop, []Global{g("torch", "os.system")}, SafetyDangerous, 1},
		{"EXT1", proto2 + "\x82\x05" + stop, []Global{g("copyreg", "<extension 5>")}, SafetyDangerous, 1},
		{"EXT4", proto2 + "\x84\x00\x01\x00\x00" + stop, []Global{g("copyreg", "<extension 256>")}, SafetyDangerous, 1},
		{"torch state dict",
			proto2 + "ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00wq\x02ctorch._utils\n_rebuild_tensor_v2\nq\x03(" +
				"(X\x07\x00\x00\x00storageq\x04ctorch\nFloatStorage\nq\x05X\x01\x00\x00\x000q\x06X\x03\x00\x00\x00cpuq\x07K\x04tq\x08Q" +
				"K\x00K\x04\x85q\tK\x01\x85q\n\x89h\x00)Rq\x0btq\x0cRq\rsh\x01}q\x0eb.",
			[]Global{g("collections", "OrderedDict"), g("torch", "FloatStorage"), g("torch._utils", "_rebuild_tensor_v2")}, SafetySafe, 1},
		{"unknown callable", "cnumpy\nrandom.seed\n" + stop, []Global{g("numpy", "random.seed")}, SafetySuspicious, 1},
		{"no imports", proto4 + "}" + memoize + stop, nil, SafetySafe, 1},
		{"every container opcode",
			proto4 + "]" + mark + "K\x01K\x02e" + ")" + mark + "K\x01t" + "}" + mark + "K\x01K\x02u" + "\x8f" + mark + "K\x01\x90" +
				mark + "K\x01\x91" + mark + "K\x01l" + mark + "K\x01K\x02d" + "K\x01\x85K\x01K\x02\x86K\x01K\x02K\x03\x87" +
				"NK\x01aK\x01K\x02s" + "\x88\x89" + "M\x01\x00J\x01\x00\x00\x00G" + strings.Repeat("\x00", 8) +
				"\x8a\x01\x01\x8b\x01\x00\x00\x00\x01" + "C\x01x" + "B\x01\x00\x00\x00x" + "\x8e\x01" + strings.Repeat("\x00", 7) + "x" +
				"\x96\x01" + strings.Repeat("\x00", 7) + "x" + "\x97\x98" + mark + "1" + "I1\nF1.5\nL5L\n" + "Pid\n" + "Q" +
				mark + "N" + "o" + "N\x81" + "NN\x92" + "Nb" +
				"\x95" + strings.Repeat("\x00", 8) + stop,
			nil, SafetySafe, 1},
		{"two pickles, protocol 0 then 4", "cos\nsystem\n." + proto4 + shortUni("subprocess") + shortUni("run") + stackGlobal + stop,
			[]Global{g("os", "system"), g("subprocess", "run")}, SafetyDangerous, 2},
		{"PROTO inside a pickle", "N0" + proto4 + shortUni("os") + shortUni("system") + stackGlobal + stop, osSystem, SafetyDangerous, 1},
		{"trailing bytes", "cos\nsystem\n.\n\n\t\t", osSystem, SafetyDangerous, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := walkString(tt.pickle)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if !reflect.DeepEqual(got.Globals, tt.globals) && (len(got.Globals) > 0 || len(tt.globals) > 0) {
				t.Errorf("globals\n got %v\nwant %v", got.Globals, tt.globals)
			}
			if got.Safety() != tt.safety || got.Pickles != tt.pickles {
				t.Errorf("safety %s pickles %d, want %s %d", got.Safety(), got.Pickles, tt.safety, tt.pickles)
			}
			// The same walk through a reader that hands out one byte at a time, and cannot
			// seek, exercises every buffer refill.
			slow, err := WalkPickle(iotest.OneByteReader(strings.NewReader(tt.pickle)), int64(len(tt.pickle)))
			if err != nil || !reflect.DeepEqual(slow, got) {
				t.Errorf("one byte at a time: %+v, %v; want %+v", slow, err, got)
			}
		})
	}
}

func TestWalkPickleErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pickle string
		want   string
		// found is what must have been reported before the error.
		found []Global
	}{
		{"empty", "", "empty pickle", nil},
		{"unknown opcode", "\xff", "byte 0xff at offset 0 is not a pickle opcode", nil},
		{"no STOP", proto2 + "N", "no STOP opcode", nil},
		{"truncated string", proto4 + "\x8c\x05os", "SHORT_BINUNICODE at offset 2 claims 5 bytes but only 2 remain", nil},
		{"truncated argument", proto4 + "J\x01\x02", "BININT at offset 2: needs 4 bytes but only 2 remain", nil},
		{"huge BINUNICODE", proto4 + "X\xff\xff\xff\xff", "BINUNICODE at offset 2 claims 4294967295 bytes but only 0 remain", nil},
		{"huge BINBYTES8", proto4 + "\x8e" + string(binary.LittleEndian.AppendUint64(nil, 1<<62)) + "x.",
			"BINBYTES8 at offset 2 claims 4611686018427387904 bytes but only 2 remain", nil},
		{"huge BINUNICODE8", proto4 + "\x8d" + strings.Repeat("\xff", 8), "claims 18446744073709551615 bytes but only 0 remain", nil},
		{"huge FRAME", proto4 + "\x95" + strings.Repeat("\xff", 8) + "N.", "FRAME at offset 2 claims 18446744073709551615 bytes but only 2 remain", nil},
		{"negative BINSTRING", proto2 + "T\xff\xff\xff\xff", "BINSTRING at offset 2: negative length -1", nil},
		{"negative LONG4", proto2 + "\x8b\x00\x00\x00\x80", "LONG4 at offset 2: negative length", nil},
		{"huge LONG1", proto2 + "\x8a\xff", "LONG1 at offset 2: needs 255 bytes but only 0 remain", nil},
		{"protocol 6", "\x80\x06N.", "PROTO at offset 0 announces protocol 6", nil},
		{"unterminated line", "cos\nsys", "GLOBAL at offset 0: line not ended by a newline", nil},
		{"stack underflow", proto4 + shortUni("os") + stackGlobal, "STACK_GLOBAL at offset 6 pops more than the stack holds", nil},
		// A MARK hides what lies below it, as in the unpickler.
		{"STACK_GLOBAL across a MARK", proto4 + shortUni("os") + mark + shortUni("system") + stackGlobal + stop,
			"STACK_GLOBAL at offset 15 pops more than the stack holds", nil},
		{"POP_MARK without MARK", "1", "POP_MARK at offset 0 needs a MARK", nil},
		{"GET of a key never PUT", "g7\n.", "GET at offset 0 reads memo key 7, which no PUT stored", nil},
		{"BINGET of a key never PUT", proto2 + "h\x00.", "BINGET at offset 2 reads memo key 0", nil},
		{"memo does not survive STOP", "Vos\np0\n." + "g0\n.", "pickle 2: GET at offset 8 reads memo key 0", nil},
		{"bad PUT key", "Np-1\n.", "PUT at offset 1 has key \"-1\"", nil},
		{"bad STRING", "Sos\n.", "STRING argument is not a quoted string", nil},
		{"bad STRING escape", "S'\\x4'\n.", `truncated \x escape`, nil},
		{"import, then garbage", "cos\nsystem\n\xff", "byte 0xff at offset 11", []Global{g("os", "system")}},
		{"import, then truncation", proto4 + shortUni("os") + shortUni("system") + stackGlobal + "X\x00\x01", "BINUNICODE at offset", []Global{g("os", "system")}},
		{"second pickle broken", "cos\nsystem\n.N", "pickle 2: ", []Global{g("os", "system")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := walkString(tt.pickle)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if got == nil {
				t.Fatal("nil walk with the error")
			}
			if !reflect.DeepEqual(got.Globals, tt.found) && (len(got.Globals) > 0 || len(tt.found) > 0) {
				t.Errorf("globals %v, want %v", got.Globals, tt.found)
			}
		})
	}
}

// TestWalkPickleTorchLegacy walks a checkpoint in torch.save's legacy layout: five pickles,
// then raw storage bytes that must not be taken for opcodes.
func TestWalkPickleTorchLegacy(t *testing.T) {
	t.Parallel()
	magic := proto2 + "\x8a\x0a" + string(torchLegacyMagic) + stop
	file := magic + proto2 + "M\xe9\x03." + proto2 + "}q\x00." +
		proto2 + "ccollections\nOrderedDict\nq\x00)Rq\x01." + proto2 + "]q\x00X\x01\x00\x00\x000q\x01a." +
		"\x10\x00\x00\x00\x00\x00\x00\x00" + "\xff\xfe\xfd\xfc" + strings.Repeat("\x93", 12)
	got, err := walkString(file)
	if err != nil {
		t.Fatal(err)
	}
	if !got.TorchLegacy || got.Pickles != 5 || got.Trailing != 0 {
		t.Errorf("legacy %v pickles %d trailing %d, want true 5 0", got.TorchLegacy, got.Pickles, got.Trailing)
	}
	if want := []Global{g("collections", "OrderedDict")}; !reflect.DeepEqual(got.Globals, want) {
		t.Errorf("globals %v, want %v", got.Globals, want)
	}
	// Protocol 0 writes the magic number as a LONG line.
	got, err = walkString("L119547037146038801333356L\n." + "I1001\n." + "(dp0\n." + "(dp0\n." + "(lp0\n." + "\xff")
	if err != nil || !got.TorchLegacy {
		t.Errorf("protocol 0 legacy: %+v, %v", got, err)
	}
	// A magic number made by eval is no magic number: every pickle is walked.
	got, err = walkString("c__builtin__\neval\n(S'1'\ntR." + "cposix\nsystem\n(S'x'\ntR.")
	if err != nil || got.TorchLegacy || len(got.Globals) != 2 {
		t.Errorf("eval'd magic: %+v, %v", got, err)
	}
}

// TestWalkPickleBoundedStack pushes more than the walker keeps: the forgotten entries read
// back as unknown, so an import built from them is dangerous rather than missed.
func TestWalkPickleBoundedStack(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(proto4 + shortUni("os") + shortUni("system") + mark)
	for range maxPickleStack + maxPickleStack/2 {
		b.WriteString("K\x01")
	}
	b.WriteString("1" + stackGlobal + stop)
	got, err := walkString(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if want := []Global{g(Unknown, Unknown)}; !reflect.DeepEqual(got.Globals, want) {
		t.Errorf("globals %v, want %v", got.Globals, want)
	}
	// Below the bound, the same pickle names its import.
	got, err = walkString(proto4 + shortUni("os") + shortUni("system") + mark + strings.Repeat("K\x01", 1000) + "1" + stackGlobal + stop)
	if err != nil || !reflect.DeepEqual(got.Globals, []Global{g("os", "system")}) {
		t.Errorf("short stack: %v, %v", got.Globals, err)
	}
}

func TestWalkPickleMarkBound(t *testing.T) {
	t.Parallel()
	_, err := walkString(strings.Repeat(mark, maxPickleMarks+1))
	if err == nil || !strings.Contains(err.Error(), "nests deeper than") {
		t.Errorf("error %v, want the nesting bound", err)
	}
}

// TestWalkPickleSkipsBytes proves long byte strings are skipped, not read, when the source can
// seek: the walk of a pickle holding a 1 GiB BINBYTES8 reads a few kilobytes.
func TestWalkPickleSkipsBytes(t *testing.T) {
	t.Parallel()
	const n = 1 << 30
	head := proto4 + "\x8e" + string(binary.LittleEndian.AppendUint64(nil, n))
	file := &zeroTail{prefix: []byte(head)}
	size := int64(len(head)) + n + 1
	// The zero tail ends in a byte STOP needs: patch it in through a wrapper.
	r := &patched{zeroTail: file, at: size - 1, b: stop[0]}
	got, err := Read("big.pkl", r, size)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != FormatPickle || got.Safety != SafetySafe || got.Opcodes != 3 {
		t.Errorf("facts %+v", got)
	}
	if file.total > 1<<20 {
		t.Errorf("read %d bytes of a %d-byte pickle", file.total, size)
	}
}

// patched is a zeroTail with one byte set.
type patched struct {
	*zeroTail
	at int64
	b  byte
}

func (p *patched) ReadAt(buf []byte, off int64) (int, error) {
	n, err := p.zeroTail.ReadAt(buf, off)
	if p.at >= off && p.at < off+int64(n) {
		buf[p.at-off] = p.b
	}
	return n, err
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		module, name string
		want         Class
	}{
		{"collections", "OrderedDict", ClassInnocuous},
		{"torch", "FloatStorage", ClassInnocuous},
		{"torch", "BFloat16Storage", ClassInnocuous},
		{"torch._utils", "_rebuild_tensor_v2", ClassInnocuous},
		{"numpy", "dtype", ClassInnocuous},
		{"numpy.core.multiarray", "_reconstruct", ClassInnocuous},
		{"numpy._core.multiarray", "_reconstruct", ClassInnocuous},
		// Allowed names are exact: submodules and attributes of them are not vouched for.
		{"torch.cuda", "FloatStorage", ClassSuspicious},
		{"collections", "OrderedDict.fromkeys", ClassSuspicious},
		{"builtins", "dict", ClassSuspicious},
		{"numpy", "random.seed", ClassSuspicious},
		{"builtins", "eval", ClassDangerous},
		{"__builtin__", "eval", ClassDangerous},
		{"builtins", "eval.__call__", ClassDangerous},
		{"builtins", "__import__", ClassDangerous},
		{"os", "system", ClassDangerous},
		{"os.path", "join", ClassDangerous},
		{"posix", "system", ClassDangerous},
		{"nt", "system", ClassDangerous},
		{"subprocess", "Popen", ClassDangerous},
		{"commands", "getoutput", ClassDangerous},
		{"_posixsubprocess", "fork_exec", ClassDangerous},
		{"operator", "attrgetter", ClassDangerous},
		{"_operator", "methodcaller", ClassDangerous},
		{"functools", "partial", ClassDangerous},
		{"torch.serialization", "load", ClassDangerous},
		{"torch", "load", ClassDangerous},
		{"torch", "hub.load", ClassDangerous},
		{"requests.api", "get", ClassDangerous},
		{"requests", "get", ClassDangerous},
		{"aiohttp.client", "ClientSession", ClassDangerous},
		{"urllib", "urlopen", ClassDangerous},
		{"urllib2", "urlopen", ClassDangerous},
		{"webbrowser", "open", ClassDangerous},
		{"profile", "Profile.run", ClassDangerous},
		{"trace", "Trace.runctx", ClassDangerous},
		{"code", "InteractiveInterpreter.runcode", ClassDangerous},
		{"_io", "FileIO", ClassDangerous},
		{"types", "CodeType", ClassDangerous},
		// Dotted names reach what the module imported.
		{"torch", "os.system", ClassDangerous},
		{"posixpath", "os.system", ClassDangerous},
		{"collections", "abc.sys.modules", ClassDangerous},
		{"numpy", "ndarray.__class__.__base__", ClassDangerous},
		{"x", "f.__globals__", ClassDangerous},
		{"x", strings.Repeat("a.", maxNameSegments) + "b", ClassDangerous},
		{Unknown, "system", ClassDangerous},
		{"os", Unknown, ClassDangerous},
		{"", "", ClassSuspicious},
	}
	for _, tt := range tests {
		if got := Classify(tt.module, tt.name); got != tt.want {
			t.Errorf("Classify(%q, %q) = %s, want %s", tt.module, tt.name, got, tt.want)
		}
	}
}

func TestPickleRulesLoad(t *testing.T) {
	t.Parallel()
	if _, err := loadPickleRules([]byte(`{"dangerous": [{"why": "x"}]}`)); err == nil {
		t.Error("a rule with neither modules nor module accepted")
	}
	if _, err := loadPickleRules([]byte(`{"dangerous": [{"modules": ["os"]}]}`)); err == nil {
		t.Error("a rule without why accepted")
	}
	if _, err := loadPickleRules([]byte(`{`)); err == nil {
		t.Error("broken JSON accepted")
	}
	// Every dangerous rule in the shipped file says why.
	for m, why := range rules().modules {
		if why == "" {
			t.Errorf("module %s has no reason", m)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*Storage", "FloatStorage", true},
		{"*Storage", "Storage", true},
		{"*Storage", "FloatStorageX", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"*", "", true},
		{"exact", "exact", true},
		{"exact", "exactly", false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v", tt.pattern, tt.s, got)
		}
	}
}

// TestReadPickleFacts pins what Read reports for pickles, JSON included.
func TestReadPickleFacts(t *testing.T) {
	t.Parallel()
	facts, err := readBytes("model.pkl", []byte(proto4+shortUni("os")+shortUni("system")+stackGlobal+stop))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := marshal(facts)
	want := `{"path":"model.pkl","format":"pickle","size":16,"parameters":0,"metadata":{"pickle_protocol":"4"},` +
		`"safety":"dangerous","globals":[{"module":"os","name":"system","class":"dangerous","why":"runs shell commands or starts processes"}],` +
		`"pickles":1,"opcodes":5}`
	if got != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}

	// A dangerous import stays dangerous when a malformed byte follows it.
	facts, err = readBytes("model.pkl", []byte("cos\nsystem\n\xff"))
	if err == nil || facts.Safety != SafetyDangerous || facts.Error != err.Error() || len(facts.Globals) != 1 {
		t.Errorf("facts %+v, %v; want dangerous with the error", facts, err)
	}
	// Without one, a malformed pickle is an error.
	facts, err = readBytes("model.pkl", []byte("N\xff"))
	if err == nil || facts.Safety != SafetyError {
		t.Errorf("facts %+v, %v; want an error", facts, err)
	}
	// A legacy checkpoint says so.
	legacy := proto2 + "\x8a\x0a" + string(torchLegacyMagic) + stop + strings.Repeat(proto2+"N.", 4) + "\x00\x01"
	facts, err = readBytes("model.pt", []byte(legacy))
	if err != nil || facts.Metadata["torch_format"] != "legacy" || facts.Pickles != 5 || facts.Safety != SafetySafe {
		t.Errorf("legacy: %+v, %v", facts, err)
	}
	// Trailing bytes are noted, not judged.
	facts, err = readBytes("a.pkl", []byte("N.\n"))
	if err != nil || facts.Safety != SafetySafe || len(facts.Warnings) != 1 {
		t.Errorf("trailing: %+v, %v", facts, err)
	}
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func TestMaybeImportPath(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"os": true, "os.path": true, "torch._utils": true, "_rebuild_tensor_v2": true, "Profile.run": true,
		"__main__": true, "modèle": true, "x1": true,
		"": false, ".": false, "os.": false, ".os": false, "a..b": false, "1x": false, "model.layers.0.weight": false,
		"os system": false, "a-b": false, "a/b": false, `o\u0073`: false,
	} {
		if got := maybeImportPath([]byte(s)); got != want {
			t.Errorf("maybeImportPath(%q) = %v", s, got)
		}
	}
}

func TestPickleStrings(t *testing.T) {
	t.Parallel()
	var tab pickleStrings
	// Ids survive the table's growth, and repeats get the same id.
	ids := map[string]int32{}
	for i := range 5000 {
		s := "name_" + strconv.Itoa(i)
		ids[s] = tab.id([]byte(s))
	}
	for s, id := range ids {
		if again := tab.id([]byte(s)); again != id || tab.name(id) != s {
			t.Fatalf("%q: id %d then %d, name %q", s, id, again, tab.name(id))
		}
	}
	if tab.id([]byte("not a name")) != -1 || tab.name(-1) != Unknown || tab.name(0) != Unknown {
		t.Error("a non-name kept")
	}
	// Once the budget is spent, new strings are not kept, and old ones still are.
	long := strings.Repeat("a", maxPickleName-8)
	n := 0
	for ; n < 2*maxPickleStringBytes/len(long); n++ {
		if tab.id([]byte(long+strconv.Itoa(n))) == -1 {
			break
		}
	}
	if len(tab.arena) > maxPickleStringBytes || n*len(long) < maxPickleStringBytes/2 {
		t.Errorf("kept %d strings, %d bytes", n, len(tab.arena))
	}
	if tab.name(ids["name_42"]) != "name_42" {
		t.Error("an old string lost when the budget ran out")
	}
}
