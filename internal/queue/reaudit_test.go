package queue

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

// stored saves a minimal report of target at revision.
func stored(t *testing.T, st store.Store, target, revision string) {
	t.Helper()
	m, err := ModelOf(target)
	if err != nil {
		t.Fatal(err)
	}
	report := fmt.Sprintf(`{"schema": "glassbox.report/v1", "target": %q, "revision": %q, "tier": {"label": "open-weights"}}`, target, revision)
	if _, err := st.Save(context.Background(), &store.Audit{Model: m, Target: target, Revision: revision, Version: "test", Report: []byte(report)}); err != nil {
		t.Fatal(err)
	}
}

// TestStaleAsksTheHub: only models whose Hub head moved since their latest audit are stale;
// targets pinned to a commit are never asked about; a model gone from the Hub is skipped.
func TestStaleAsksTheHub(t *testing.T) {
	repos := hubtest.Fixtures(t)
	fake := hubtest.New(t, repos...)
	t.Setenv("HF_ENDPOINT", fake.URL)
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("GLASSBOX_CACHE_DIR", t.TempDir())
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	old := strings.Repeat("0", 40)
	stored(t, st, "hf:meta-llama/Llama-3.2-1B", hubtest.Commit("meta-llama/Llama-3.2-1B"))
	stored(t, st, "hf:acme/tiny-chat", old)
	stored(t, st, "hf:acme/tiny-gguf@"+old, old)
	stored(t, st, "hf:acme/gone", old)
	stale := Stale(st, HubHead("test"))
	got, err := stale(ctx)
	if err != nil || !slices.Equal(got, []string{"hf:acme/tiny-chat"}) {
		t.Fatalf("stale %v %v, want only hf:acme/tiny-chat (its head moved from %s)", got, err, old)
	}
	for _, r := range fake.Requests() {
		if strings.Contains(r, "tiny-gguf") {
			t.Errorf("asked the Hub about a pinned target: %s", r)
		}
	}
	for _, r := range repos {
		if r.ID == "meta-llama/Llama-3.2-1B" {
			r.SHA = hubtest.Commit("a new commit")
		}
	}
	got, err = stale(ctx)
	if err != nil || !slices.Equal(got, []string{"hf:acme/tiny-chat", "hf:meta-llama/Llama-3.2-1B"}) {
		t.Errorf("after the Hub moved Llama-3.2-1B: stale %v %v, want tiny-chat and Llama-3.2-1B", got, err)
	}
}

// TestPeriodicReaudit: with ReauditEvery set, the queue sweeps by itself and audits what the
// sweep names.
func TestPeriodicReaudit(t *testing.T) {
	for name, dsn := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			ctx := context.Background()
			var mu sync.Mutex
			var audited []string
			sweeps := 0
			audit := func(_ context.Context, tgt string) (string, error) {
				mu.Lock()
				defer mu.Unlock()
				audited = append(audited, tgt)
				return "1", nil
			}
			stale := func(context.Context) ([]string, error) {
				mu.Lock()
				defer mu.Unlock()
				sweeps++
				return []string{"hf:acme/moved"}, nil
			}
			q, err := Open(ctx, d, Config{Workers: 2, Audit: audit, ReauditEvery: 200 * time.Millisecond, Stale: stale})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			deadline := time.Now().Add(60 * time.Second)
			for {
				mu.Lock()
				first, s := slices.Clone(audited), sweeps
				mu.Unlock()
				if len(first) > 0 {
					if first[0] != "hf:acme/moved" || s == 0 {
						t.Errorf("audited %v after %d sweeps, want hf:acme/moved", first, s)
					}
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("no re-audit within 60 s (%d sweeps)", s)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
