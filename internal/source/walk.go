package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// errStop ends a walk early once a limit is reached; Local reports it as a note.
var errStop = errors.New("walk limit reached")

// walker reads one release folder through an os.Root.
type walker struct {
	ctx       context.Context
	lim       Limits
	abs       string   // the folder, absolute, for messages and absolute links
	root      *os.Root // the folder: nothing is opened but through it
	blobs     *os.Root // a Hugging Face cache repository's blobs/ folder, when abs is one of its snapshots
	snapRel   string   // abs relative to the repository folder ("snapshots/<rev>"), with blobs
	rel       *release.Release
	textTotal int64
	headers   int64 // weights header bytes read so far (Limits.MaxHeaderTotal)
	entries   int
	capped    string // which limit stopped the walk
	unnoted   int    // skipped entries past maxNotes, counted only
	missed    int    // skipped files named like weights or key texts
	full      bool   // the inventory reached MaxFiles
	// headerCapped: MaxHeaderTotal was reached and noted.
	headerCapped bool
}

// maxNotes bounds the notes one folder read writes about skipped entries; past it they are
// counted in one last note, so 10,000 hostile links cost one line each only up to here.
const maxNotes = 100

// newWalker opens abs as a root, and its repository's blobs/ folder when abs is laid out as a
// Hugging Face cache snapshot folder (REPO/snapshots/REV beside REPO/blobs/; the cache names
// REPO models--ORG--NAME).
func newWalker(ctx context.Context, abs string, lim Limits) (*walker, error) {
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	w := &walker{ctx: ctx, lim: lim, abs: abs, root: root}
	snaps := filepath.Dir(abs)
	repo := filepath.Dir(snaps)
	if filepath.Base(snaps) == "snapshots" {
		if b, err := os.OpenRoot(filepath.Join(repo, "blobs")); err == nil {
			w.blobs, w.snapRel = b, "snapshots/"+filepath.Base(abs)
		}
	}
	return w, nil
}

func (w *walker) close() {
	w.root.Close()
	if w.blobs != nil {
		w.blobs.Close()
	}
}

func (w *walker) note(format string, args ...any) {
	if len(w.rel.Notes) >= maxNotes {
		w.unnoted++
		return
	}
	w.rel.Notes = append(w.rel.Notes, fmt.Sprintf(format, args...))
}

// skip notes a file entry that is not read. One named like weights or a key text (a card, a
// licence) makes the inventory incomplete: what it would have said is unknown, not absent.
func (w *walker) skip(enc, format string, args ...any) {
	w.note("skipped %s: "+format, append([]any{enc}, args...)...)
	if release.IsWeights(enc) || release.IsKeyText(enc) {
		w.missed++
		w.rel.Complete = false
	}
}

// finish adds the notes that summarise the walk: entries skipped past maxNotes, and the limit
// that made the inventory incomplete.
func (w *walker) finish() {
	if w.unnoted > 0 {
		w.rel.Notes = append(w.rel.Notes, fmt.Sprintf("skipped %d more entries (links out of the release, special files, unsafe names or folders too deep), not listed one by one", w.unnoted))
	}
	if w.missed > 0 {
		w.rel.Notes = append(w.rel.Notes, fmt.Sprintf("inventory incomplete: %d skipped entries are named like weights, a card or a licence, so what they hold is unknown", w.missed))
	}
	if w.capped != "" || w.full {
		w.rel.Notes = append(w.rel.Notes, w.capNote())
	}
}

// capNote says which limit made the inventory incomplete.
func (w *walker) capNote() string {
	if w.capped == "" {
		return fmt.Sprintf("inventory capped at %d files", w.lim.MaxFiles)
	}
	return w.capped
}

// walk reads the folder raw (a path inside the root, as the file system spells it; enc is the
// same path as release.EncodeName writes it) at the given depth.
func (w *walker) walk(raw, enc string, depth int) error {
	ents, err := w.readDir(raw)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnreadable, filepath.Join(w.abs, raw), describe(err))
	}
	for _, e := range ents {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := w.entry(e, path.Join(raw, e.Name()), joinEnc(enc, release.EncodeName(e.Name())), depth); err != nil {
			return err
		}
	}
	return nil
}

