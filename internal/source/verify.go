package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// Progress receives the bytes hashed so far; Verify calls it from several goroutines.
type Progress func(n int64)

// hexSHA256 matches a Hugging Face cache blob name for an LFS file: its sha256.
var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// expectFromLinks records, for files that are symbolic links into a Hugging Face cache's
// blobs/ folder, the sha256 the blob's name promises.
func expectFromLinks(root string, rel *release.Release) {
	for i := range rel.Files {
		f := &rel.Files[i]
		target, err := os.Readlink(filepath.Join(root, filepath.FromSlash(f.Path)))
		if err != nil {
			continue
		}
		name := filepath.Base(target)
		if filepath.Base(filepath.Dir(target)) == "blobs" && hexSHA256.MatchString(name) {
			f.Expected = &release.Expected{SHA256: name, From: "hf-cache blob"}
		}
	}
}

// Verify computes the SHA-256 of every weights file of a local release, several files at once
// (one worker per CPU), and records it in the inventory, whose hash becomes the revision.
func Verify(ctx context.Context, root string, rel *release.Release, progress Progress) error {
	var jobs []int
	for i, f := range rel.Files {
		if f.LFS == nil && release.IsWeights(f.Path) {
			jobs = append(jobs, i)
		}
	}
	if err := hashAll(ctx, root, rel, jobs, progress); err != nil {
		return err
	}
	rel.Revision = InventoryHash(rel)
	return nil
}

// CopyJobs lists the weights files of a remote release (a Hub repository) that a local copy at
// root holds, such as the Hugging Face cache's snapshot folder, which may hold only some.
func CopyJobs(root string, rel *release.Release) []int {
	var jobs []int
	for i, f := range rel.Files {
		if !release.IsWeights(f.Path) {
			continue
		}
		if info, err := os.Stat(filepath.Join(root, filepath.FromSlash(f.Path))); err == nil && info.Mode().IsRegular() {
			jobs = append(jobs, i)
		}
	}
	return jobs
}

// VerifyCopy hashes the weights files of a remote release that the local copy at root holds
// (CopyJobs), so that the report can compare them with the hashes the source promises
// (File.Expected, such as the Hub's LFS sha256). The release's revision stays the source's.
func VerifyCopy(ctx context.Context, root string, rel *release.Release, jobs []int, progress Progress) error {
	return hashAll(ctx, root, rel, jobs, progress)
}

// hashAll hashes rel.Files[i] under root for every i in jobs, one worker per CPU.
func hashAll(ctx context.Context, root string, rel *release.Release, jobs []int, progress Progress) error {
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
				sum, err := hashFile(ctx, filepath.Join(root, filepath.FromSlash(rel.Files[i].Path)), buf, progress)
				if err != nil {
					errs[i] = err
					continue
				}
				rel.Files[i].SHA256, rel.Files[i].Verified = sum, true
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

func hashFile(ctx context.Context, path string, buf []byte, progress Progress) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrUnreadable, path, describe(err))
	}
	defer f.Close()
	h := sha256.New()
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(buf)
		if n > 0 {
			h.Write(buf[:n])
			if progress != nil {
				progress(int64(n))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%w: %s: %v", ErrUnreadable, path, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
