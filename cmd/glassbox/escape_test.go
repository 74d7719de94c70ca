package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

// TestTerminalEscapes: a weights file whose name and header metadata carry terminal escapes
// reaches the terminal escaped, in inspect and in scan -v.
func TestTerminalEscapes(t *testing.T) {
	dir := t.TempDir()
	name := "model\x1b[31m.safetensors"
	var b bytes.Buffer
	tensors := []artifact.Tensor{{Name: "w", DType: "F16", Shape: []int64{4, 4}}}
	if err := artifact.WriteSafetensors(&b, tensors, map[string]string{"note": "\x1b]0;pwned\a\x1b[2J"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("---\nlicense: mit\n---\n# \x1b[1mLoud\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// inspect names the file as given, escaped for the terminal; scan names release files by the
	// one encoding every source and snapshot shares (control bytes as %XX).
	for _, c := range []struct {
		args []string
		name string
	}{
		{[]string{"inspect", filepath.Join(dir, name)}, `model\x1b[31m.safetensors`},
		{[]string{"scan", dir, "-v", "--explain"}, `model%1B[31m.safetensors`},
	} {
		out := string(scanOut(t, c.args...))
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("glassbox %s writes raw control characters: %q", c.args[0], out)
		}
		if !strings.Contains(out, c.name) {
			t.Errorf("glassbox %s does not show the file name as %s:\n%s", c.args[0], c.name, out)
		}
	}
	if out := string(scanOut(t, "inspect", filepath.Join(dir, name))); !strings.Contains(out, `note = \x1b]0;pwned\a\x1b[2J`) {
		t.Errorf("inspect does not show the metadata escaped:\n%s", out)
	}
}

// TestRecordEscapes: names in OSAI index records reach the terminal escaped.
func TestRecordEscapes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "evil.yaml")
	if err := os.WriteFile(p, []byte("system:\n  name: \"Tiny\\e[31m\\u202e\"\nweights_endmodel:\n  class: open\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := string(scanOut(t, "osai", p))
	if strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, `Tiny\x1b[31m\u202e`) {
		t.Errorf("osai output: %q", out)
	}
}
