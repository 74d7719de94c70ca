package hub

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/source"
)

func TestFromCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("HF_HUB_CACHE", cache)
	commit := "0123456789abcdef0123456789abcdef01234567"
	repo := filepath.Join(cache, "models--acme--tiny")
	snap := filepath.Join(repo, "snapshots", commit)
	blob := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for _, d := range []string{snap, filepath.Join(repo, "blobs"), filepath.Join(repo, "refs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	must(t, os.WriteFile(filepath.Join(repo, "refs", "main"), []byte(commit+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(repo, "blobs", blob), []byte("test"), 0o644))
	must(t, os.Symlink(filepath.Join("..", "..", "blobs", blob), filepath.Join(snap, "model.safetensors")))
	must(t, os.WriteFile(filepath.Join(snap, "README.md"), []byte("---\nlicense: mit\n---\n# Tiny\n"), 0o644))

	rel, err := FromCache(context.Background(), Target{Kind: KindModel, Repo: "acme/tiny"})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Target != "hf:acme/tiny" || rel.Revision != commit || rel.Complete {
		t.Errorf("target %q revision %q complete %v", rel.Target, rel.Revision, rel.Complete)
	}
	f, ok := rel.File("model.safetensors")
	if !ok || f.Expected == nil || f.Expected.SHA256 != blob {
		t.Errorf("model.safetensors %+v, want the blob name as its expected sha256", f)
	}
	if _, ok := rel.Text("README.md"); !ok {
		t.Error("README.md not read")
	}

	_, err = FromCache(context.Background(), Target{Kind: KindModel, Repo: "acme/absent"})
	if !errors.Is(err, source.ErrUnreadable) {
		t.Errorf("absent model: err %v, want ErrUnreadable", err)
	}
}

func TestOffline(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "true": true, "0": false, "": false} {
		t.Setenv("HF_HUB_OFFLINE", v)
		if Offline() != want {
			t.Errorf("HF_HUB_OFFLINE=%q: Offline() = %v", v, !want)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFromCacheContained(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("HF_HUB_CACHE", cache)
	outside := t.TempDir()
	secret := filepath.Join(outside, "hostname")
	must(t, os.WriteFile(secret, []byte("secret-host-name\n"), 0o644))
	repo := filepath.Join(cache, "models--acme--evil")
	commit := "0123456789abcdef0123456789abcdef01234567"
	snap := filepath.Join(repo, "snapshots", commit)
	for _, d := range []string{snap, filepath.Join(repo, "blobs"), filepath.Join(repo, "refs")} {
		must(t, os.MkdirAll(d, 0o755))
	}
	// refs/main pointing out of the cache: never followed, never shown.
	must(t, os.WriteFile(filepath.Join(repo, "refs", "main"), []byte("../../../../"+outside+"\n"), 0o644))
	_, err := FromCache(context.Background(), Target{Kind: KindModel, Repo: "acme/evil"})
	if err == nil || !strings.Contains(err.Error(), "does not hold a commit sha") || strings.Contains(err.Error(), outside) {
		t.Errorf("refs/main out of the cache: %v", err)
	}
	// refs/dev a link to a file outside: refused by the repository's root.
	must(t, os.Symlink(secret, filepath.Join(repo, "refs", "dev")))
	_, err = FromCache(context.Background(), Target{Kind: KindModel, Repo: "acme/evil", Revision: "dev"})
	if err == nil || strings.Contains(err.Error(), "secret-host-name") {
		t.Errorf("refs/dev linked out: %v", err)
	}
	// A revision that climbs out is refused before any read.
	_, err = FromCache(context.Background(), Target{Kind: KindModel, Repo: "acme/evil", Revision: "main/../../../../etc/hostname"})
	if err == nil || strings.Contains(err.Error(), "secret-host-name") {
		t.Errorf("climbing revision: %v", err)
	}
	// Snapshot links: into blobs/ kept, out of it left out with a note.
	blob := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	must(t, os.WriteFile(filepath.Join(repo, "blobs", blob), []byte("Apache License 2.0\n"), 0o644))
	must(t, os.Symlink(filepath.Join("..", "..", "blobs", blob), filepath.Join(snap, "NOTICE")))
	must(t, os.Symlink(secret, filepath.Join(snap, "LICENSE")))
	must(t, os.Symlink(filepath.Join("..", "..", "refs", "main"), filepath.Join(snap, "README.md")))
	rel, err := FromCache(context.Background(), Target{Kind: KindModel, Repo: "acme/evil", Revision: commit})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rel.Text("NOTICE"); !ok {
		t.Error("NOTICE (a link into blobs/) not read")
	}
	for _, p := range []string{"LICENSE", "README.md"} {
		if _, ok := rel.File(p); ok {
			t.Errorf("%s (a link out of blobs/) kept", p)
		}
		if x, ok := rel.Text(p); ok {
			t.Errorf("%s read: %q", p, x.Content)
		}
	}
	if !strings.Contains(strings.Join(rel.Notes, "\n"), "left out 2 files") {
		t.Errorf("notes %q", rel.Notes)
	}
}
