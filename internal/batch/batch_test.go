package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/license"
)

func TestFilesExpandsFoldersWithoutFollowingLinks(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/x.pkl", "a/b/y.safetensors", "a/readme.txt", "outside/z.pkl"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "outside"), filepath.Join(dir, "a", "link")); err != nil {
		t.Fatal(err)
	}
	keep := func(p string) bool { return !strings.HasSuffix(p, ".txt") }
	got, errs := Files([]string{filepath.Join(dir, "a"), "given.bin"}, keep)
	var rel []string
	for _, p := range got {
		r, err := filepath.Rel(dir, p)
		if err != nil || strings.HasPrefix(r, "..") {
			r = p
		}
		rel = append(rel, r)
	}
	if strings.Join(rel, ",") != "a/b/y.safetensors,a/x.pkl,given.bin" || len(errs) != 0 {
		t.Errorf("files %v errs %v, want the two model files (sorted, no link followed) and the given path", rel, errs)
	}
}

func TestEachKeepsOrder(t *testing.T) {
	in := make([]int, 100)
	for i := range in {
		in[i] = i
	}
	out := Each(in, func(i int) int { return i * i })
	for i, v := range out {
		if v != i*i {
			t.Fatalf("out[%d] = %d, want %d", i, v, i*i)
		}
	}
	if len(Each([]int{}, func(i int) int { return i })) != 0 {
		t.Error("no items gave results")
	}
}

func TestIdentifyAndInspectErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "LICENSE")
	if err := os.WriteFile(big, []byte("SPDX-License-Identifier: MIT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := Identify(license.Default(), big); r.Err != nil || r.Expression != "MIT" {
		t.Errorf("Identify: %+v", r)
	}
	if r := Identify(license.Default(), filepath.Join(dir, "none")); r.Err == nil {
		t.Error("a missing file identified without an error")
	}
	if r := Inspect(dir); r.Err == nil {
		t.Error("a folder inspected as a file")
	}
}
