package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// Progress receives the bytes hashed so far; Verify calls it from several goroutines.
type Progress func(n int64)

// hexSHA256 matches a Hugging Face cache blob name for an LFS file: its sha256.
var hexSHA256 = lazyre.New(`^[0-9a-f]{64}$`)

// ErrChanged marks a file whose size or modification time changed while it was hashed, or
// since it was inventoried: its hash proves nothing (a check failed, exit code 1).
var ErrChanged = errors.New("file changed while it was read")

// Verify computes the SHA-256 of every weights file of a local release, several files at once
// (one worker per CPU), and records it in the inventory, whose hash becomes the revision. The
// files are opened inside root as Local reads them (release.DecodeName of each path); a file
// whose size differs from the inventory's, or that changes while hashed, is ErrChanged.
func Verify(ctx context.Context, root string, rel *release.Release, progress Progress) error {
	var jobs []int
	for i, f := range rel.Files {
		if f.LFS == nil && release.IsWeights(f.Path) {
			jobs = append(jobs, i)
		}
	}
	if err := hashAll(ctx, root, rel, jobs, progress, true); err != nil {
		return err
	}
	rel.Revision = InventoryHash(rel)
	return nil
}

// CopyJobs lists the weights files of a remote release (a Hub repository) that a local copy at
// root holds, such as the Hugging Face cache's snapshot folder, which may hold only some. Only
// regular files reached inside root (or through the cache's links into its blobs/) count.
func CopyJobs(root string, rel *release.Release) []int {
	w, err := newWalker(context.Background(), root, DefaultLimits)
	if err != nil {
		return nil
	}
	defer w.close()
	var jobs []int
	for i, f := range rel.Files {
		if !release.IsWeights(f.Path) {
			continue
		}
		if fh, _, err := w.open(f.Path); err == nil {
			fh.Close()
			jobs = append(jobs, i)
		}
	}
	return jobs
}

// VerifyCopy hashes the weights files of a remote release that the local copy at root holds
// (CopyJobs), so that the report can compare them with the hashes the source promises
// (File.Expected, such as the Hub's LFS sha256). The release's revision stays the source's.
func VerifyCopy(ctx context.Context, root string, rel *release.Release, jobs []int, progress Progress) error {
	return hashAll(ctx, root, rel, jobs, progress, false)
}

// open opens the file at p (a release path, slash-separated) inside the walker's root,
// following a Hugging Face cache link into blobs/, and only if it is a regular file.
func (w *walker) open(p string) (*os.File, int64, error) {
	if why := release.UnsafePath(release.EncodeName(p)); why != "" {
		return nil, 0, fmt.Errorf("%s: path %s", p, why)
	}
	name, blobs := p, false
	if info, err := w.root.Lstat(p); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if target, err := w.root.Readlink(p); err == nil {
			name, blobs = w.blobName(p, target)
		}
		if !blobs {
			name = p
		}
	}
	var fh *os.File
	var err error
	if blobs {
		fh, err = w.blobs.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	} else {
		fh, err = w.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	}
	shown := filepath.Join(w.abs, release.EncodeName(p)) // raw bytes never reach a message
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v", shown, describe(err))
	}
	return checkRegular(fh, shown)
}

// hashAll hashes rel.Files[i] under root for every i in jobs, one worker per CPU. local says
// the paths were written by Local (release.EncodeName) and the sizes are the files' own.
func hashAll(ctx context.Context, root string, rel *release.Release, jobs []int, progress Progress, local bool) error {
	w, err := newWalker(ctx, root, DefaultLimits)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnreadable, root, describe(err))
	}
	defer w.close()
	workers := min(runtime.GOMAXPROCS(0), max(len(jobs), 1))
	next := make(chan int)
	errs := make([]error, len(rel.Files))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1<<20)
			for i := range next {
				f := &rel.Files[i]
				p, want := f.Path, int64(-1)
				if local {
					p, want = release.DecodeName(p), f.Size
				}
				sum, err := hashFile(ctx, w, p, want, buf, progress)
				if err != nil {
					errs[i] = err
					continue
				}
				f.SHA256, f.Verified = sum, true
			}
		}()
	}
	for _, i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// VerifyBytes is the number of bytes Verify will hash.
func VerifyBytes(rel *release.Release) int64 {
	var n int64
	for _, f := range rel.Files {
		if f.LFS == nil && release.IsWeights(f.Path) {
			n += f.Size
		}
	}
	return n
}

// hashFile hashes the file at p inside w's root. want, when not negative, is the size the
// inventory recorded. The file's size and modification time are taken (fstat) before and after
// hashing; any difference, or a size other than want or than the bytes hashed, is ErrChanged.
func hashFile(ctx context.Context, w *walker, p string, want int64, buf []byte, progress Progress) (string, error) {
	f, size, err := w.open(p)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer f.Close()
	name := filepath.Join(w.abs, release.EncodeName(p))
	before, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrUnreadable, name, describe(err))
	}
	if want >= 0 && size != want {
		return "", fmt.Errorf("%w: %s is %d bytes, not the %d it had when the release was read", ErrChanged, name, size, want)
	}
	h := sha256.New()
	n, err := copyHash(ctx, h, f, buf, progress)
	if err != nil {
		if ctx.Err() != nil {
			return "", err
		}
		return "", fmt.Errorf("%w: %s: %v", ErrUnreadable, name, describe(err))
	}
	after, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrUnreadable, name, describe(err))
	}
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) || n != before.Size() {
		return "", fmt.Errorf("%w: %s changed while it was hashed (%d bytes and modified %s before, %d bytes and modified %s after); hash it again once it is complete",
			ErrChanged, name, before.Size(), before.ModTime().UTC().Format(time.RFC3339Nano), after.Size(), after.ModTime().UTC().Format(time.RFC3339Nano))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyHash feeds r to h through buf, checking ctx between reads, and returns the bytes read.
func copyHash(ctx context.Context, h io.Writer, r io.Reader, buf []byte, progress Progress) (int64, error) {
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			h.Write(buf[:n])
			total += int64(n)
			if progress != nil {
				progress(int64(n))
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
