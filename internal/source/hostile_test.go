package source_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
)

// These tests build hostile folders and check that Local reads nothing outside them, never
// blocks, and stays within bounded memory, saying what it skipped.

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skip("symlinks not supported:", err)
	}
}

func readLocal(t *testing.T, dir string, lim source.Limits) *release.Release {
	t.Helper()
	rel, err := source.Local(context.Background(), dir, lim)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func filePaths(rel *release.Release) []string {
	return paths(rel.Files, func(f release.File) string { return f.Path })
}

// TestLocalLinksOut: a LICENSE, a card and a weights file linked to /etc/passwd (absolute, and
// relative through ..) are skipped with a note; none of passwd's bytes reach the release, its
// notes or its snapshot.
func TestLocalLinksOut(t *testing.T) {
	t.Parallel()
	secret := write(t, map[string][]byte{"passwd": []byte("root:x:0:0:SECRET-LINE:/root:/bin/sh\n")})
	dir := write(t, map[string][]byte{"config.json": []byte("{}")})
	symlink(t, filepath.Join(secret, "passwd"), filepath.Join(dir, "LICENSE"))
	rel1, _ := filepath.Rel(dir, filepath.Join(secret, "passwd"))
	symlink(t, rel1, filepath.Join(dir, "README.md"))
	symlink(t, filepath.Join(secret, "passwd"), filepath.Join(dir, "model.safetensors"))
	symlink(t, "/etc/passwd", filepath.Join(dir, "pytorch_model.bin"))
	rel := readLocal(t, dir, source.DefaultLimits)
	if diff := cmp.Diff([]string{"config.json"}, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	want := []string{
		"skipped LICENSE: symbolic link to a place outside the release (not followed)",
		"skipped README.md: symbolic link to a place outside the release (not followed)",
		"skipped model.safetensors: symbolic link to a place outside the release (not followed)",
		"skipped pytorch_model.bin: symbolic link to a place outside the release (not followed)",
		"inventory incomplete: 4 skipped entries are named like weights, a card or a licence, so what they hold is unknown",
	}
	if diff := cmp.Diff(want, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	data, err := rel.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "SECRET") || strings.Contains(string(data), "root:") {
		t.Errorf("the snapshot holds bytes of a file outside the folder:\n%s", data)
	}
}

// TestLocalManyNotes: 150 links out of the folder give 100 notes and one that counts the rest.
func TestLocalManyNotes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 150 {
		symlink(t, "/etc/passwd", filepath.Join(dir, "LICENSE-"+itoa(int64(1000+i))))
	}
	rel := readLocal(t, dir, source.DefaultLimits)
	if len(rel.Notes) != 102 || rel.Notes[100] != "skipped 50 more entries (links out of the release, special files, unsafe names or folders too deep), not listed one by one" ||
		rel.Notes[101] != "inventory incomplete: 150 skipped entries are named like weights, a card or a licence, so what they hold is unknown" {
		t.Errorf("%d notes, last two %q; want 102 ending with counts of 50 and 150", len(rel.Notes), rel.Notes[len(rel.Notes)-2:])
	}
}

// TestLocalLinkLoops: links to themselves, to each other and through a folder link are noted
// as loops or folder links, and the walk ends.
func TestLocalLinkLoops(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{"sub/a.py": []byte("x = 1\n")})
	symlink(t, "self.safetensors", filepath.Join(dir, "self.safetensors"))
	symlink(t, "b.md", filepath.Join(dir, "a.md"))
	symlink(t, "a.md", filepath.Join(dir, "b.md"))
	symlink(t, "..", filepath.Join(dir, "sub", "up"))
	symlink(t, ".", filepath.Join(dir, "sub", "here"))
	rel := readLocal(t, dir, source.DefaultLimits)
	if diff := cmp.Diff([]string{"sub/a.py"}, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	want := []string{
		"skipped a.md: symbolic link: too many levels of symbolic links",
		"skipped b.md: symbolic link: too many levels of symbolic links",
		"skipped self.safetensors: symbolic link: too many levels of symbolic links",
		"skipped sub/here: symbolic link to a folder (not followed)",
		"skipped sub/up: symbolic link to a folder (not followed)",
		"inventory incomplete: 1 skipped entries are named like weights, a card or a licence, so what they hold is unknown",
	}
	if diff := cmp.Diff(want, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestLocalSpecialFiles: a FIFO named like weights and like a card, a socket named like a
// licence, a link to /dev/zero named like weights, and a device node (when this test may make
// one) are skipped with a note, without blocking on the FIFO.
func TestLocalSpecialFiles(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{"config.json": []byte("{}")})
	for _, name := range []string{"model.safetensors", "README.md"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip("mkfifo not supported:", err)
		}
	}
	sock := filepath.Join(dir, "LICENSE")
	if len(sock) < 100 { // unix socket paths are limited to 108 bytes
		l, err := net.Listen("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	}
	symlink(t, "/dev/zero", filepath.Join(dir, "zero.gguf"))
	want := []string{
		"skipped README.md: a named pipe (FIFO), not a regular file",
		"skipped model.safetensors: a named pipe (FIFO), not a regular file",
		"skipped zero.gguf: symbolic link to a place outside the release (not followed)",
	}
	missed := 3 // README.md, model.safetensors, zero.gguf
	if len(sock) < 100 {
		want = append([]string{"skipped LICENSE: a socket, not a regular file"}, want...)
		missed++
	}
	if err := syscall.Mknod(filepath.Join(dir, "null.bin"), syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		want = append(want[:len(want)-1], "skipped null.bin: a character device, not a regular file", want[len(want)-1])
		missed++
	} else {
		t.Logf("no device node made (%v): devices are covered by the /dev/zero link only", err)
	}
	want = append(want, fmt.Sprintf("inventory incomplete: %d skipped entries are named like weights, a card or a licence, so what they hold is unknown", missed))
	rel := readLocal(t, dir, source.DefaultLimits)
	if diff := cmp.Diff([]string{"config.json"}, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if rel.Complete {
		t.Error("a release whose weights and card are FIFOs is reported complete")
	}
	if diff := cmp.Diff(want, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestLocalDeepTree: folders deeper than MaxDepth are skipped with a note, and the default
// depth survives a tree deeper than it.
func TestLocalDeepTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	deep := dir
	for range 100 {
		deep = filepath.Join(deep, "d")
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	writeAt(t, dir, map[string][]byte{"d/d/a.py": nil, "d/d/d/b.py": nil})
	if err := os.WriteFile(filepath.Join(deep, "c.py"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	rel := readLocal(t, dir, source.Limits{MaxDepth: 2})
	if diff := cmp.Diff([]string{"d/d/a.py"}, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"skipped d/d/d/: deeper than 2 folders"}, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	rel = readLocal(t, dir, source.DefaultLimits)
	if len(rel.Files) != 2 || len(rel.Notes) != 1 || !strings.HasSuffix(rel.Notes[0], "/: deeper than 64 folders") {
		t.Errorf("default depth: files %v notes %v, want a.py and b.py and one depth note", filePaths(rel), rel.Notes)
	}
}

// TestLocalManyEntries: a folder with more entries than MaxEntries is read in part, marked
// incomplete, and says which limit it hit; memory stays in proportion to the limit.
func TestLocalManyEntries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 3000 {
		if err := os.WriteFile(filepath.Join(dir, "f"+itoa(int64(i))+".bin"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel := readLocal(t, dir, source.Limits{MaxEntries: 1500})
	if rel.Complete || len(rel.Files) == 0 || len(rel.Files) > 1500+1024 {
		t.Errorf("complete %v with %d files, want incomplete with 1 to 2524", rel.Complete, len(rel.Files))
	}
	if diff := cmp.Diff([]string{"inventory capped: more than 1500 folder entries"}, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestLocalNonUTF8Names: names that are not UTF-8 or hold terminal control characters are
// encoded one way (%XX per invalid or control byte),
// never collide with each other or with a literal "%80", survive a snapshot round trip byte
// for byte, and are read (texts) and hashed (--verify) under their real names.
func TestLocalNonUTF8Names(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	names := map[string]string{"a\x80.py": "a%80.py", "a\x81.py": "a%81.py", "a%80.py": "a%2580.py", "caf\xe9.md": "caf%E9.md", "é.py": "é.py", "e\x1b[2J.py": "e%1B[2J.py"}
	for raw := range names {
		if err := os.WriteFile(filepath.Join(dir, raw), []byte("print("+`"`+raw[:1]+`"`+")\n"), 0o644); err != nil {
			t.Skip("this file system refuses non-UTF-8 names:", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "w\xff.safetensors"), tinyWeights(t), 0o644); err != nil {
		t.Fatal(err)
	}
	rel := readLocal(t, dir, source.DefaultLimits)
	want := []string{"a%2580.py", "a%80.py", "a%81.py", "caf%E9.md", "e%1B[2J.py", "w%FF.safetensors", "é.py"}
	if diff := cmp.Diff(want, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(rel.Texts) != 6 {
		t.Errorf("texts %v, want the six text files read under their real names", paths(rel.Texts, func(x release.Text) string { return x.Path }))
	}
	data, err := rel.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := release.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.Marshal()
	if string(again) != string(data) {
		t.Error("a snapshot of a folder with non-UTF-8 names does not round-trip byte for byte")
	}
	if err := source.Verify(context.Background(), dir, rel, nil); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if f, _ := rel.File("w%FF.safetensors"); !f.Verified || f.SHA256 == "" {
		t.Errorf("w%%FF.safetensors not hashed under its real name: %+v", f)
	}
}

// TestLocalHugeSparseFiles: a 1 TiB sparse weights file and a 4 GiB sparse card cost a few
// kilobytes and at most the text cap to read.
func TestLocalHugeSparseFiles(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int64{"model.safetensors": 1 << 40, "model.gguf": 1 << 40, "README.md": 4 << 30} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(strings.Repeat("# card\n", 300)); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Skip("this file system cannot make sparse files:", err)
		}
		f.Close()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rel := readLocal(t, dir, source.DefaultLimits)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("reading sparse files allocated %d MB, want under 16", alloc>>20)
	}
	txt, ok := rel.Text("README.md")
	if !ok || !txt.Truncated || len(txt.Content) != 1<<20 {
		t.Errorf("README.md: kept %d bytes (truncated %v), want the 1 MiB cap", len(txt.Content), txt.Truncated)
	}
	for _, name := range []string{"model.gguf", "model.safetensors"} {
		f, _ := rel.File(name)
		if f.Size != 1<<40 || !strings.Contains(string(f.Header), `"error"`) {
			t.Errorf("%s: size %d header %s, want 1 TiB with a header error", name, f.Size, f.Header)
		}
	}
}

// TestLocalCacheSnapshot: in a Hugging Face cache layout, links into the repository's blobs/
// are followed (the blob name is the expected sha256); links elsewhere in the repository or
// out of it are not.
func TestLocalCacheSnapshot(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	blob := strings.Repeat("ab", 32)
	writeAt(t, repo, map[string][]byte{"blobs/" + blob: tinyWeights(t), "blobs/readme": []byte(card), "refs/main": []byte("rev\n"), "snapshots/rev/config.json": []byte("{}")})
	snap := filepath.Join(repo, "snapshots", "rev")
	symlink(t, "../../blobs/"+blob, filepath.Join(snap, "model.safetensors"))
	symlink(t, "../../blobs/readme", filepath.Join(snap, "README.md"))
	symlink(t, "../../refs/main", filepath.Join(snap, "LICENSE"))
	rel := readLocal(t, snap, source.DefaultLimits)
	if diff := cmp.Diff([]string{"README.md", "config.json", "model.safetensors"}, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if f, _ := rel.File("model.safetensors"); f.Expected == nil || f.Expected.SHA256 != blob || f.Header == nil {
		t.Errorf("model.safetensors = %+v, want its header and the blob name as expected sha256", f)
	}
	if diff := cmp.Diff([]string{"skipped LICENSE: symbolic link to a place outside the release (not followed)", "inventory incomplete: 1 skipped entries are named like weights, a card or a licence, so what they hold is unknown"}, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestVerifyChangedWhileHashed: a weights file that grows while it is hashed is ErrChanged,
// not a verified hash. The change is made from the progress callback, so nothing depends on
// timing.
func TestVerifyChangedWhileHashed(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{"model.bin": make([]byte, 3<<20)})
	rel := readLocal(t, dir, source.DefaultLimits)
	grown := false
	err := source.Verify(context.Background(), dir, rel, func(int64) {
		if !grown {
			grown = true
			f, err := os.OpenFile(filepath.Join(dir, "model.bin"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Error(err)
				return
			}
			f.Write([]byte("more"))
			f.Close()
		}
	})
	if !errors.Is(err, source.ErrChanged) || !strings.Contains(err.Error(), "model.bin changed while it was hashed") {
		t.Errorf("err = %v, want ErrChanged naming model.bin", err)
	}
	if f, _ := rel.File("model.bin"); f.Verified {
		t.Error("a file that changed while hashed is marked verified")
	}

	// A file replaced between the read and --verify is caught by its size.
	if err := os.WriteFile(filepath.Join(dir, "model.bin"), []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = source.Verify(context.Background(), dir, rel, nil)
	if !errors.Is(err, source.ErrChanged) || !strings.Contains(err.Error(), "is 5 bytes, not the 3145728") {
		t.Errorf("err = %v, want ErrChanged on the size", err)
	}
}

// TestCopyJobsContained: a remote release's paths that climb out of the local copy, are
// absolute, or lead to a link out of it, are never hashed.
func TestCopyJobsContained(t *testing.T) {
	t.Parallel()
	outside := write(t, map[string][]byte{"model.safetensors": tinyWeights(t)})
	dir := write(t, map[string][]byte{"copy/model.safetensors": tinyWeights(t)})
	copyDir := filepath.Join(dir, "copy")
	symlink(t, filepath.Join(outside, "model.safetensors"), filepath.Join(copyDir, "linked.safetensors"))
	up, _ := filepath.Rel(copyDir, filepath.Join(outside, "model.safetensors"))
	rel := &release.Release{Files: []release.File{
		{Path: "model.safetensors"}, {Path: filepath.ToSlash(up)}, {Path: filepath.Join(outside, "model.safetensors")},
		{Path: "linked.safetensors"}, {Path: "sub/../model.safetensors"},
	}}
	if diff := cmp.Diff([]int{0}, source.CopyJobs(copyDir, rel)); diff != "" {
		t.Errorf("jobs (-want +got):\n%s", diff)
	}
}

// TestSnapshotHostile: a snapshot target that is a device, a FIFO, over MaxSnapshot or holds
// paths that climb out is refused with a message naming it; texts over the 1 MiB folder cap
// are cut to it.
func TestSnapshotHostile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo not supported:", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, nil, 0o644); err != nil || os.Truncate(big, source.MaxSnapshot+1) != nil {
		t.Skip("cannot make a sparse file")
	}
	climb := filepath.Join(dir, "climb.json")
	os.WriteFile(climb, []byte(`{"schema":"glassbox.release/v1","files":[{"path":"../../etc/passwd","size":1}]}`), 0o644)
	parent := filepath.Join(dir, "parent.json")
	os.WriteFile(parent, []byte(`{"schema":"glassbox.release/v1","parents":[{"target":"hf:a/b","texts":[{"path":"/etc/passwd","content":"x"}]}]}`), 0o644)
	tests := []struct{ target, want string }{
		{"/dev/zero", "/dev/zero: a character device, not a regular file"},
		{fifo, "fifo.json: a named pipe (FIFO), not a regular file"},
		{big, "big.json: snapshot is over 128 MB (134217729 bytes)"},
		{climb, `unsafe snapshot: file path "../../etc/passwd" has a .. component`},
		{parent, `unsafe snapshot: hf:a/b: text path "/etc/passwd" is absolute`},
	}
	for _, tt := range tests {
		rel, err := source.Open(context.Background(), tt.target)
		if rel != nil || !errors.Is(err, source.ErrUnreadable) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%s) = %v, %v; want ErrUnreadable with %q", tt.target, rel, err, tt.want)
		}
	}

	long := filepath.Join(dir, "long.json")
	text := strings.Repeat("é", 1<<20) // 2 MiB
	os.WriteFile(long, []byte(`{"schema":"glassbox.release/v1","texts":[{"path":"README.md","content":"`+text+`"}]}`), 0o644)
	rel, err := source.Open(context.Background(), long)
	if err != nil {
		t.Fatal(err)
	}
	if txt, _ := rel.Text("README.md"); !txt.Truncated || len(txt.Content) != 1<<20 || txt.Content != text[:1<<20] {
		t.Errorf("README.md kept %d bytes (truncated %v), want 1 MiB on a character boundary", len(txt.Content), txt.Truncated)
	}
}

// TestLocalUnsafeNames: names a snapshot could not hold safely (a backslash, a folder that
// reads as ".." once Unicode-normalised) are skipped with a note, so every snapshot re-reads.
func TestLocalUnsafeNames(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string][]byte{`a\b.py`: []byte("x = 1\n"), "‥/LICENSE": []byte("MIT\n"), "ok.py": []byte("y = 2\n")})
	rel := readLocal(t, dir, source.DefaultLimits)
	if diff := cmp.Diff([]string{"ok.py"}, filePaths(rel)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	want := []string{
		`skipped a\b.py: its name contains a backslash`,
		`skipped ‥: its name reads as ".." once Unicode-normalised (NFKC)`,
	}
	if diff := cmp.Diff(want, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	data, _ := rel.Marshal()
	if _, err := release.Unmarshal(data); err != nil {
		t.Errorf("the snapshot does not re-read: %v", err)
	}
}

// TestLocalHeaderBudget: weights headers are read up to MaxHeaderTotal bytes in all; later
// files' headers are not read, say so (read_error, not a defect) and the release says why.
func TestLocalHeaderBudget(t *testing.T) {
	t.Parallel()
	w := tinyWeights(t)
	dir := write(t, map[string][]byte{"a.safetensors": w, "b.safetensors": w})
	// Reading one header takes 232 bytes: 64 to recognise the format, 8 of length, 160 of JSON.
	rel := readLocal(t, dir, source.Limits{MaxHeaderTotal: 300})
	var a, b artifact.Facts
	fa, _ := rel.File("a.safetensors")
	fb, _ := rel.File("b.safetensors")
	if json.Unmarshal(fa.Header, &a) != nil || json.Unmarshal(fb.Header, &b) != nil {
		t.Fatalf("headers %s and %s", fa.Header, fb.Header)
	}
	if a.Parameters != 10 || a.Error != "" {
		t.Errorf("a.safetensors: %+v, want its 10 parameters", a)
	}
	if !b.ReadError || !strings.Contains(b.Error, "read limit") {
		t.Errorf("b.safetensors: %+v, want a read error naming the limit", b)
	}
	want := []string{"weights headers read up to 0 MB in all; the headers of later files were not read"}
	if diff := cmp.Diff(want, rel.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}
