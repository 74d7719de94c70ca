package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

func TestOrigin(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://Hub.example/x":      "https://hub.example:443",
		"https://hub.example:443/":   "https://hub.example:443",
		"http://hub.example":         "http://hub.example:80",
		"http://hub.example:8080/a":  "http://hub.example:8080",
		"http://u:p@[::1]:9/":        "http://::1:9",
		"HTTP://127.0.0.1:5000/a?b#": "http://127.0.0.1:5000",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Origin(u); got != want {
			t.Errorf("Origin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitUserAndRedact(t *testing.T) {
	t.Parallel()
	base, user := SplitUser("http://alice:pw@127.0.0.1:8080")
	if base != "http://127.0.0.1:8080" || user == nil || user.Username() != "alice" {
		t.Errorf("SplitUser = %q, %v", base, user)
	}
	if base, user := SplitUser("https://huggingface.co"); base != "https://huggingface.co" || user != nil {
		t.Errorf("SplitUser without user-info = %q, %v", base, user)
	}
	for in, want := range map[string]string{
		"dial http://a:b@h:1/x: refused":     "dial http://h:1/x: refused",
		"no url here":                        "no url here",
		"two https://t@x/ and http://y:z@w?": "two https://x/ and http://w?",
		"mail a@b.c stays":                   "mail a@b.c stays",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadAllCapsInflatedBytes(t *testing.T) {
	t.Parallel()
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(bytes.Repeat([]byte("a"), 10<<20))
	w.Close()
	r, err := gzip.NewReader(&z)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadAll(r, 1<<20)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "answer over 1 MB") {
		t.Errorf("ReadAll = %v", err)
	}
	b, err := ReadAll(strings.NewReader("abc"), 3)
	if err != nil || string(b) != "abc" {
		t.Errorf("ReadAll at the cap = %q, %v", b, err)
	}
	if _, err := ReadAll(io.MultiReader(strings.NewReader("abcd")), 3); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over: %v", err)
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{8 << 20: "8 MB", 1536 << 10: "1.5 MB", 512 << 10: "512 KB", 12: "12 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBudget(t *testing.T) {
	t.Parallel()
	b := &Budget{Limit: 10}
	ctx := context.Background()
	if err := b.Acquire(ctx, 11); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	if b.Acquire(ctx, 6) != nil || b.TryAcquire(5) || !b.TryAcquire(4) {
		t.Fatal("reservations")
	}
	done := make(chan error)
	go func() { done <- b.Acquire(ctx, 3) }()
	b.Release(4)
	if err := <-done; err != nil || b.Peak() != 10 {
		t.Errorf("waiter: %v, peak %d", err, b.Peak())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := b.Acquire(cctx, 5); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
	var unlimited *Budget
	if unlimited.Acquire(ctx, 1<<40) != nil || !unlimited.TryAcquire(1<<40) {
		t.Error("a nil budget is unlimited")
	}
}
