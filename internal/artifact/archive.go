package artifact

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// Bounds on what glassbox inflates from an archive. A compressed member is read through its
// decompressor, so its size is what the archive claims, and a small file can claim (or
// inflate to) gigabytes: a zip bomb. Members stored uncompressed cost no more than their
// bytes in the file and are not bounded.
const (
	// MaxArchiveMember is how many inflated bytes of one compressed member glassbox walks.
	MaxArchiveMember = 64 << 20
	// maxArchiveInflated bounds the inflated bytes walked across a whole archive.
	maxArchiveInflated = 256 << 20
	// maxArchiveMembers bounds the members examined.
	maxArchiveMembers = 1 << 16
	// maxSmallMember bounds members read whole, such as <archive>/version.
	maxSmallMember = 64
)

var (
	zipMagic = []byte("PK\x03\x04")
	// zipEmptyMagic opens a zip with no members: its end-of-directory record.
	zipEmptyMagic = []byte("PK\x05\x06")
)

// isZip recognises a zip by its first local header (or, for an empty zip, its directory end).
func isZip(head []byte) bool {
	return bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, zipEmptyMagic)
}

// zipKind tells the kind of zip from the file's extension and, failing that, the name of its
// first member, which torch.save writes as <archive>/data.pkl.
func zipKind(ext string, head []byte) Format {
	if f, ok := zipExtensions[ext]; ok {
		return f
	}
	const nameAt = 30 // the name follows the fixed part of the local header
	if len(head) > nameAt && bytes.HasPrefix(head, zipMagic) {
		n := int(head[26]) | int(head[27])<<8
		name := head[nameAt:min(len(head), nameAt+n)]
		if len(name) == n && isTorchDataPkl(string(name)) {
			return FormatPyTorchZip
		}
	}
	return FormatZip
}

// isTorchDataPkl reports whether a member name is <archive>/data.pkl.
func isTorchDataPkl(name string) bool {
	dir, file := path.Split(name)
	return file == "data.pkl" && dir != "" && strings.Count(dir, "/") == 1
}

// unsafeMemberName says why a member name could write outside the directory it is extracted
// to, or is empty when it could not. glassbox never extracts, but a loader that does would
// follow such a name, so the archive is reported and the member left unread.
func unsafeMemberName(name string) string {
	switch {
	case strings.ContainsRune(name, '\\'):
		return "contains a backslash"
	case strings.HasPrefix(name, "/"):
		return "is absolute"
	case len(name) >= 2 && name[1] == ':':
		return "starts with a drive letter"
	case strings.ContainsRune(name, 0):
		return "contains a NUL byte"
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "climbs out of the archive with .."
		}
	}
	return release.NormalisedEscape(name)
}

// zipReader holds the state of reading one zip archive.
type zipReader struct {
	f        *Facts
	r        io.ReaderAt
	c        findings
	inflated int64
	// firstErr is the first malformed member; the others are still examined.
	firstErr error
}

// readZip reads a zip: a PyTorch checkpoint, a NumPy .npz, or any other zip, walking the
// pickles inside and reading the arrays' headers.
func readZip(f *Facts, r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("reading the zip directory: %w", err)
	}
	z := &zipReader{f: f, r: r}
	f.Format = zipFormat(f.Format, zr.File)
	examined := 0
	for _, m := range zr.File {
		if strings.HasSuffix(m.Name, "/") {
			continue
		}
		if why := unsafeMemberName(m.Name); why != "" {
			z.c.warn(true, "member %q %s; not examined", m.Name, why)
			continue
		}
		if examined == maxArchiveMembers {
			z.c.warn(true, "more than %d members; the rest were not examined", maxArchiveMembers)
			break
		}
		examined++
		if f.Format == FormatPyTorchZip {
			z.torchMember(m)
		} else {
			z.member(m)
		}
	}
	z.c.apply(f)
	return z.firstErr
}

// zipFormat is the kind of zip the members show: a PyTorch checkpoint holds
// <archive>/data.pkl; an .npz holds .npy files.
func zipFormat(detected Format, members []*zip.File) Format {
	npy := 0
	for _, m := range members {
		if isTorchDataPkl(m.Name) {
			return FormatPyTorchZip
		}
		if strings.HasSuffix(m.Name, ".npy") {
			npy++
		}
	}
	if detected == FormatNPZ || (npy > 0 && npy == len(members)) {
		return FormatNPZ
	}
	return FormatZip
}

// torchMember examines one member of a PyTorch checkpoint: its pickles are walked, its
// storages counted, its version read.
func (z *zipReader) torchMember(m *zip.File) {
	dir, file := path.Split(m.Name)
	switch {
	case strings.HasSuffix(file, ".pkl"):
		z.walk(m)
	case strings.Count(dir, "/") == 2 && strings.HasSuffix(dir, "/data/"):
		z.f.TensorBytes += int64(min(m.UncompressedSize64, 1<<62))
	case strings.Count(dir, "/") == 1 && (file == "version" || file == "byteorder"):
		if b, ok := z.small(m); ok {
			z.f.setMeta(file, b)
		}
	}
}

// member examines one member of any other zip, by what its name and first bytes say it is.
func (z *zipReader) member(m *zip.File) {
	head, err := z.head(m)
	if err != nil {
		z.unreadable(m, err)
		return
	}
	switch Detect(m.Name, head) {
	case FormatPickle:
		z.walk(m)
	case FormatNPY:
		z.npy(m)
	case FormatZip, FormatPyTorchZip, FormatNPZ, Format7z:
		z.c.warn(true, "member %q is itself an archive; glassbox does not look inside nested archives", m.Name)
	default:
		if m.Flags&zipEncrypted != 0 {
			z.c.warn(true, "member %q is encrypted; not examined", m.Name)
		}
	}
}

