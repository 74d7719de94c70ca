package yamlguard

import (
	"errors"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"

	"github.com/glassbox-dev/glassbox/internal/yamlguard/bombs"
)

func nestedBlock(depth int) string { return bombs.Indented(depth) }

func laughs(levels int) string { return bombs.Laughs("", levels) }

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		line int    // 0: accepted
		msg  string // part of the error
	}{
		{"model-index as cards write it", "license: mit\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: t\n    dataset: {name: d, type: d}\n    metrics:\n    - type: acc\n      value: 0.9\n", 0, ""},
		{"block scalar with brackets", "prompt: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nlicense: mit\n", 0, ""},
		{"quoted brackets across lines", "prompt: \"" + strings.Repeat("[", 100) + "\n  " + strings.Repeat("{", 100) + "\"\nlicense: mit\n", 0, ""},
		{"single-quoted with doubled quote", "a: 'it''s " + strings.Repeat("[", 100) + "'\n", 0, ""},
		{"brackets in plain text", "a: see " + strings.Repeat("[", 100) + "\n", 0, ""},
		{"comment with brackets", "a: 1 # " + strings.Repeat("[", 100) + "\n", 0, ""},
		{"one anchor reused", "base: &b org/model\nbase_model: *b\nalso: *b\n", 0, ""},
		{"64 levels of mappings", nestedBlock(64), 0, ""},
		{"65 levels of mappings", nestedBlock(65), 65, "nest more than 64 deep"},
		{"nested sequences on one line", "a:\n" + strings.Repeat("- ", 70) + "x\n", 2, "nest more than 64 deep"},
		{"nested flow sequences", "a: " + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n", 1, "nest more than 64 deep"},
		{"nested flow mappings behind an anchor", "a: &x " + strings.Repeat("{b: ", 70) + "1" + strings.Repeat("}", 70) + "\n", 1, "nest more than 64 deep"},
		{"flow nesting across lines", "a: [\n" + strings.Repeat("  [\n", 70), 64, "nest more than 64 deep"},
		{"billion laughs", laughs(9), 4, "aliases expand the document beyond 10000 values"},
		{"an alias inside its own anchor", "a: &a [1, *a]\n", 1, "refers to the node that contains it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Check([]byte(tt.in), Default)
			if tt.line == 0 {
				if err != nil {
					t.Fatalf("Check = %v, want accepted", err)
				}
				return
			}
			var ge *Error
			if !errors.As(err, &ge) || ge.Line != tt.line || !strings.Contains(ge.Msg, tt.msg) {
				t.Fatalf("Check = %v, want an error on line %d saying %q", err, tt.line, tt.msg)
			}
		})
	}
}

// TestBombsAreCheap: the documents that took gigabytes are refused after reading their text
// once. The sizes are those of the issue (100 KB).
func TestBombsAreCheap(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"indentation": nestedBlock(450),                              // ~100 KB
		"dashes":      "a:\n" + strings.Repeat("- ", 50_000) + "x\n", // 100 KB
		"brackets":    strings.Repeat("[", 100_000),
		"laughs":      laughs(10),
	} {
		if err := Check([]byte(doc), Default); err == nil {
			t.Errorf("%s bomb (%d bytes) accepted", name, len(doc))
		}
	}
}

func TestExpanderAcrossCalls(t *testing.T) {
	t.Parallel()
	// The card decodes its front matter key by key: anchors of earlier keys must count.
	e := NewExpander(25)
	f, err := parse([]byte("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a]\n"))
	if err != nil {
		t.Fatal(err)
	}
	body := f.Docs[0].Body
	pairs := mappingValues(t, body)
	if s, err := e.Size(pairs[0].Value); err != nil || s != 10 {
		t.Fatalf("size of a = %d, %v; want 10", s, err)
	}
	if _, err := e.Size(pairs[1].Value); err == nil {
		t.Fatal("b expands to 21 values on top of 10, past 25, and was accepted")
	}
}

func mappingValues(t *testing.T, n ast.Node) []*ast.MappingValueNode {
	t.Helper()
	m, ok := n.(*ast.MappingNode)
	if !ok {
		t.Fatalf("body is a %T, not a mapping", n)
	}
	return m.Values
}

// FuzzCheck: Check never panics, and a line it blames is a line of the input.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "a: 1\n", nestedBlock(70), laughs(6), "a: &a [1, *a]\n", "a: \"x\n  [[[\"\n", "- - - [\n", "k: |\n  \t[\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Check(data, Default)
		var ge *Error
		if errors.As(err, &ge) && ge.Line > strings.Count(string(data), "\n")+1 {
			t.Fatalf("error on line %d of a %d-line input", ge.Line, strings.Count(string(data), "\n")+1)
		}
	})
}