func joinEnc(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// readDir lists a folder in batches, sorted by name, stopping at MaxEntries in all.
func (w *walker) readDir(raw string) ([]fs.DirEntry, error) {
	d, err := w.root.Open(raw)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var out []fs.DirEntry
	for {
		batch, err := d.ReadDir(1024)
		out = append(out, batch...)
		w.entries += len(batch)
		if w.entries > w.lim.MaxEntries {
			w.rel.Complete = false
			w.capped = fmt.Sprintf("inventory capped: more than %d folder entries", w.lim.MaxEntries)
			break
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// entry handles one folder entry: recurse into folders, read regular files, follow or skip
// links, skip the rest with a note.
func (w *walker) entry(e fs.DirEntry, raw, enc string, depth int) error {
	name := e.Name()
	if why := release.UnsafePath(enc); why != "" {
		w.skip(enc, "its name %s", why)
		return nil
	}
	switch t := e.Type(); {
	case t.IsDir():
		return w.dir(name, raw, enc, depth)
	case junkFiles[name] || strings.HasSuffix(name, ".pyc"):
		return nil
	case t&fs.ModeSymlink != 0:
		return w.link(raw, enc)
	case !t.IsRegular():
		w.skip(enc, "%s, not a regular file", KindOf(t))
		return nil
	}
	return w.file(enc, nil, func() (*os.File, error) { return w.root.OpenFile(raw, os.O_RDONLY|syscall.O_NONBLOCK, 0) })
}

// dir recurses into a folder unless it is junk or too deep.
func (w *walker) dir(name, raw, enc string, depth int) error {
	if junkDirs[name] {
		return nil
	}
	if depth+1 > w.lim.MaxDepth {
		w.note("skipped %s/: deeper than %d folders", enc, w.lim.MaxDepth)
		return nil
	}
	if w.entries > w.lim.MaxEntries {
		return errStop
	}
	return w.walk(raw, enc, depth+1)
}

// link follows a symbolic link to a regular file inside the root (or into the cache's blobs/),
// noting and skipping every other link.
func (w *walker) link(raw, enc string) error {
	target, err := w.root.Readlink(raw)
	if err != nil {
		w.skip(enc, "symbolic link could not be read: %v", describe(err))
		return nil
	}
	if blob, ok := w.blobName(raw, target); ok {
		return w.blobFile(enc, blob)
	}
	name := raw
	if filepath.IsAbs(target) {
		// An absolute link to a place inside the folder is followed as the relative one.
		r, err := filepath.Rel(w.abs, target)
		if err != nil || r == ".." || strings.HasPrefix(r, "../") {
			w.skip(enc, "symbolic link to a place outside the release (not followed)")
			return nil
		}
		name = filepath.ToSlash(r)
	}
	info, err := w.root.Stat(name)
	switch {
	case err == nil && info.IsDir():
		w.note("skipped %s: symbolic link to a folder (not followed)", enc)
		return nil
	case err == nil && !info.Mode().IsRegular():
		w.skip(enc, "symbolic link to %s, not a regular file", KindOf(info.Mode()))
		return nil
	case err == nil:
		return w.file(enc, nil, func() (*os.File, error) { return w.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0) })
	case errors.Is(err, fs.ErrNotExist):
		w.skip(enc, "broken symbolic link")
	case strings.Contains(err.Error(), "escapes from parent"):
		w.skip(enc, "symbolic link to a place outside the release (not followed)")
	default:
		w.skip(enc, "symbolic link: %v", describe(err))
	}
	return nil
}

// blobName returns the blob a Hugging Face cache snapshot's link points to, when the walker
// has a blobs/ folder and the link, resolved by name from the repository folder, lands directly
// in it.
func (w *walker) blobName(raw, target string) (string, bool) {
	if w.blobs == nil || filepath.IsAbs(target) {
		return "", false
	}
	p := path.Join(w.snapRel, path.Dir(raw), filepath.ToSlash(target))
	name, ok := strings.CutPrefix(p, "blobs/")
	return name, ok && name != "" && !strings.Contains(name, "/")
}

// blobFile reads a cache blob, recording the sha256 its name promises.
func (w *walker) blobFile(enc, blob string) error {
	info, err := w.blobs.Lstat(blob)
	if err != nil || !info.Mode().IsRegular() {
		w.skip(enc, "broken symbolic link into the cache's blobs/")
		return nil
	}
	var want *release.Expected
	if hexSHA256.MatchString(blob) {
		want = &release.Expected{SHA256: blob, From: "hf-cache blob"}
	}
	return w.file(enc, want, func() (*os.File, error) { return w.blobs.OpenFile(blob, os.O_RDONLY|syscall.O_NONBLOCK, 0) })
}

// file opens a regular file without blocking, checks what was opened, and reads it.
// want is the hash the source promises for it, if any.
func (w *walker) file(enc string, want *release.Expected, open func() (*os.File, error)) error {
	if len(w.rel.Files) >= w.lim.MaxFiles {
		w.rel.Complete, w.full = false, true
		return errStop
	}
	fh, err := open()
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnreadable, filepath.Join(w.abs, enc), describe(err))
	}
	fh, size, err := checkRegular(fh, "")
	if err != nil {
		w.skip(enc, "%s", strings.TrimPrefix(err.Error(), ": "))
		return nil
	}
	defer fh.Close()
	f := release.File{Path: enc, Size: size, Expected: want}
	if err := w.readFile(fh, filepath.Join(w.abs, enc), &f); err != nil {
		return err
	}
	w.rel.Files = append(w.rel.Files, f)
	return nil
}

// errHeaderBudget stops a weights header read once Limits.MaxHeaderTotal bytes were read in all.
var errHeaderBudget = errors.New("not read: the folder's weights headers reached the read limit")

// budgetReader counts the bytes a header reader takes from r against the walker's budget.
type budgetReader struct {
	r io.ReaderAt
	w *walker
}

func (b budgetReader) ReadAt(p []byte, off int64) (int, error) {
	if b.w.headers+int64(len(p)) > b.w.lim.MaxHeaderTotal {
		if !b.w.headerCapped {
			b.w.headerCapped = true
			b.w.rel.Notes = append(b.w.rel.Notes, fmt.Sprintf("weights headers read up to %d MB in all; the headers of later files were not read", b.w.lim.MaxHeaderTotal>>20))
		}
		return 0, errHeaderBudget
	}
	n, err := b.r.ReadAt(p, off)
	b.w.headers += int64(n)
	return n, err
}

// headerBudget wraps a weights file so that its header read counts against MaxHeaderTotal.
func (w *walker) headerBudget(r io.ReaderAt) io.ReaderAt { return budgetReader{r, w} }
