package mof

import (
	"strings"
	"testing"
)

// treeString prints a parsed expression as OR(…)/AND(…) with leaves in brackets, so tests can
// assert its exact shape.
func treeString(e *expr) string {
	if e.op == "" {
		if e.exception != "" {
			return "[" + e.name + " WITH " + e.exception + "]"
		}
		return "[" + e.name + "]"
	}
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = treeString(a)
	}
	return e.op + "(" + strings.Join(parts, ",") + ")"
}

func TestParseExpr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"MIT", "[MIT]"},
		{"Apache 2.0", "[Apache 2.0]"},
		{"MIT OR Apache-2.0", "OR([MIT],[Apache-2.0])"},
		{"MIT AND Apache-2.0 OR GPL-3.0-only", "OR(AND([MIT],[Apache-2.0]),[GPL-3.0-only])"},
		{"MIT AND (Apache-2.0 OR GPL-3.0-only)", "AND([MIT],OR([Apache-2.0],[GPL-3.0-only]))"},
		{"Apache 2.0 OR MIT License", "OR([Apache 2.0],[MIT License])"},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT", "OR([GPL-2.0-or-later WITH Classpath-exception-2.0],[MIT])"},
		{"((MIT))", "[MIT]"},
		{"A OR B OR C", "OR([A],[B],[C])"},
		// Lower-case operators belong to names.
		{"BSD 3-Clause New or Revised", "[BSD 3-Clause New or Revised]"},
		{"LicenseRef-Llama-3-Community AND CC-BY-4.0", "AND([LicenseRef-Llama-3-Community],[CC-BY-4.0])"},
	}
	for _, tt := range tests {
		got, err := parseExpr(tt.in)
		if err != nil {
			t.Errorf("parseExpr(%q): %v", tt.in, err)
			continue
		}
		if s := treeString(got); s != tt.want {
			t.Errorf("parseExpr(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "OR", "MIT OR", "AND MIT", "(MIT", "MIT)", "()", "MIT WITH", "MIT OR (AND)",
		strings.Repeat("(", maxDepth+1) + "MIT" + strings.Repeat(")", maxDepth+1),
	} {
		if e, err := parseExpr(in); err == nil {
			t.Errorf("parseExpr(%q) = %s, want an error", in, treeString(e))
		}
	}
}
