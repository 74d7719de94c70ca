package hub

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
