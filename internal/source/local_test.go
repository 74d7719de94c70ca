package source_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
)

const card = "---\nlicense: mit\n---\n# Tiny\n\nA small model we trained to test our own tools.\n"

const lfsOID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"

func lfsPointer(oid string, size int64) string {
	return "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + itoa(size) + "\n"
}

func itoa(n int64) string { return strings.TrimSpace(string(must(json.Marshal(n)))) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// tinyWeights is a safetensors file of 2×3 + 4 = 10 parameters.
func tinyWeights(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	err := artifact.WriteSafetensors(&b, []artifact.Tensor{
		{Name: "a.weight", DType: "F32", Shape: []int64{2, 3}},
		{Name: "b.bias", DType: "F16", Shape: []int64{4}},
	}, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// write lays out files under a new temporary directory and returns it.
func write(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	writeAt(t, dir, files)
	return dir
}

func writeAt(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func paths[T any](items []T, path func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, path(it))
	}
	return out
}

func TestLocalInventory(t *testing.T) {
	t.Parallel()
	weights := tinyWeights(t)
	dir := write(t, map[string][]byte{
		"README.md":                       []byte(card),
		"LICENSE":                         []byte("SPDX-License-Identifier: MIT\n"),
		"train.py":                        []byte("print('training')\n"),
		"model.safetensors":               weights,
		"pytorch_model.bin":               []byte(lfsPointer(lfsOID, 5_000_000)),
		"logo.png":                        {0x89, 'P', 'N', 'G', 0, 0, 0},
		"notes.txt":                       []byte("binary\x00inside"),
		".DS_Store":                       []byte("junk"),
		"Thumbs.db":                       []byte("junk"),
		"module.pyc":                      []byte("junk"),
		".git/config":                     []byte("[core]\n"),
		".git/objects/ab/cdef":            []byte("blob"),
		"__pycache__/train.cpython.pyc":   []byte("junk"),
		"src/__pycache__/x.cpython.pyc":   []byte("junk"),
		"src/modeling_tiny.py":            []byte("class Tiny: pass\n"),
		".ipynb_checkpoints/a-ckpt.ipynb": []byte("{}"),
	})
	rel, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{"LICENSE", "README.md", "logo.png", "model.safetensors", "notes.txt", "pytorch_model.bin", "src/modeling_tiny.py", "train.py"}
	if diff := cmp.Diff(wantFiles, paths(rel.Files, func(f release.File) string { return f.Path })); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	wantTexts := []string{"LICENSE", "README.md", "src/modeling_tiny.py", "train.py"}
	if diff := cmp.Diff(wantTexts, paths(rel.Texts, func(t release.Text) string { return t.Path })); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if rel.Schema != release.Schema || rel.Target != dir || rel.Name != filepath.Base(dir) || !rel.Complete || len(rel.Notes) != 0 {
		t.Errorf("release = schema %q target %q name %q complete %v notes %v", rel.Schema, rel.Target, rel.Name, rel.Complete, rel.Notes)
	}
	if !strings.HasPrefix(rel.Revision, "sha256:") || len(rel.Revision) != len("sha256:")+16 {
		t.Errorf("Revision = %q, want sha256: and 16 hex digits", rel.Revision)
	}

	readme, _ := rel.File("README.md")
	if readme.SHA256 != sum(card) || readme.Size != int64(len(card)) {
		t.Errorf("README.md = %+v, want size %d and sha256 of its content", readme, len(card))
	}
	if txt, _ := rel.Text("README.md"); txt.Content != card || txt.Truncated {
		t.Errorf("README.md text = %+v", txt)
	}

	ptr, _ := rel.File("pytorch_model.bin")
	if ptr.LFS == nil || ptr.LFS.OID != lfsOID || ptr.LFS.Size != 5_000_000 {
		t.Errorf("pytorch_model.bin LFS = %+v, want oid %s size 5000000", ptr.LFS, lfsOID)
	}
	if ptr.Header != nil || ptr.SHA256 != "" {
		t.Errorf("pytorch_model.bin: header %s sha %q, want neither for a pointer", ptr.Header, ptr.SHA256)
	}

	st, _ := rel.File("model.safetensors")
	var h artifact.Facts
	if err := json.Unmarshal(st.Header, &h); err != nil {
		t.Fatalf("model.safetensors header %q: %v", st.Header, err)
	}
	if h.Format != artifact.FormatSafetensors || h.Parameters != 10 || h.Safety != artifact.SafetySafe || h.Path != "model.safetensors" {
		t.Errorf("model.safetensors header = %+v, want safetensors, 10 parameters, safe", h)
	}
	if st.LFS != nil || st.Size != int64(len(weights)) {
		t.Errorf("model.safetensors = size %d lfs %+v, want size %d", st.Size, st.LFS, len(weights))
	}

	for _, p := range []string{"logo.png", "notes.txt"} {
		if _, ok := rel.Text(p); ok {
			t.Errorf("%s is binary but was read as text", p)
		}
		if f, _ := rel.File(p); f.SHA256 != "" || f.Header != nil {
			t.Errorf("%s: %+v, want inventory only", p, f)
		}
	}
}

func TestLocalTextLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 100) // 500 bytes
	tests := []struct {
		name      string
		lim       source.Limits
		files     map[string][]byte
		texts     map[string]int // path → bytes kept
		truncated []string
	}{
		{
			name:  "file cap truncates",
			lim:   source.Limits{MaxTextFile: 64, MaxTextTotal: 1 << 20, MaxFiles: 100},
			files: map[string][]byte{"README.md": []byte(long), "a.py": []byte("x = 1\n")},
			texts: map[string]int{"README.md": 64, "a.py": 6}, truncated: []string{"README.md"},
		},
		{
			name:  "total cap stops reading",
			lim:   source.Limits{MaxTextFile: 1 << 20, MaxTextTotal: 600, MaxFiles: 100},
			files: map[string][]byte{"a.md": []byte(long), "b.md": []byte(long), "c.md": []byte(long)},
			texts: map[string]int{"a.md": 500, "b.md": 100}, truncated: []string{"b.md"},
		},
		{
			name:  "large JSON is not read",
			lim:   source.DefaultLimits,
			files: map[string][]byte{"tokenizer.json": []byte(`{"v": "` + strings.Repeat("a", 300<<10) + `"}`), "config.json": []byte(`{}`)},
			texts: map[string]int{"config.json": 2},
		},
		{
			name:  "licence files are read whatever their extension",
			lim:   source.DefaultLimits,
			files: map[string][]byte{"LICENSE.model": []byte("terms"), "USE_POLICY": []byte("policy"), "weights.dat": []byte("plain")},
			texts: map[string]int{"LICENSE.model": 5, "USE_POLICY": 6},
		},
		{
			name:  "empty text file",
			lim:   source.DefaultLimits,
			files: map[string][]byte{"empty.py": {}},
			texts: map[string]int{"empty.py": 0},
		},
		{
			name:  "invalid UTF-8 past the first KiB is replaced",
			lim:   source.DefaultLimits,
			files: map[string][]byte{"a.md": []byte(strings.Repeat("a", 1100) + "caf\xe9")},
			texts: map[string]int{"a.md": 1100 + len("caf\uFFFD")},
		},
		{
			name:  "Latin-1 text is decoded, not taken for binary",
			lim:   source.DefaultLimits,
			files: map[string][]byte{"a.md": []byte("caf\xe9 au lait")},
			texts: map[string]int{"a.md": len("café au lait")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rel, err := source.Local(context.Background(), write(t, tt.files), tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			var truncated []string
			for _, x := range rel.Texts {
				got[x.Path] = len(x.Content)
				if x.Truncated {
					truncated = append(truncated, x.Path)
				}
				f, _ := rel.File(x.Path)
				if x.Truncated == (f.SHA256 != "") {
					t.Errorf("%s: truncated %v but sha256 %q; want a hash exactly for files read whole", x.Path, x.Truncated, f.SHA256)
				}
			}
			if diff := cmp.Diff(tt.texts, got); diff != "" {
				t.Errorf("texts kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.truncated, truncated); diff != "" {
				t.Errorf("truncated (-want +got):\n%s", diff)
			}
			if len(rel.Files) != len(tt.files) {
				t.Errorf("%d files inventoried, want all %d", len(rel.Files), len(tt.files))
			}
		})
	}
}

func TestLocalFileCap(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{"a.py": nil, "b.py": nil, "c.py": nil})
	rel, err := source.Local(context.Background(), dir, source.Limits{MaxTextFile: 1 << 10, MaxTextTotal: 1 << 20, MaxFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Complete || len(rel.Files) != 2 {
		t.Errorf("Complete %v with %d files, want incomplete with 2", rel.Complete, len(rel.Files))
	}
	if diff := cmp.Diff([]string{"inventory capped at 2 files"}, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestLocalZeroLimits: the zero Limits value reads like DefaultLimits.
func TestLocalZeroLimits(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{"README.md": []byte(card), "a.py": []byte("x = 1\n")})
	got, err := source.Local(context.Background(), dir, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero limits (-default +zero):\n%s", diff)
	}
}

func TestLocalErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "README.md")
	if err := os.WriteFile(file, []byte(card), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-model")
	tests := []struct {
		name   string
		target string
		want   []string // substrings of the message
	}{
		{"missing directory", missing, []string{"target could not be read", missing, "no such file or directory"}},
		{"a file, not a directory", file, []string{"target could not be read", file, "is not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rel, err := source.Local(context.Background(), tt.target, source.DefaultLimits)
			if rel != nil || !errors.Is(err, source.ErrUnreadable) {
				t.Fatalf("Local(%q) = %v, %v; want nil and ErrUnreadable", tt.target, rel, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLocalCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := source.Local(ctx, write(t, map[string][]byte{"a.py": nil}), source.DefaultLimits)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestLocalFollowsFileSymlinks: a link to a file inside the folder is read as that file; links
// out of the folder and links to folders are noted and skipped, never read.
func TestLocalFollowsFileSymlinks(t *testing.T) {
	t.Parallel()
	blobs := write(t, map[string][]byte{"blob1": []byte(card)})
	dir := write(t, map[string][]byte{"docs/card.md": []byte(card)})
	if err := os.Symlink("docs/card.md", filepath.Join(dir, "README.md")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	for name, target := range map[string]string{"LICENSE": filepath.Join(blobs, "blob1"), "linked-dir": blobs, "docs-link": "docs"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	rel, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"README.md", "docs/card.md"}, paths(rel.Files, func(f release.File) string { return f.Path })); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if txt, ok := rel.Text("README.md"); !ok || txt.Content != card {
		t.Errorf("README.md through a symlink: %+v %v", txt, ok)
	}
	want := []string{
		"skipped LICENSE: symbolic link to a place outside the release (not followed)",
		"skipped docs-link: symbolic link to a folder (not followed)",
		"skipped linked-dir: symbolic link to a place outside the release (not followed)",
		"inventory incomplete: 1 skipped entries are named like weights, a card or a licence, so what they hold is unknown",
	}
	if diff := cmp.Diff(want, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestRevision(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"README.md": []byte(card), "model.safetensors": tinyWeights(t), "sub/train.py": []byte("pass\n")}
	a := write(t, files)
	b := filepath.Join(t.TempDir(), "elsewhere", "other-name")
	writeAt(t, b, files)
	ra, err := source.Local(context.Background(), a, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := source.Local(context.Background(), b, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Revision != rb.Revision {
		t.Errorf("same content, revisions %q and %q", ra.Revision, rb.Revision)
	}
	if ra.Name == rb.Name {
		t.Errorf("both named %q; the test wants different folder names", ra.Name)
	}
	// Changing a text changes the revision; so does adding a file.
	writeAt(t, b, map[string][]byte{"sub/train.py": []byte("pass  \n")})
	rc, _ := source.Local(context.Background(), b, source.DefaultLimits)
	writeAt(t, b, map[string][]byte{"extra.md": []byte("more")})
	rd, _ := source.Local(context.Background(), b, source.DefaultLimits)
	if rc.Revision == ra.Revision || rd.Revision == rc.Revision {
		t.Errorf("revisions %q, %q, %q: want each change to give a new one", ra.Revision, rc.Revision, rd.Revision)
	}
}

func TestInventoryHash(t *testing.T) {
	t.Parallel()
	r1 := &release.Release{Files: []release.File{{Path: "b", Size: 2}, {Path: "a", Size: 1, SHA256: "ff"}}}
	r2 := &release.Release{Files: []release.File{{Path: "a", Size: 1, SHA256: "ff"}, {Path: "b", Size: 2}}, Name: "other", Target: "/x"}
	if source.InventoryHash(r1) != source.InventoryHash(r2) {
		t.Errorf("order or name changed the hash")
	}
	r3 := &release.Release{Files: []release.File{{Path: "a", Size: 1, SHA256: "ff"}, {Path: "b", Size: 2, LFS: &release.LFS{OID: lfsOID, Size: 9}}}}
	if source.InventoryHash(r3) == source.InventoryHash(r1) {
		t.Errorf("an LFS pointer did not change the hash")
	}
	if got := source.InventoryHash(&release.Release{}); !strings.HasPrefix(got, "sha256:") {
		t.Errorf("empty release hash %q", got)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{"README.md": []byte(card)})
	local, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "tiny.snapshot.json")
	if err := os.WriteFile(snap, must(local.Marshal()), 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(t.TempDir(), "junk.json")
	if err := os.WriteFile(junk, []byte(`{"schema": "something/else"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target string
		err    error
		want   string // substring of the error
	}{
		{dir, nil, ""},
		{snap, nil, ""},
		{"hf:acme/tiny", source.ErrUnsupported, "hf:acme/tiny"},
		{"https://huggingface.co/acme/tiny", source.ErrUnsupported, "Hugging Face"},
		{"https://example.org/tiny.git", source.ErrUnsupported, "clone"},
		{filepath.Join(dir, "missing"), source.ErrUnreadable, "no such file or directory"},
		{junk, source.ErrUnreadable, "not a glassbox snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			rel, err := source.Open(context.Background(), tt.target)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || rel != nil {
					t.Fatalf("Open = %v, %v; want error %v", rel, err, tt.err)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(local.Files, rel.Files); diff != "" {
				t.Errorf("files (-local +opened):\n%s", diff)
			}
			if rel.Revision != local.Revision {
				t.Errorf("revision %q, want %q", rel.Revision, local.Revision)
			}
		})
	}
}

// TestSnapshotRoundTrip writes a local release as a snapshot and reads it back.
func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{
		"README.md": []byte(card), "model.safetensors": tinyWeights(t),
		"pytorch_model.bin": []byte(lfsPointer(lfsOID, 42)), "logo.png": {0x89, 0},
	})
	rel, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	data, err := rel.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := source.Snapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rel, back, compactHeaders); diff != "" {
		t.Errorf("round trip (-written +read):\n%s", diff)
	}
	again, err := back.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("second snapshot differs from the first:\n%s\n---\n%s", data, again)
	}
}

// compactHeaders compares weights headers as JSON values: a snapshot indents them.
var compactHeaders = cmp.Comparer(func(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
})

func TestLocalLatin1AndBrokenLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// "Copyright © 2024" saved as Latin-1: the © is the single byte 0xA9.
	if err := os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("Copyright \xa9 2024 Example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "model.safetensors")); err != nil {
		t.Fatal(err)
	}
	rel, err := source.Local(context.Background(), dir, source.DefaultLimits)
	if err != nil {
		t.Fatalf("a broken link must not stop the scan: %v", err)
	}
	txt, ok := rel.Text("LICENSE")
	if !ok || txt.Content != "Copyright © 2024 Example\n" {
		t.Errorf("LICENSE read as %q (ok=%v), want the Latin-1 text decoded", txt.Content, ok)
	}
	if len(rel.Files) != 1 || len(rel.Notes) != 2 || !strings.Contains(rel.Notes[0], "model.safetensors: broken symbolic link") || rel.Complete {
		t.Errorf("files %v notes %v complete %v, want LICENSE only, a note on the broken link and an incomplete inventory (the weights are unknown)", rel.Files, rel.Notes, rel.Complete)
	}
}
