package target

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
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

func noSleep(context.Context, time.Duration) error { return nil }

// hubEnv points the Hub client at h with an empty home, cache and HTTP cache.
func hubEnv(t *testing.T, url string) {
	t.Setenv("HF_ENDPOINT", url)
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_CACHE", t.TempDir())
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("GLASSBOX_CACHE_DIR", t.TempDir())
}

func TestHubNothingReadIsUnreadable(t *testing.T) {
	h := hubtest.New(t, hubtest.Fixtures(t)...)
	h.Hostile = hubtest.Hostile{FileStatus: 500}
	hubEnv(t, h.URL)
	_, err := Read(context.Background(), "hf:acme/tiny-chat", Options{Sleep: noSleep})
	if kindOf(err) != Unreadable || !strings.Contains(err.Error(), "nothing could be read: LICENSE: ") {
		t.Errorf("every file 500: kind %v, err %v", kindOf(err), err)
	}
}

func TestHubAuditDeadline(t *testing.T) {
	h := hubtest.New(t, hubtest.Fixtures(t)...)
	h.Hostile = hubtest.Hostile{HangHeaders: true} // never answers: the deadline, not luck, ends it
	hubEnv(t, h.URL)
	_, err := Read(context.Background(), "hf:acme/tiny-chat", Options{Timeout: 30 * time.Millisecond, Sleep: noSleep})
	if kindOf(err) != Unreadable || !strings.Contains(err.Error(), "did not finish within 30ms (set --timeout to allow longer)") {
		t.Errorf("kind %v, err %v", kindOf(err), err)
	}
}

func TestHubRateLimitFailsAtOnce(t *testing.T) {
	h := hubtest.New(t, hubtest.Fixtures(t)...)
	h.Fail("/api/models/acme/tiny-chat", hubtest.Fault{Status: 429, Header: map[string]string{"Retry-After": "3600"}})
	hubEnv(t, h.URL)
	_, err := Read(context.Background(), "hf:acme/tiny-chat", Options{Sleep: noSleep})
	if kindOf(err) != Unreadable || !strings.Contains(err.Error(), "rate-limited by the Hub until ") || !strings.Contains(err.Error(), "(set --wait to wait)") {
		t.Errorf("kind %v, err %v", kindOf(err), err)
	}
	if n := len(h.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestHubUnreadCardIsAFinding: a README the Hub fails to serve (six 500s) leaves the audit
// standing, incomplete, with an incomplete-read finding naming it and no claim that the card or
// its licence is missing.
func TestHubUnreadCardIsAFinding(t *testing.T) {
	h := hubtest.New(t, hubtest.Fixtures(t)...)
	sha := hubtest.Commit("acme/tiny-chat")
	f := hubtest.Fault{Status: 500}
	h.Fail("/acme/tiny-chat/resolve/"+sha+"/README.md", f, f, f, f, f, f)
	hubEnv(t, h.URL)
	a, err := Audit(context.Background(), "hf:acme/tiny-chat", Options{Sleep: noSleep})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, x := range a.Facts.Findings {
		msgs = append(msgs, x.ID+": "+x.Message)
	}
	all := strings.Join(msgs, "\n")
	if a.Facts.Complete || !strings.Contains(all, "incomplete-read: 1 file could not be read (README.md)") {
		t.Errorf("complete %v, findings:\n%s", a.Facts.Complete, all)
	}
	if strings.Contains(all, "license-missing") {
		t.Errorf("a licence called missing though the card was unread:\n%s", all)
	}
}
