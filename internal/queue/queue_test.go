package queue

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// waitFor polls a job until it reaches a final status or the deadline passes.
func waitFor(t *testing.T, q Queue, id string, want string) Job {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j, err := q.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == want {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s is %s (%s) after 60 s, want %s", id, j.Status, j.Error, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSubmitWorkGet(t *testing.T) {
	for name, dsn := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			ctx := context.Background()
			release := make(chan struct{})
			var mu sync.Mutex
			ran := map[string]int{}
			audit := func(ctx context.Context, tgt string) (string, error) {
				mu.Lock()
				ran[tgt]++
				mu.Unlock()
				if strings.Contains(tgt, "bad") {
					return "", river.JobCancel(errors.New("hf:acme/bad: repository not found"))
				}
				<-release
				return "audit-of-" + tgt, nil
			}
			q, err := Open(ctx, d, Config{Workers: 2, Audit: audit})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			j1, err := q.Submit(ctx, "hf:acme/tiny")
			if err != nil || j1.Target != "hf:acme/tiny" {
				t.Fatalf("submit: %+v %v", j1, err)
			}
			// While it waits or runs, the same target is the same job.
			j2, err := q.Submit(ctx, "hf:acme/tiny")
			if err != nil || j2.ID != j1.ID {
				t.Errorf("second submit: %+v %v, want job %s again", j2, err, j1.ID)
			}
			waitFor(t, q, j1.ID, Running)
			close(release)
			done := waitFor(t, q, j1.ID, Done)
			if done.Audit != "audit-of-hf:acme/tiny" || done.Error != "" {
				t.Errorf("done job %+v, want the stored audit's id and no error", done)
			}
			bad, err := q.Submit(ctx, "hf:acme/bad")
			if err != nil {
				t.Fatal(err)
			}
			failed := waitFor(t, q, bad.ID, Failed)
			if !strings.Contains(failed.Error, "repository not found") {
				t.Errorf("failed job %+v, want the audit's error", failed)
			}
			// A finished target can be audited again.
			j3, err := q.Submit(ctx, "hf:acme/tiny")
			if err != nil || j3.ID == j1.ID {
				t.Errorf("submit after done: %+v %v, want a new job", j3, err)
			}
			waitFor(t, q, j3.ID, Done)
			depth, err := q.Depth(ctx)
			if err != nil || depth[Done] != 2 || depth[Failed] != 1 || depth[Queued] != 0 || depth[Running] != 0 {
				t.Errorf("depth %v %v, want 2 done, 1 failed, none queued or running", depth, err)
			}
			if _, err := q.Get(ctx, "999999"); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown job: %v, want ErrNotFound", err)
			}
			if _, err := q.Get(ctx, "x'; drop"); !errors.Is(err, ErrNotFound) {
				t.Errorf("malformed id: %v, want ErrNotFound", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ran["hf:acme/tiny"] != 2 || ran["hf:acme/bad"] != 1 {
				t.Errorf("audits run %v, want tiny twice and bad once (no retry of a final failure)", ran)
			}
		})
	}
}

// TestAuditorEndToEnd audits a target of the fake Hub through the queue and finds its report in
// the store.
func TestAuditorEndToEnd(t *testing.T) {
	fake := hubtest.New(t, hubtest.Fixtures(t)...)
	t.Setenv("HF_ENDPOINT", fake.URL)
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("GLASSBOX_CACHE_DIR", t.TempDir())
	for name, dsn := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			ctx := context.Background()
			st, err := store.Open(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			q, err := Open(ctx, d, Config{Workers: 1, Audit: Auditor(st, target.Options{Version: "test", NoCache: true})})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			j, err := q.Submit(ctx, "hf:meta-llama/Llama-3.2-1B")
			if err != nil {
				t.Fatal(err)
			}
			done := waitFor(t, q, j.ID, Done)
			a, err := st.Get(ctx, done.Audit)
			if err != nil {
				t.Fatal(err)
			}
			if a.Model.String() != "meta-llama/Llama-3.2-1B" || a.Index.Tier != "weights-available" || a.Revision != hubtest.Commit("meta-llama/Llama-3.2-1B") {
				t.Errorf("stored audit %+v, want Llama-3.2-1B at its commit, weights-available", a)
			}
			// A target that is not a Hub target fails at once, without an audit.
			bad, err := q.Submit(ctx, "/etc")
			if err != nil {
				t.Fatal(err)
			}
			if f := waitFor(t, q, bad.ID, Failed); !strings.Contains(f.Error, "neither a Hub target") {
				t.Errorf("local path job %+v, want refused as not a Hub target", f)
			}
		})
	}
}

func TestModelOf(t *testing.T) {
	for in, want := range map[string]string{
		"hf:acme/tiny":               "acme/tiny",
		"hf:acme/tiny@main":          "acme/tiny",
		"hf:datasets/acme/corpus":    "datasets/acme/corpus",
		"https://huggingface.co/a/b": "a/b",
		"gh:allenai/OLMo":            "github:allenai/OLMo",
		"gh:allenai/OLMo@v1":         "github:allenai/OLMo",
	} {
		m, err := ModelOf(in)
		if err != nil || m.String() != want {
			t.Errorf("ModelOf(%q) = %v %v, want %s", in, m, err, want)
		}
	}
	for _, bad := range []string{"/etc", "./model", "gh:acme", "gh:a/b/c", "https://example.com/x", "hf:"} {
		if _, err := ModelOf(bad); err == nil {
			t.Errorf("ModelOf(%q) accepted", bad)
		}
	}
}

// TestOpenConcurrently: processes starting together on a new database all open its queue.
func TestOpenConcurrently(t *testing.T) {
	for name, dsnFor := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			dsn := dsnFor(t)
			var wg sync.WaitGroup
			errs := make([]error, 6)
			for i := range errs {
				wg.Go(func() {
					q, err := Open(context.Background(), dsn, Config{})
					if err == nil {
						q.Close()
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("opener %d: %v", i, err)
				}
			}
		})
	}
}
