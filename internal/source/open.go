package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// ErrUnsupported marks a target form this build cannot read yet (a usage error, exit code 2).
var ErrUnsupported = errors.New("unsupported target")

// Open reads target, choosing the source by its form: a directory is read as a local release, a
// file as a snapshot written by glassbox snapshot.
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

// Snapshot reads a release snapshot file.
func Snapshot(path string) (*release.Release, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, path, describe(err))
	}
	r, err := release.Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, path, err)
	}
	return r, nil
}
