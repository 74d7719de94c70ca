package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// TestExitFor: a file that changed while --verify hashed it is a failed check (1), not an
// unreadable target (3); other read failures stay 3 and usage stays 2.
func TestExitFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want int
	}{
		{&target.Error{Kind: target.Unreadable, Err: fmt.Errorf("%w: m.bin changed while it was hashed", source.ErrChanged)}, exitCheck},
		{&target.Error{Kind: target.Unreadable, Err: fmt.Errorf("%w: gone", source.ErrUnreadable)}, exitUnreadable},
		{&target.Error{Kind: target.Usage, Err: errors.New("bad target")}, exitUsage},
	}
	for _, tt := range tests {
		var ee *exitError
		if !errors.As(exitFor(tt.err), &ee) || ee.code != tt.want {
			t.Errorf("exitFor(%v) = %v, want code %d", tt.err, exitFor(tt.err), tt.want)
		}
	}
}

// TestNonUTF8NamesSnapshotIdentical: a folder whose file names are not UTF-8 and its snapshot
// give byte-identical JSON and text reports, and two such names stay two files.
func TestNonUTF8NamesSnapshotIdentical(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "rel\xff") // the folder's own name too
	files := map[string]string{"README.md": "---\nlicense: mit\n---\n# A model\n", "LICENSE\x80": "MIT License\n", "LICENSE\x81": "MIT License\n", "train\xe9.py": "print(1)\n"}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Skip("this file system refuses non-UTF-8 names:", err)
		}
	}
	snap := filepath.Join(t.TempDir(), "snap.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"snapshot", dir, "-o", snap}, &stdout, &stderr); code != 0 {
		t.Fatalf("snapshot: exit %d: %s", code, stderr.String())
	}
	for _, format := range []string{"json", "text"} {
		var direct, fromSnap bytes.Buffer
		if code := run([]string{"scan", dir, "-f", format}, &direct, &stderr); code != 0 {
			t.Fatalf("scan: exit %d: %s", code, stderr.String())
		}
		if code := run([]string{"scan", snap, "-f", format}, &fromSnap, &stderr); code != 0 {
			t.Fatalf("scan snapshot: exit %d: %s", code, stderr.String())
		}
		if !bytes.Equal(direct.Bytes(), fromSnap.Bytes()) {
			t.Errorf("%s: folder and snapshot reports differ\n%s", format, firstDiff(direct.Bytes(), fromSnap.Bytes()))
		}
	}
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"LICENSE%80"`, `"LICENSE%81"`, `"train%E9.py"`} {
		if !bytes.Contains(data, []byte(name)) {
			t.Errorf("the snapshot does not name %s", name)
		}
	}
}

// TestInspectPartialFacts: inspect on a truncated safetensors file prints the tensors read
// before the defect with the error, in text and JSON, and exits 1; scan reports the file as
// malformed-weights with the same facts.
func TestInspectPartialFacts(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	err := artifact.WriteSafetensors(&b, []artifact.Tensor{
		{Name: "a", DType: "F32", Shape: []int64{2, 3}},
		{Name: "b", DType: "F32", Shape: []int64{4}},
	}, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "rel")
	os.Mkdir(dir, 0o755)
	file := filepath.Join(dir, "model.safetensors")
	if err := os.WriteFile(file, b.Bytes()[:b.Len()-4], 0o644); err != nil {
		t.Fatal(err)
	}
	for format, want := range map[string][]string{
		"text": {"parameters: 6 (6) — F32 6", "tensors: 1", `error: tensor "b" data_offsets [24,40) run past the end of the file`},
		"json": {`"parameters": 6`, `"tensor_names": [`, `"error": "tensor \"b\" data_offsets [24,40) run past the end`},
	} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"inspect", file, "-f", format}, &stdout, &stderr); code != exitCheck {
			t.Errorf("%s: exit %d, want 1 (%s)", format, code, stderr.String())
		}
		for _, w := range want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%s output lacks %q:\n%s", format, w, stdout.String())
			}
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"scan", dir, "-v"}, &stdout, &stderr); code != exitCheck {
		t.Errorf("scan: exit %d, want 1 (%s)", code, stderr.String())
	}
	for _, w := range []string{"malformed-weights: model.safetensors is not a readable safetensors file", "safetensors, 6 parameters, error: tensor"} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("scan -v lacks %q:\n%s", w, stdout.String())
		}
	}
}

// TestVerifyChangedExitsOne: a weights file that grows while scan --verify hashes it ends the
// audit with exit code 1 naming it, through package target as scan runs it. The file grows from
// the progress callback, so nothing depends on timing.
func TestVerifyChangedExitsOne(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "model.bin")
	if err := os.WriteFile(file, make([]byte, 3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := target.Options{Verify: true}
	rel, err := target.Read(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	grown := false
	opts.Progress = func(string, int64) (source.Progress, func()) {
		return func(int64) {
			if !grown {
				grown = true
				f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
				if err == nil {
					f.Write([]byte("more"))
					f.Close()
				}
			}
		}, func() {}
	}
	_, err = target.AuditRelease(context.Background(), dir, rel, opts)
	var ee *exitError
	if !errors.As(exitFor(err), &ee) || ee.code != exitCheck || !strings.Contains(err.Error(), "model.bin changed while it was hashed") {
		t.Errorf("err = %v, want exit code 1 naming model.bin", err)
	}
}
