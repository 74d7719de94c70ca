package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/schematest"
)

// sharedReleases lists the real releases in ../shared/eval/releases, skipping when absent.
func sharedReleases(t *testing.T) []string {
	t.Helper()
	dir := schematest.Eval(t, "releases")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) < 9 {
		t.Fatalf("%d releases in %s, want the 9 its README lists", len(out), dir)
	}
	return out
}

// scanOut runs glassbox with args and returns standard output, failing on a non-zero exit.
func scanOut(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("glassbox %v: exit %d: %s", args, code, errb.String())
	}
	return out.Bytes()
}

// TestSARIFSchema: the SARIF log of every bundled example and every real release validates
// against the OASIS SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	schema := filepath.Join(schematest.Eval(t, "sarif"), "sarif-schema-2.1.0.json")
	ex := examplesDir(t)
	var targets []string
	for _, name := range exampleNames {
		targets = append(targets, filepath.Join(ex, name))
	}
	targets = append(targets, sharedReleases(t)...)
	for _, target := range targets {
		t.Run(filepath.Base(target), func(t *testing.T) {
			schematest.Validate(t, schema, scanOut(t, "scan", target, "--format", "sarif"))
		})
	}
	t.Run("all-in-one-run", func(t *testing.T) {
		schematest.Validate(t, schema, scanOut(t, append([]string{"scan", "--format", "sarif"}, targets...)...))
	})
}
