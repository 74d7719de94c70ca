package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census/censustest"
)

// TestCensusCommand: `glassbox census` against the fake Hub prints the summary line the issue
// names, running it again refreshes the same census, and `census report -o DIR` writes the
// HTML, CSV and Parquet files.
func TestCensusCommand(t *testing.T) {
	fakeCensusHub(t, 60, 3)
	db := filepath.Join(t.TempDir(), "g.db")
	line := regexp.MustCompile(`^census: 40 models listed · 40 audited · 0 unreadable · (\d+s|\d+m\d\ds) · 0\.\d\d requests/model\n$`)
	for round := 1; round <= 2; round++ {
		var out, errs bytes.Buffer
		if code := run([]string{"census", "--limit", "40", "--db", db, "--workers", "4", "--rate-limit", "free"}, &out, &errs); code != 0 {
			t.Fatalf("round %d: exit %d: %s", round, code, errs.String())
		}
		if !line.MatchString(out.String()) {
			t.Errorf("round %d: summary %q", round, out.String())
		}
	}
	dir := filepath.Join(t.TempDir(), "state")
	var out, errs bytes.Buffer
	if code := run([]string{"census", "report", "-o", dir, "--db", db}, &out, &errs); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errs.String())
	}
	for _, f := range []string{"index.html", "models.csv", "models.parquet", "models.jsonl", "state-of-openness.md"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("report did not list %s: %q", f, out.String())
		}
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "models.csv"))
	if lines := strings.Count(string(csv), "\n"); !strings.HasPrefix(string(csv), "id,") || lines != 41 {
		t.Errorf("models.csv: %d lines, starts %q; want a header with id first and 40 rows", lines, string(csv)[:min(len(csv), 40)])
	}
}

// TestCensusUsage: bad flags are usage errors.
func TestCensusUsage(t *testing.T) {
	for _, args := range [][]string{
		{"census", "--rate-limit", "lots"},
		{"census", "--rate-limit", "1,2"},
		{"census", "--limit", "-3"},
		{"census", "extra"},
		{"census", "report"},
	} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs.String())
		}
	}
}

// TestSpan: durations in the census's lines.
func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45s", 12*time.Minute + 5*time.Second: "12m05s", 3*time.Hour + 41*time.Minute + 20*time.Second: "3h41m", 0: "0s",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestCensusWithWorker: `glassbox census --no-workers` queues the census and follows it while a
// `glassbox worker` on the same store does the work.
func TestCensusWithWorker(t *testing.T) {
	fakeCensusHub(t, 40, 4)
	db := filepath.Join(t.TempDir(), "g.db")
	ctx, stop := context.WithCancel(context.Background())
	worker := make(chan int, 1)
	go func() {
		var out, errs bytes.Buffer
		worker <- runContext(ctx, []string{"worker", "--db", db, "--workers", "2", "--reaudit-every", "0"}, &out, &errs)
	}()
	var out, errs bytes.Buffer
	code := runContext(context.Background(), []string{"census", "--no-workers", "--limit", "25", "--db", db}, &out, &errs)
	stop()
	if code != 0 || !strings.HasPrefix(out.String(), "census: 25 models listed · 25 audited · 0 unreadable") {
		t.Errorf("census --no-workers: exit %d, %q (%s)", code, out.String(), errs.String())
	}
	select {
	case c := <-worker:
		if c != 0 {
			t.Errorf("worker exited %d", c)
		}
	case <-time.After(40 * time.Second):
		t.Error("the worker did not stop")
	}
}

// fakeCensusHub starts a census fake Hub and points this test's Hub client at it, anonymously.
func fakeCensusHub(t *testing.T, models int, seed int64) *censustest.Hub {
	h := censustest.New(t, censustest.Config{Models: models, Seed: seed})
	t.Setenv("HF_ENDPOINT", h.URL())
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HOME", t.TempDir())
	return h
}
