// Package source reads model releases from where they live (a local directory, a snapshot file,
// later the Hugging Face Hub and git) into a release.Release. It is the only layer, with store and
// server, that touches the disk or the network.
package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// Limits bound what a source reads into memory. A zero field takes its value from DefaultLimits,
// so the zero Limits reads like DefaultLimits.
type Limits struct {
	// MaxTextFile is the largest prefix of one text file kept in memory.
	MaxTextFile int64
	// MaxTextTotal caps the sum of all texts kept; files past it are inventoried only.
	MaxTextTotal int64
	// MaxFiles caps the inventory; a release with more files is reported as incomplete.
	MaxFiles int
	// MaxEntries caps the directory entries looked at (files, folders, links and the skipped),
	// which bounds the memory a folder of millions of entries can take.
	MaxEntries int
	// MaxDepth is the deepest folder read (the root is depth 0); deeper folders are skipped.
	MaxDepth int
	// MaxHeaderTotal caps the bytes read from weights headers in all; the headers of files
	// past it are not read (their facts say so), which bounds a folder of many files that
	// each claim a header of the largest size a format allows.
	MaxHeaderTotal int64
}

// DefaultLimits suit model repositories: cards and licences are small, code files modest, and
// no real repository nests 64 folders deep or holds 200,000 files.
var DefaultLimits = Limits{MaxTextFile: 1 << 20, MaxTextTotal: 64 << 20, MaxFiles: 200_000, MaxEntries: 400_000, MaxDepth: 64, MaxHeaderTotal: 1 << 30}

// orDefault fills the zero fields of l from DefaultLimits.
func (l Limits) orDefault() Limits {
	if l.MaxTextFile <= 0 {
		l.MaxTextFile = DefaultLimits.MaxTextFile
	}
	if l.MaxTextTotal <= 0 {
		l.MaxTextTotal = DefaultLimits.MaxTextTotal
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultLimits.MaxFiles
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultLimits.MaxEntries
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxHeaderTotal <= 0 {
		l.MaxHeaderTotal = DefaultLimits.MaxHeaderTotal
	}
	return l
}

// ErrUnreadable wraps every error that means the target could not be read (exit code 3).
var ErrUnreadable = errors.New("target could not be read")

// junkDirs are directories that never belong to a release: VCS data, caches, editor state.
var junkDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "__pycache__": true, ".ipynb_checkpoints": true,
	"node_modules": true, ".cache": true, ".idea": true, ".vscode": true, ".mypy_cache": true,
	".pytest_cache": true, ".tox": true, ".venv": true, "venv": true,
}

// junkFiles are files that carry no information about the release.
var junkFiles = map[string]bool{".DS_Store": true, "Thumbs.db": true, "desktop.ini": true}

// Local reads a release laid out as a directory. Every regular file is inventoried; the text
// files that matter are read up to the limits; weights files get their headers read (never
// their data).
//
// Everything is read through an os.Root, so no name, link or race can reach outside dir.
// Symbolic links to files are followed only when they stay inside dir, or, when dir is a
// Hugging Face cache snapshot folder, into that repository's blobs/ folder; links to folders
// are not followed, and other links, FIFOs, devices and sockets are skipped with a note.
// File names are stored as release.EncodeName writes them.
func Local(ctx context.Context, dir string, lim Limits) (*release.Release, error) {
	lim = lim.orDefault()
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, dir, describe(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a directory", ErrUnreadable, dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, dir, err)
	}
	w, err := newWalker(ctx, abs, lim)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, dir, describe(err))
	}
	defer w.close()
	w.rel = &release.Release{Schema: release.Schema, Target: release.EncodeName(dir), Name: release.EncodeName(filepath.Base(abs)), Complete: true}
	if err := w.walk(".", "", 0); err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	w.finish()
	rel := w.rel
	rel.Sort()
	rel.Revision = InventoryHash(rel)
	return rel, nil
}

