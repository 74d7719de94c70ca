package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// goldenFormats are the human-readable reports pinned per bundled example, so that any change
// to what a reader sees shows up as a reviewed diff (rewrite with -update).
var goldenFormats = []struct {
	suffix string
	args   []string
}{
	{".txt", nil},
	{".explain.txt", []string{"--explain", "-v"}},
	{".md", []string{"--format", "markdown"}},
	{".sarif", []string{"--format", "sarif"}},
}

// TestGoldenReports checks the text, explained-verbose text, Markdown and SARIF reports of each
// bundled example against testdata/golden.
func TestGoldenReports(t *testing.T) {
	ex := examplesDir(t)
	for _, name := range exampleNames {
		for _, gf := range goldenFormats {
			t.Run(name+gf.suffix, func(t *testing.T) {
				target := filepath.Join(ex, name)
				var out, errb bytes.Buffer
				args := append([]string{"scan", target}, gf.args...)
				if code := run(args, &out, &errb); code != 0 {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				got := bytes.ReplaceAll(out.Bytes(), []byte(target), []byte("examples/"+name))
				checkGolden(t, filepath.Join("testdata", "golden", name+gf.suffix), got)
			})
		}
	}
}

// exampleNames are the bundled examples, in README order.
var exampleNames = []string{"open-data", "open-weights", "weights-available", "apache-over-llama", "api-only"}

// checkGolden compares got with the golden file, rewriting it under -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/glassbox -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; if the change is intended, rerun with -update and review the diff\n%s", golden, firstDiff(got, want))
	}
}
