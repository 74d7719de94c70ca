package hub

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// FromCache audits a target from the local Hugging Face cache: the snapshot folder
// models--ORG--NAME/snapshots/<commit>, where the commit is the target's revision or what
// refs/<revision> (default main) holds. Weights hashes come from the blobs the snapshot links to.
// Everything read is contained: refs/<revision> must hold a 40-hex commit (its content is never
// shown), the snapshot must be a folder of that repository, and a link in it counts only when
// it leads into that repository's blobs/; other files are left out with a note.
func FromCache(ctx context.Context, t Target) (*release.Release, error) {
	repoDir := repoCacheDir(t)
	commit, err := cachedCommit(repoDir, t)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", source.ErrUnreadable, t, err)
	}
	dir := filepath.Join(repoDir, "snapshots", commit)
	if info, err := os.Lstat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%w: %s: commit %s is not in the local Hugging Face cache (%s); run without HF_HUB_OFFLINE to read it from the Hub", source.ErrUnreadable, t, commit, repoDir)
	}
	outside := linksOutside(dir, filepath.Join(repoDir, "blobs"))
	rel, err := source.Local(ctx, dir, source.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: cached snapshot %s: %v", source.ErrUnreadable, t, commit, err)
	}
	dropFiles(rel, outside)
	rel.Target, rel.Name, rel.Revision = t.String(), t.Repo, commit
	// Only the files the user downloaded are there: the inventory may miss the rest.
	rel.Complete = false
	rel.Notes = append(rel.Notes, "read offline from the local Hugging Face cache ("+dir+"); only downloaded files are present")
	if len(outside) > 0 {
		rel.Notes = append(rel.Notes, fmt.Sprintf("left out %d files of the cached snapshot that are links leading outside the repository's blobs/ folder", len(outside)))
	}
	return rel, nil
}

// cachedCommit is the commit the target names: its revision when that is a commit, else what
// refs/<revision> holds, read inside the repository's folder only.
func cachedCommit(repoDir string, t Target) (string, error) {
	rev := t.Revision
	if rev == "" {
		rev = "main"
	}
	if IsCommit(rev) {
		return rev, nil
	}
	if err := checkRevision(rev); err != nil {
		return "", err
	}
	missing := fmt.Errorf("not in the local Hugging Face cache (%s); run without HF_HUB_OFFLINE to read it from the Hub", repoDir)
	root, err := os.OpenRoot(repoDir)
	if err != nil {
		return "", missing
	}
	defer root.Close()
	ref := readRegular(root, filepath.Join("refs", filepath.FromSlash(rev)), 256)
	if ref == nil {
		return "", missing
	}
	commit := strings.TrimSpace(string(ref))
	if !IsCommit(commit) {
		return "", fmt.Errorf("refs/%s in the local Hugging Face cache (%s) does not hold a commit sha", rev, repoDir)
	}
	return commit, nil
}

// linksOutside lists the files under dir (slash paths) that are links not leading to a regular
// file inside blobs, or that are neither regular files nor folders.
func linksOutside(dir, blobs string) map[string]bool {
	bad := map[string]bool{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if !intoBlobs(p, blobs) {
			bad[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	return bad
}

// intoBlobs reports whether the link at p resolves, link by link, to a regular file directly
// inside blobs.
func intoBlobs(p, blobs string) bool {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	realBlobs, err := filepath.EvalSymlinks(blobs)
	if err != nil || filepath.Dir(target) != realBlobs {
		return false
	}
	info, err := os.Lstat(target)
	return err == nil && info.Mode().IsRegular()
}

// dropFiles removes the files named in drop from rel's inventory and texts.
func dropFiles(rel *release.Release, drop map[string]bool) {
	if len(drop) == 0 {
		return
	}
	files := rel.Files[:0]
	for _, f := range rel.Files {
		if !drop[f.Path] {
			files = append(files, f)
		}
	}
	rel.Files = files
	texts := rel.Texts[:0]
	for _, x := range rel.Texts {
		if !drop[x.Path] {
			texts = append(texts, x)
		}
	}
	rel.Texts = texts
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
	if !IsCommit(commit) {
		return ""
	}
	dir := filepath.Join(repoCacheDir(t), "snapshots", commit)
	if info, err := os.Lstat(dir); err != nil || !info.IsDir() {
		return ""
	}
	return dir
}
