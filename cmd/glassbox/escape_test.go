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
	for _, args := range [][]string{{"inspect", filepath.Join(dir, name)}, {"scan", dir, "-v", "--explain"}} {
		out := string(scanOut(t, args...))
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("glassbox %s writes raw control characters: %q", args[0], out)
		}
		if !strings.Contains(out, `model\x1b[31m.safetensors`) {
			t.Errorf("glassbox %s does not show the file name escaped:\n%s", args[0], out)
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
