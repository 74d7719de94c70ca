package target

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// verify hashes the weights when opts asks for it: a Hub release against its local copy, a
// local folder against its own recorded hashes.
func verify(ctx context.Context, target string, rel *release.Release, opts Options) error {
	switch {
	case opts.Verify && hub.IsTarget(target):
		return verifyHubCopy(ctx, target, rel, opts)
	case opts.Verify:
		if info, err := os.Stat(target); err != nil || !info.IsDir() {
			return usage("scan --verify needs a directory holding the weights; %s is not one", target)
		}
		return hashWeights(ctx, target, rel, nil, opts)
	case opts.Weights != "":
		return usage("scan --weights only makes sense with --verify")
	}
	return nil
}

// verifyHubCopy hashes the weights of a Hub release that a local folder holds (opts.Weights, else
// the Hugging Face cache's snapshot of the audited commit) so that the report compares them with
// the Hub's LFS sha256. Files the folder lacks stay unverified; a folder with none is an error.
func verifyHubCopy(ctx context.Context, target string, rel *release.Release, opts Options) error {
	t, err := hub.ParseTarget(target)
	if err != nil {
		return usage("%v", err)
	}
	dir, root := opts.Weights, opts.Weights
	if dir == "" {
		dir = hub.SnapshotDir(t, rel.Revision)
		if dir == "" {
			return unreadable(fmt.Errorf("%s: scan --verify: no local copy of commit %s in the Hugging Face cache (%s); download the weights first or pass --weights DIR", target, rel.Revision, hub.CacheDir()))
		}
		// The snapshot's files are links into the repository's blobs/: contain them there.
		root = filepath.Dir(filepath.Dir(dir))
	}
	jobs := containedJobs(root, dir, rel, source.CopyJobs(dir, rel))
	if len(jobs) == 0 {
		return unreadable(fmt.Errorf("%s: scan --verify: %s holds none of the release's weights files", target, dir))
	}
	if err := hashWeights(ctx, dir, rel, jobs, opts); err != nil {
		return err
	}
	weights := 0
	for _, f := range rel.Files {
		if release.IsWeights(f.Path) {
			weights++
		}
	}
	if opts.Inform != nil {
		opts.Inform(fmt.Sprintf("verified %d of %d weights files in %s against the Hub's LFS sha256", len(jobs), weights, dir))
	}
	return nil
}

// containedJobs keeps the jobs whose file is a plain relative path that, opened under root (the
// folder, or the cached repository holding the snapshot folder dir), resolves to a regular file
// without leaving root: a tree entry "../../etc/passwd" or a link out of the folder is never
// hashed.
func containedJobs(root, dir string, rel *release.Release, jobs []int) []int {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil
	}
	defer r.Close()
	sub, err := filepath.Rel(root, dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, i := range jobs {
		p := rel.Files[i].Path
		if hub.CheckPath(p) != nil {
			continue
		}
		if info, err := r.Stat(filepath.Join(sub, filepath.FromSlash(p))); err == nil && info.Mode().IsRegular() {
			out = append(out, i)
		}
	}
	return out
}

// hashWeights hashes the weights files (jobs of a remote release's local copy, or every weights
// file of a local release when jobs is nil), reporting progress through opts.Progress.
func hashWeights(ctx context.Context, dir string, rel *release.Release, jobs []int, opts Options) error {
	total := source.VerifyBytes(rel)
	if jobs != nil {
		total = 0
		for _, i := range jobs {
			total += rel.Files[i].Size
		}
	}
	var progress source.Progress
	if opts.Progress != nil {
		var done func()
		progress, done = opts.Progress("verifying "+rel.Name, total)
		defer done()
	}
	var err error
	if jobs != nil {
		err = source.VerifyCopy(ctx, dir, rel, jobs, progress)
	} else {
		err = source.Verify(ctx, dir, rel, progress)
	}
	if err != nil {
		return unreadable(err)
	}
	return nil
}
