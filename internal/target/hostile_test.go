package target

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// TestVerifyStaysInWeightsDir: tree paths with "..", absolute paths and links out of the folder
// are never hashed by scan hf:… --verify --weights DIR.
func TestVerifyStaysInWeightsDir(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "weights")
	secret := filepath.Join(base, "secret")
	for _, d := range []string{dir, secret} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(secret, "model.safetensors"), "outside")
	write(filepath.Join(dir, "model.safetensors"), "inside")
	if err := os.Symlink(filepath.Join(secret, "model.safetensors"), filepath.Join(dir, "link.safetensors")); err != nil {
		t.Fatal(err)
	}
	rel := &release.Release{Name: "acme/x", Revision: "0123456789abcdef0123456789abcdef01234567", Files: []release.File{
		{Path: "../secret/model.safetensors", Size: 7},
		{Path: filepath.Join(secret, "model.safetensors"), Size: 7},
		{Path: "link.safetensors", Size: 7},
		{Path: "model.safetensors", Size: 6},
	}}
	var said []string
	err := verify(context.Background(), "hf:acme/x", rel, Options{Verify: true, Weights: dir, Inform: func(m string) { said = append(said, m) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rel.Files {
		if want := f.Path == "model.safetensors"; f.Verified != want {
			t.Errorf("%s: verified %v, want %v", f.Path, f.Verified, want)
		}
	}
	if len(said) != 1 || said[0] != "verified 1 of 4 weights files in "+dir+" against the Hub's LFS sha256" {
		t.Errorf("said %q", said)
	}
}
