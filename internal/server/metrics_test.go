package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// metric reads one sample's value from a Prometheus text exposition; -1 when it is absent.
func metric(text, sample string) float64 {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

func TestMetricsChangeWithRequests(t *testing.T) {
	srv, _, _, tok := setup(t)
	_, before := do(t, "GET", srv.URL+"/metrics", "", "")
	for sample, want := range map[string]float64{
		`glassbox_audits_total{outcome="submitted"}`: 0,
		`glassbox_queue_jobs{status="queued"}`:       0,
		`glassbox_hub_waits_total`:                   0,
	} {
		if got := metric(before, sample); got != want {
			t.Errorf("before: %s = %v, want %v", sample, got, want)
		}
	}
	if res, body := do(t, "POST", srv.URL+"/api/v1/audits", tok, `{"target": "hf:acme/tiny"}`); res.StatusCode != 202 {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	do(t, "GET", srv.URL+"/api/v1/audits/1", "", "")
	do(t, "GET", srv.URL+"/api/v1/audits/1", "", "")
	_, after := do(t, "GET", srv.URL+"/metrics", "", "")
	for sample, want := range map[string]float64{
		`glassbox_audits_total{outcome="submitted"}`:                                                          1,
		`glassbox_queue_jobs{status="queued"}`:                                                                1,
		`glassbox_http_request_duration_seconds_count{method="GET",route="/api/v1/audits/{id}",status="200"}`: 2,
		`glassbox_http_request_duration_seconds_count{method="POST",route="/api/v1/audits",status="202"}`:     1,
		`glassbox_http_request_duration_seconds_count{method="GET",route="/metrics",status="200"}`:            1,
	} {
		if got := metric(after, sample); got != want {
			t.Errorf("after: %s = %v, want %v", sample, got, want)
		}
	}
}

func TestMetricsCountAuditsAndHubWaits(t *testing.T) {
	m := NewMetrics()
	ok := m.CountAudits(func(context.Context, string) (string, error) { return "1", nil })
	bad := m.CountAudits(func(context.Context, string) (string, error) { return "", errors.New("hub down") })
	ok(context.Background(), "hf:a/b")
	bad(context.Background(), "hf:a/c")
	bad(context.Background(), "hf:a/c")
	if err := m.HubSleep(context.Background(), 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.HubSleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait returned %v, want context.Canceled at once", err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	text := rec.Body.String()
	for sample, want := range map[string]float64{
		`glassbox_audits_total{outcome="done"}`:   1,
		`glassbox_audits_total{outcome="failed"}`: 2,
		`glassbox_hub_waits_total`:                2,
	} {
		if got := metric(text, sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}
	if s := metric(text, "glassbox_hub_wait_seconds_total"); s < 0.01 || s > 5 {
		t.Errorf("hub wait seconds %v, want the 10 ms slept (and not the hour refused)", s)
	}
}

// TestHubRequestsCounted: requests through the Hub transport are counted by answer class.
func TestHubRequestsCounted(t *testing.T) {
	codes := []int{200, 200, 404, 429, 503}
	i := 0
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(codes[i])
		i++
	}))
	defer hub.Close()
	m := NewMetrics()
	c := &http.Client{Transport: m.HubTransport(nil)}
	for range codes {
		res, err := c.Get(hub.URL)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if _, err := c.Get("http://127.0.0.1:1/closed"); err == nil {
		t.Fatal("a closed port answered")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for sample, want := range map[string]float64{
		`glassbox_hub_requests_total{answer="2xx"}`:   2,
		`glassbox_hub_requests_total{answer="4xx"}`:   1,
		`glassbox_hub_requests_total{answer="429"}`:   1,
		`glassbox_hub_requests_total{answer="5xx"}`:   1,
		`glassbox_hub_requests_total{answer="error"}`: 1,
	} {
		if got := metric(rec.Body.String(), sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}
}
