package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/report"
)

func TestTermSafe(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"model.safetensors", "model.safetensors"},
		{"é ✓ 日本 — ok", "é ✓ 日本 — ok"},
		{"a\x1b[31mred", `a\x1b[31mred`},
		{"line\nforged", `line\nforged`},
		{"cr\rtab\tbel\a", `cr\rtab\tbel\a`},
		{"del\x7f c1\u009b", `del\x7f c1\u009b`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"\ufffd kept", "\ufffd kept"},
	}
	for _, tt := range tests {
		if got := report.TermSafe(tt.in); got != tt.want {
			t.Errorf("TermSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextEscapesContent: a file name, card text and weights metadata holding terminal escapes
// reach the text report escaped; the only escape sequences left are the report's own colours.
func TestTextEscapesContent(t *testing.T) {
	t.Parallel()
	evil := "model\x1b[31m.safetensors"
	rel := build("evil", map[string]string{
		"README.md": "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# Evil\x1b]0;pwned\a\n\nThis \x1b[2J model is fully open source.\n",
		"LICENSE":   "SPDX-License-Identifier: Apache-2.0\n",
	}, evil)
	a := assess.Run(rel, license.Default())
	for _, colour := range []bool{false, true} {
		var b bytes.Buffer
		if err := report.Text(&b, a, report.TextOptions{Color: colour, Verbose: true, Explain: true}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, `model\x1b[31m.safetensors`) {
			t.Errorf("colour=%v: the file name is not shown escaped:\n%s", colour, out)
		}
		if rest := stripOwnCodes(out); strings.ContainsAny(rest, "\x1b\a") {
			t.Errorf("colour=%v: raw control characters reach the terminal: %q", colour, rest)
		}
	}
}

// stripOwnCodes removes the SGR codes the report itself writes.
func stripOwnCodes(s string) string {
	for _, c := range []string{"\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m"} {
		s = strings.ReplaceAll(s, c, "")
	}
	return s
}
