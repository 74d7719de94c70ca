package census

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census/censustest"
	"github.com/glassbox-dev/glassbox/internal/store/storetest"
)

// TestCensusHelperProcess is the census TestKillMidCensus kills: run only as a child process.
func TestCensusHelperProcess(t *testing.T) {
	dsn, url := os.Getenv("GLASSBOX_CENSUS_HELPER_DSN"), os.Getenv("GLASSBOX_CENSUS_HELPER_HUB")
	if dsn == "" {
		t.Skip("run by TestKillMidCensus as its child")
	}
	_, err := Run(context.Background(), RunConfig{DSN: dsn, Workers: 2, Version: "test", Limits: limits(), Client: clientAt(url), Tune: tune,
		Progress: func(s Status) { fmt.Fprintf(os.Stderr, "child: %+v\n", s.Progress) }})
	fmt.Fprintf(os.Stderr, "child: the census ended before it was killed: %v\n", err)
	select {} // killed here, if the census did not end first
}

// TestKillMidCensus: a census killed with SIGKILL in the middle resumes when run again, and
// every model ends audited exactly once.
func TestKillMidCensus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the kill test waits for River to rescue the killed jobs")
	}
	for name, dsnFor := range storetest.DSNs() {
		t.Run(name, func(t *testing.T) {
			dsn := dsnFor(t)
			h := censustest.New(t, censustest.Config{Models: 300, Latency: 15 * time.Millisecond, Limits: testLimits, Window: testWindow, PageSize: 100, Seed: 7})
			child := exec.Command(os.Args[0], "-test.run=^TestCensusHelperProcess$")
			child.Env = append(os.Environ(), "GLASSBOX_CENSUS_HELPER_DSN="+dsn, "GLASSBOX_CENSUS_HELPER_HUB="+h.URL())
			var out bytes.Buffer
			child.Stdout, child.Stderr = &out, &out
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			defer child.Process.Kill()
			done := waitDone(t, dsn, 40, 60*time.Second, &out, func() { _ = child.Process.Signal(syscall.SIGQUIT); time.Sleep(2 * time.Second) })
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait()
			if done >= 300 {
				t.Fatalf("the census finished (%d done) before it could be killed", done)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			s, err := Run(ctx, RunConfig{DSN: dsn, Workers: 4, Version: "test", Limits: limits(), Client: client(h),
				Interval: 50 * time.Millisecond, JobTimeout: 5 * time.Second, RescueAfter: 6 * time.Second, Tune: tune})
			if err != nil || s.State != StateFinished || s.Listed != 300 || s.Audited != 300 {
				t.Fatalf("after the restart: %+v (%v), want 300 listed and audited", s.Progress, err)
			}
			for id, n := range auditCounts(t, dsn, h.IDs()) {
				if n != 1 {
					t.Errorf("%s has %d audits after the kill and restart, want 1", id, n)
				}
			}
		})
	}
}

// waitDone waits until at least n models of the store's census are done, returning how many;
// it fails the test with the child's output when they never are.
func waitDone(t *testing.T, dsn string, n int, limit time.Duration, out *bytes.Buffer, dump func()) int {
	t.Helper()
	ctx := context.Background()
	d := openDB(t, dsn)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if c, err := d.byKey(ctx, Params{}.Key()); err == nil {
			if p, err := d.progress(ctx, c); err == nil && p.Done() >= n {
				return p.Done()
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	dump()
	t.Fatalf("the child census never audited %d models; its output:\n%s", n, out)
	return 0
}
