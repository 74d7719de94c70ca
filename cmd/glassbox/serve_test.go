package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeEndToEnd: token create, serve, submit an audit of a fake Hub model, watch the job
// finish, read the report and the model page, and stop on the context.
func TestServeEndToEnd(t *testing.T) {
	fake := hubtest.New(t, hubtest.Fixtures(t)...)
	t.Setenv("HF_ENDPOINT", fake.URL)
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("GLASSBOX_CACHE_DIR", t.TempDir())
	db := filepath.Join(t.TempDir(), "glassbox.db")

	var out, errb bytes.Buffer
	if code := run([]string{"token", "create", "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "gbx_") {
		t.Fatalf("token create printed %q as its last line", token)
	}

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var serveErr bytes.Buffer
	go func() {
		done <- runContext(ctx, []string{"serve", "--addr", addr, "--db", db, "--workers", "1"}, io.Discard, &serveErr)
	}()
	base := "http://" + addr
	waitHTTP(t, base+"/healthz", done, &serveErr)

	post := func(tok string) *http.Response {
		req, _ := http.NewRequest("POST", base+"/api/v1/audits", strings.NewReader(`{"target": "hf:meta-llama/Llama-3.2-1B"}`))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := post(""); res.StatusCode != 401 {
		t.Errorf("submit without a token: %d, want 401", res.StatusCode)
	}
	res := post(token)
	var job struct{ ID, Status, Error string }
	_ = json.NewDecoder(res.Body).Decode(&job)
	res.Body.Close()
	if res.StatusCode != 202 || job.Status != "queued" {
		t.Fatalf("submit: %d %+v, want 202 queued", res.StatusCode, job)
	}
	deadline := time.Now().Add(60 * time.Second)
	for job.Status != "done" {
		if job.Status == "failed" || time.Now().After(deadline) {
			t.Fatalf("job %+v; serve said: %s", job, serveErr.String())
		}
		time.Sleep(50 * time.Millisecond)
		r, err := http.Get(base + "/api/v1/audits/" + job.ID)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(r.Body).Decode(&job)
		r.Body.Close()
	}
	r, err := http.Get(base + "/api/v1/models/meta-llama/Llama-3.2-1B")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema string `json:"schema"`
		Tier   struct{ Label string }
	}
	_ = json.NewDecoder(r.Body).Decode(&doc)
	r.Body.Close()
	if r.StatusCode != 200 || doc.Schema != "glassbox.report/v1" || doc.Tier.Label != "weights-available" {
		t.Errorf("model report: %d %+v", r.StatusCode, doc)
	}
	if r, err := http.Get(base + "/models/meta-llama/Llama-3.2-1B"); err != nil || r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("model page: %v %v", r, err)
	}
	// The other forms are rendered from the snapshot kept with the audit.
	for format, want := range map[string]string{
		"md": ": Weights Available\n\nTarget `hf:meta-llama/Llama-3.2-1B", "html": "<!doctype html>", "cyclonedx": `"bomFormat": "CycloneDX"`, "spdx": `"@context"`,
	} {
		r, err := http.Get(base + "/models/meta-llama/Llama-3.2-1B/report." + format)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 200 || !strings.Contains(string(body), want) || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("report.%s: %d, %d bytes, disposition %q; want 200 with %q", format, r.StatusCode, len(body), r.Header.Get("Content-Disposition"), want)
		}
	}
	if r, err := http.Get(base + "/models/meta-llama/Llama-3.2-1B/report.html?inline=1"); err != nil || r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("the full report inline: %v %v", r, err)
	}
	if r, err := http.Get(base + "/models/meta-llama/Llama-3.2-1B/report.exe"); err != nil || r.StatusCode != 404 {
		t.Errorf("report.exe: %v %v, want 404", r, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after the context ended: %s", code, serveErr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop after the context ended")
	}
}

// waitHTTP polls url until it answers 200, failing if the server exits first.
func waitHTTP(t *testing.T, url string, exited chan int, log fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-exited:
			t.Fatalf("the server exited %d: %s", code, log.String())
		default:
		}
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

// TestReauditEveryFromEnv: a malformed GLASSBOX_REAUDIT_EVERY is a usage error, not a silent
// default.
func TestReauditEveryFromEnv(t *testing.T) {
	t.Setenv("GLASSBOX_REAUDIT_EVERY", "daily")
	var out, errb bytes.Buffer
	if code := run([]string{"worker", "--db", filepath.Join(t.TempDir(), "g.db")}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "GLASSBOX_REAUDIT_EVERY") {
		t.Errorf("exit %d, stderr %q; want 2 naming the variable", code, errb.String())
	}
}

// TestWorkerMetrics: a worker with --metrics-addr serves its own /metrics, with the shared
// queue's depth, and stops on the context.
func TestWorkerMetrics(t *testing.T) {
	db := filepath.Join(t.TempDir(), "glassbox.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		done <- runContext(ctx, []string{"worker", "--db", db, "--metrics-addr", addr, "--reaudit-every", "0"}, io.Discard, &errb)
	}()
	waitHTTP(t, "http://"+addr+"/metrics", done, &errb)
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`glassbox_queue_jobs{status="queued"} 0`, `glassbox_audits_total{outcome="done"} 0`} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("worker metrics lack %q", want)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("worker exited %d: %s", code, errb.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("the worker did not stop after the context ended")
	}
}
