package queue

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

// TestWorkerHelperProcess is the worker TestKillWorkerMidAudit kills: it is run only as a child
// process, takes the job, says so in a file, and hangs inside the audit.
func TestWorkerHelperProcess(t *testing.T) {
	dsn, marker := os.Getenv("GLASSBOX_QUEUE_HELPER_DSN"), os.Getenv("GLASSBOX_QUEUE_HELPER_MARKER")
	if dsn == "" {
		t.Skip("run by TestKillWorkerMidAudit as its child worker")
	}
	ctx := context.Background()
	hang := func(ctx context.Context, target string) (string, error) {
		_ = os.WriteFile(marker, []byte(target), 0o600)
		select {} // killed here
	}
	q, err := Open(ctx, dsn, Config{Workers: 1, Audit: hang})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {}
}

// TestKillWorkerMidAudit: a worker killed with SIGKILL in the middle of an audit loses no job and
// leaves no half-written report; another worker finishes the job, and the model has exactly one
// report.
func TestKillWorkerMidAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the kill test waits for River to rescue the job (about 20 s)")
	}
	for name, dsn := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := dsn(t)
			ctx := context.Background()
			st, err := store.Open(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			submitter, err := Open(ctx, d, Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer submitter.Close()
			job, err := submitter.Submit(ctx, "hf:acme/tiny")
			if err != nil {
				t.Fatal(err)
			}

			marker := filepath.Join(t.TempDir(), "running")
			child := exec.Command(os.Args[0], "-test.run=^TestWorkerHelperProcess$", "-test.v")
			child.Env = append(os.Environ(), "GLASSBOX_QUEUE_HELPER_DSN="+d, "GLASSBOX_QUEUE_HELPER_MARKER="+marker)
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(60 * time.Second)
			for {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				if time.Now().After(deadline) {
					_ = child.Process.Kill()
					t.Fatal("the child worker never started the audit")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait()
			if j, err := submitter.Get(ctx, job.ID); err != nil || j.Status != Running {
				t.Fatalf("after the kill the job is %+v (%v), want still running", j, err)
			}

			saves := 0
			finish := func(ctx context.Context, target string) (string, error) {
				saves++
				return st.Save(ctx, &store.Audit{Model: store.Model{Org: "acme", Name: "tiny"}, Target: target, Version: "test",
					Report: []byte(`{"schema": "glassbox.report/v1", "target": "hf:acme/tiny", "revision": "abc", "tier": {"label": "open-weights"}}`)})
			}
			q, err := Open(ctx, d, Config{Workers: 1, Audit: finish, JobTimeout: time.Second, RescueAfter: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
			done := waitFor(t, q, job.ID, Done)
			h, err := st.History(ctx, store.Model{Org: "acme", Name: "tiny"})
			if err != nil || len(h) != 1 || h[0].ID != done.Audit || saves != 1 {
				t.Errorf("history %+v (%v), %d saves; want exactly one report, the job's (%s)", h, err, saves, done.Audit)
			}
			if !strings.Contains(done.Target, "acme/tiny") || done.Attempts < 2 {
				t.Errorf("job %+v, want a second attempt at hf:acme/tiny", done)
			}
		})
	}
}