// readFile fills in what the source learns from one file's bytes: LFS pointer, text content or
// weights header. fh is the opened file, p its path for messages.
func (w *walker) readFile(fh *os.File, p string, f *release.File) error {
	rel, textTotal, lim := w.rel, &w.textTotal, w.lim
	head := make([]byte, min(f.Size, 1024))
	if _, err := io.ReadFull(fh, head); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnreadable, p, describe(err))
	}
	if ptr, ok := artifact.ParseLFSPointer(head); ok && f.Size < 1024 {
		f.LFS = &release.LFS{OID: ptr.OID, Size: ptr.Size}
		return nil
	}
	if release.IsWeights(f.Path) {
		facts, err := artifact.Read(f.Path, w.headerBudget(fh), f.Size)
		if facts == nil {
			facts = &artifact.Facts{Path: f.Path, Format: artifact.Detect(f.Path, head)}
		}
		if err != nil && facts.Error == "" {
			facts.Error = err.Error()
			facts.Safety = "error"
		}
		facts.ClipMetadata()
		b, _ := json.Marshal(facts)
		f.Header = b
		return nil
	}
	if !wantText(f.Path, f.Size) || *textTotal >= lim.MaxTextTotal || !looksText(head) {
		return nil
	}
	n := min(f.Size, lim.MaxTextFile, lim.MaxTextTotal-*textTotal)
	buf := make([]byte, n)
	if _, err := fh.ReadAt(buf, 0); err != nil && err != io.EOF {
		return fmt.Errorf("%w: %s: %v", ErrUnreadable, p, describe(err))
	}
	*textTotal += n
	sum := sha256.Sum256(buf)
	if n == f.Size {
		f.SHA256 = hex.EncodeToString(sum[:])
	}
	rel.Texts = append(rel.Texts, release.Text{Path: f.Path, Content: decodeText(buf), Truncated: n < f.Size})
	return nil
}

// textExt lists extensions of files worth reading as text: documentation, configuration and code.
var textExt = map[string]bool{
	".md": true, ".markdown": true, ".txt": true, ".rst": true, ".json": true, ".yaml": true,
	".yml": true, ".toml": true, ".cfg": true, ".ini": true, ".py": true, ".sh": true, ".ipynb": true,
	".rs": true, ".go": true, ".c": true, ".cc": true, ".cpp": true, ".h": true, ".hpp": true,
	".cu": true, ".js": true, ".ts": true, ".jl": true, ".java": true, ".scala": true, ".r": true,
	".swift": true, ".kt": true, ".lua": true, ".html": true, ".bib": true, ".cff": true, ".jinja": true,
	".sha256": true,
}

// wantText reports whether a file is read into memory: licence-like names always, else by
// extension. Large JSON (tokenizer vocabularies) is skipped: detectors only need its name.
func wantText(p string, size int64) bool {
	if release.IsKeyText(p) {
		return true
	}
	ext := strings.ToLower(path.Ext(p))
	if ext == ".json" && size > 256<<10 {
		return false
	}
	return textExt[ext]
}

// decodeText turns file bytes into a string: UTF-8 as it is, and text that is not UTF-8 read
// as Latin-1, the usual encoding of older licence files (a "©" saved by an old editor).
func decodeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if !utf8.Valid(b[:max(0, len(b)-3)]) {
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return string(rs)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD"))) // a code point cut by the size cap
}

// looksText rejects binary content by its first bytes: a NUL, or control characters other than
// tab, newline, carriage return and form feed. Latin-1 text passes.
func looksText(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	// Invalid UTF-8 is allowed: Latin-1 text is decoded by decodeText.
	return ctl*100 <= len(head)
}

// InventoryHash identifies a release that has no commit: a hash over paths, sizes, LFS ids and
// text hashes, so the same content gives the same revision wherever it lies on disk.
func InventoryHash(r *release.Release) string {
	h := sha256.New()
	files := append([]release.File(nil), r.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s", f.Path, f.Size, f.SHA256, f.Header)
		if f.LFS != nil {
			fmt.Fprintf(h, "\x00lfs:%s:%d", f.LFS.OID, f.LFS.Size)
		}
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// describe turns an OS error into the words a user needs, without repeating the path.
func describe(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