// zipEncrypted is the general-purpose flag bit that marks an encrypted member.
const zipEncrypted = 0x1

// open returns a reader for a member's bytes and how many there are. A stored member is read
// straight from the file, so it can be skipped through; a compressed one is inflated within
// the archive's budget.
func (z *zipReader) open(m *zip.File) (io.Reader, int64, error) {
	if m.Method == zip.Store && m.CompressedSize64 == m.UncompressedSize64 {
		off, err := m.DataOffset()
		if err != nil {
			return nil, 0, err
		}
		n := int64(min(m.CompressedSize64, 1<<62))
		return io.NewSectionReader(z.r, off, n), n, nil
	}
	claim := m.UncompressedSize64
	if claim > MaxArchiveMember {
		return nil, 0, fmt.Errorf("%w: it claims %d bytes inflated, more than the %d glassbox reads", errBomb, claim, MaxArchiveMember)
	}
	if z.inflated+int64(claim) > maxArchiveInflated {
		return nil, 0, fmt.Errorf("%w: the archive's members inflate to more than the %d bytes glassbox reads", errBomb, maxArchiveInflated)
	}
	z.inflated += int64(claim)
	rc, err := m.Open()
	if err != nil {
		return nil, 0, err
	}
	return &checksumTolerant{r: rc}, int64(claim), nil
}

// errBomb marks a member too big to inflate.
var errBomb = errors.New("possible zip bomb")

// checksumTolerant reads a member to its end even when its CRC does not match, remembering
// the mismatch: a tampered checksum must not hide the pickle from the walk, since loaders
// that skip the check would still run it.
type checksumTolerant struct {
	r   io.Reader
	bad bool
}

func (c *checksumTolerant) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if errors.Is(err, zip.ErrChecksum) {
		c.bad = true
		err = io.EOF
	}
	return n, err
}

// head reads a member's first SniffLen bytes.
func (z *zipReader) head(m *zip.File) ([]byte, error) {
	r, n, err := z.open(m)
	if err != nil {
		return nil, err
	}
	head := make([]byte, min(n, SniffLen))
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, err
	}
	// Only the head was inflated; give the rest of the member's claim back to the budget.
	if m.Method != zip.Store {
		z.inflated -= n
	}
	return head, nil
}

// small reads a member of a few bytes, such as a checkpoint's version, trimmed.
func (z *zipReader) small(m *zip.File) (string, bool) {
	if m.UncompressedSize64 > maxSmallMember {
		return "", false
	}
	r, n, err := z.open(m)
	if err != nil {
		return "", false
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", false
	}
	return strings.TrimSpace(string(bytes.ToValidUTF8(b, []byte("\uFFFD")))), true
}

// walk walks a member as a pickle.
func (z *zipReader) walk(m *zip.File) {
	r, n, err := z.open(m)
	if err != nil {
		z.unreadable(m, err)
		return
	}
	w, err := WalkPickle(r, n)
	z.done(m, r, w, err)
}

// npy reads a member as a NumPy array, walking its pickle if it holds objects.
func (z *zipReader) npy(m *zip.File) {
	r, n, err := z.open(m)
	if err != nil {
		z.unreadable(m, err)
		return
	}
	a, w, err := scanNPY(r, n)
	if a != nil {
		z.f.Tensors++
		z.f.TensorNames = append(z.f.TensorNames, strings.TrimSuffix(m.Name, ".npy"))
		z.f.Parameters += a.elements
		if z.f.DTypes == nil {
			z.f.DTypes = map[string]int64{}
		}
		z.f.DTypes[a.dtype] += a.elements
		z.f.TensorBytes += a.dataBytes
	}
	if w == nil {
		w = &PickleWalk{}
	}
	z.done(m, r, w, err)
}

// done records the outcome of reading a member.
func (z *zipReader) done(m *zip.File, r io.Reader, w *PickleWalk, err error) {
	z.c.add(w, m.Name)
	if ct, ok := r.(*checksumTolerant); ok && ct.bad {
		z.c.warn(true, "member %q does not match its checksum; the archive is damaged or was edited", m.Name)
	}
	if err == nil {
		return
	}
	if m.Flags&zipEncrypted != 0 {
		// Walking it as if it were not encrypted failed: it really is.
		z.c.warn(true, "member %q is encrypted; not examined", m.Name)
		return
	}
	if z.firstErr == nil {
		z.firstErr = fmt.Errorf("member %q: %w", m.Name, err)
	}
}

// unreadable records a member that could not be opened: not examined, so suspicious.
func (z *zipReader) unreadable(m *zip.File, err error) {
	switch {
	case errors.Is(err, zip.ErrAlgorithm):
		z.c.warn(true, "member %q uses compression method %d, which glassbox does not read; not examined", m.Name, m.Method)
	case errors.Is(err, errBomb):
		z.c.warn(true, "member %q not examined: %v", m.Name, err)
	case m.Flags&zipEncrypted != 0:
		z.c.warn(true, "member %q is encrypted; not examined", m.Name)
	default:
		if z.firstErr == nil {
			z.firstErr = fmt.Errorf("member %q: %w", m.Name, err)
		}
	}
}
