package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// ErrUnsupported marks a target form this build cannot read yet (a usage error, exit code 2).
var ErrUnsupported = errors.New("unsupported target")

// MaxSnapshot bounds the size of a snapshot file: a release's texts are capped at 64 MiB in
// all (Limits.MaxTextTotal) and its inventory and headers take a fraction of that, so a larger
// file was not written by glassbox snapshot, or was written for a release no audit should hold
// in memory at once. Reading one costs about three times its size at peak (BENCHMARKS.md).
const MaxSnapshot = 128 << 20

// Open reads target, choosing the source by its form: a directory is read as a local release, a
// regular file as a snapshot written by glassbox snapshot. Anything else (a FIFO, a device, a
// socket) is refused without being opened for reading.
func Open(ctx context.Context, target string) (*release.Release, error) {
	switch {
	case strings.HasPrefix(target, "hf:"), strings.HasPrefix(target, "https://huggingface.co/"):
		return nil, fmt.Errorf("%w: %s: Hugging Face Hub targets are read by package source/hub", ErrUnsupported, target)
	case strings.HasPrefix(target, "http://"), strings.HasPrefix(target, "https://"):
		return nil, fmt.Errorf("%w: %s: remote URLs are not supported yet; clone the repository and scan the directory", ErrUnsupported, target)
	}
	info, err := os.Stat(target)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, target, describe(err))
	}
	if info.IsDir() {
		return Local(ctx, target, DefaultLimits)
	}
	return Snapshot(target)
}

// Snapshot reads a release snapshot file of at most MaxSnapshot bytes. Its paths are checked
// (release.UnsafePath) and its texts held to DefaultLimits.MaxTextFile each, as a folder's are.
func Snapshot(path string) (*release.Release, error) {
	f, size, err := OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer f.Close()
	if size > MaxSnapshot {
		return nil, fmt.Errorf("%w: %s: snapshot is over %d MB (%d bytes); glassbox snapshots stay well below", ErrUnreadable, path, MaxSnapshot>>20, size)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSnapshot+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, path, describe(err))
	}
	if len(data) > MaxSnapshot {
		return nil, fmt.Errorf("%w: %s: snapshot grew past %d MB while being read", ErrUnreadable, path, MaxSnapshot>>20)
	}
	r, err := release.Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, path, err)
	}
	capTexts(r, DefaultLimits.MaxTextFile)
	return r, nil
}

// capTexts cuts every text of r (and of its parents and datasets) longer than max bytes at a
// UTF-8 boundary below max and marks it truncated, as a folder read would have.
func capTexts(r *release.Release, max int64) {
	for i := range r.Texts {
		t := &r.Texts[i]
		if int64(len(t.Content)) <= max {
			continue
		}
		n := int(max)
		for n > 0 && !utf8.RuneStart(t.Content[n]) {
			n--
		}
		t.Content, t.Truncated = t.Content[:n], true
	}
	for _, sub := range append(append([]*release.Release(nil), r.Parents...), r.Datasets...) {
		if sub != nil {
			capTexts(sub, max)
		}
	}
}

// OpenRegular opens path for reading only if it is a regular file, and returns it with its
// size. It opens with O_NONBLOCK, so a FIFO cannot block it, and checks the opened file's own
// mode (fstat), so a file swapped after a first look is still caught. The error names the
// path and what it is instead ("a named pipe (FIFO)", "a device").
func OpenRegular(path string) (*os.File, int64, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v", path, describe(err))
	}
	return checkRegular(f, path)
}

// checkRegular fstats an opened file and keeps it only if it is regular.
func checkRegular(f *os.File, name string) (*os.File, int64, error) {
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("%s: %v", name, describe(err))
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: %s, not a regular file", name, KindOf(info.Mode()))
	}
	return f, info.Size(), nil
}

// KindOf names a file mode for messages: "a directory", "a named pipe (FIFO)", "a device",
// "a socket", "a symbolic link", "a regular file".
func KindOf(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a block device"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "not a file glassbox reads"
}
