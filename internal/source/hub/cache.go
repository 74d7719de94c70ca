package hub

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
)

// Offline reports whether the user asked for no network (HF_HUB_OFFLINE=1, as the Hub's own
// clients read it).
func Offline() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("HF_HUB_OFFLINE")))
	return v == "1" || v == "true" || v == "yes" || v == "on"
}

// CacheDir is the local Hugging Face cache: HF_HUB_CACHE, else $HF_HOME/hub, else
// ~/.cache/huggingface/hub.
func CacheDir() string {
	if d := os.Getenv("HF_HUB_CACHE"); d != "" {
		return d
	}
	home := os.Getenv("HF_HOME")
	if home == "" {
		dir, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		home = filepath.Join(dir, ".cache", "huggingface")
	}
	return filepath.Join(home, "hub")
}

var commitRe = regexp.MustCompile(`^[0-9a-f]{40}$`)

// FromCache audits a target from the local Hugging Face cache: the snapshot folder
// models--ORG--NAME/snapshots/<commit>, where the commit is the target's revision or what
// refs/<revision> (default main) holds. Weights hashes come from the blobs the snapshot links to.
func FromCache(ctx context.Context, t Target) (*release.Release, error) {
	repoDir := repoCacheDir(t)
	rev := t.Revision
	if rev == "" {
		rev = "main"
	}
	commit := rev
	if !commitRe.MatchString(rev) {
		b, err := os.ReadFile(filepath.Join(repoDir, "refs", filepath.FromSlash(rev)))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: not in the local Hugging Face cache (%s); run without HF_HUB_OFFLINE to read it from the Hub", source.ErrUnreadable, t, repoDir)
		}
		commit = strings.TrimSpace(string(b))
	}
	dir := filepath.Join(repoDir, "snapshots", commit)
	rel, err := source.Local(ctx, dir, source.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: cached snapshot %s: %v", source.ErrUnreadable, t, commit, err)
	}
	rel.Target, rel.Name, rel.Revision = t.String(), t.Repo, commit
	// Only the files the user downloaded are there: the inventory may miss the rest.
	rel.Complete = false
	rel.Notes = append(rel.Notes, "read offline from the local Hugging Face cache ("+dir+"); only downloaded files are present")
	return rel, nil
}

// repoCacheDir is where the Hugging Face cache keeps a repository.
func repoCacheDir(t Target) string {
	prefix := "models--"
	if t.Kind == KindDataset {
		prefix = "datasets--"
	}
	return filepath.Join(CacheDir(), prefix+strings.ReplaceAll(t.Repo, "/", "--"))
}

// SnapshotDir is the Hugging Face cache's folder for the repository at commit, where the files a
// user downloaded sit ("" when the cache has no such folder).
func SnapshotDir(t Target, commit string) string {
	if !commitRe.MatchString(commit) {
		return ""
	}
	dir := filepath.Join(repoCacheDir(t), "snapshots", commit)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return ""
	}
	return dir
}
