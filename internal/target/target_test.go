package target

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func kindOf(err error) Kind {
	var te *Error
	if errors.As(err, &te) {
		return te.Kind
	}
	return 0
}

func TestReadKinds(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := Read(ctx, missing, Options{}); kindOf(err) != Unreadable {
		t.Errorf("missing folder: kind %v (%v), want Unreadable", kindOf(err), err)
	}
	if _, err := Read(ctx, "hf:", Options{}); kindOf(err) != Usage {
		t.Errorf("hf: with no name: kind %v (%v), want Usage", kindOf(err), err)
	}
	if _, err := Read(ctx, "https://example.com/x", Options{}); kindOf(err) != Usage {
		t.Errorf("arbitrary URL: kind %v (%v), want Usage", kindOf(err), err)
	}
}

func TestAuditFolderAndVerifyOptions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("---\nlicense: mit\n---\n# m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Audit(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tier.Label != "closed" && a.Tier.Label != "insufficient-evidence" {
		t.Errorf("a card with no weights: tier %q", a.Tier.Label)
	}
	if _, err := Audit(context.Background(), dir, Options{Weights: dir}); kindOf(err) != Usage {
		t.Errorf("--weights without --verify: kind %v (%v), want Usage", kindOf(err), err)
	}
	file := filepath.Join(dir, "README.md")
	if _, err := AuditRelease(context.Background(), file, nil, Options{Verify: true}); kindOf(err) != Usage {
		t.Errorf("--verify on a file: kind %v (%v), want Usage", kindOf(err), err)
	}
}
