package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// server is a `glassbox serve` child process on loopback.
type server struct {
	cmd  *exec.Cmd
	base string
}

// startServer runs glassbox serve over dsn with no workers, no re-audit and rate limits
// high enough for one client's load, and waits for /healthz.
func startServer(bin, dsn string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", dsn, "--no-workers", "--reaudit-every", "0", "--read-rate", "100000000")
	cmd.Stderr = nil // the request log would drown the results
	cmd.Env = append(os.Environ(), "GLASSBOX_LOG_JSON=")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(s.base + "/healthz"); err == nil {
			res.Body.Close()
			return s, nil
		}
	}
	s.stop()
	return nil, fmt.Errorf("glassbox serve did not answer on %s", addr)
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
}

// peakRSS is the child's peak resident set (VmHWM), in bytes.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// targeter makes the requests of a mix: "model" pages of random stored models, or
// "leaderboard" pages with a random filter, sort and page.
func targeter(base, mix string, n int) vegeta.Targeter {
	rng := rand.New(rand.NewPCG(1, 2))
	filters := []string{"min_tier=open-weights", "license=apache-2.0", "finding=openwashing", "tier=closed&sort=osai", "q=org04", "library=gguf&sort=tier", "restriction=none", "sort=recent"}
	return func(t *vegeta.Target) error {
		t.Method = "GET"
		if mix == "model" {
			m := modelName(rng.IntN(n))
			t.URL = base + "/models/" + m.Org + "/" + m.Name
			return nil
		}
		t.URL = fmt.Sprintf("%s/?%s&offset=%d", base, filters[rng.IntN(len(filters))], 50*rng.IntN(20))
		return nil
	}
}

// attack runs one mix at rate for d and summarises it.
func attack(base, mix string, n, rate int, d time.Duration) string {
	atk := vegeta.NewAttacker(vegeta.Timeout(30*time.Second), vegeta.MaxWorkers(256), vegeta.KeepAlive(true))
	var m vegeta.Metrics
	for res := range atk.Attack(targeter(base, mix, n), vegeta.Rate{Freq: rate, Per: time.Second}, d, mix) {
		m.Add(res)
	}
	m.Close()
	return fmt.Sprintf("%d requests at %d/s for %s: success %.2f%%, p50 %s, p95 %s, p99 %s, max %s, throughput %.1f/s, status %v",
		m.Requests, rate, d, m.Success*100, m.Latencies.P50.Round(10*time.Microsecond), m.Latencies.P95.Round(10*time.Microsecond),
		m.Latencies.P99.Round(10*time.Microsecond), m.Latencies.Max.Round(10*time.Microsecond), m.Throughput, m.StatusCodes)
}
