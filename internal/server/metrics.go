package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/glassbox-dev/glassbox/internal/queue"
)

// Metrics are the Prometheus metrics a glassbox process exposes at /metrics.
type Metrics struct {
	reg      *prometheus.Registry
	audits   *prometheus.CounterVec
	requests *prometheus.HistogramVec
	hubWaits prometheus.Counter
	hubSlept prometheus.Counter
	hubReqs  *prometheus.CounterVec
}

// NewMetrics makes the metrics, with Go's runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		audits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "glassbox_audits_total",
			Help: "Audits by outcome: submitted through this server, done or failed attempts run by this process's workers."}, []string{"outcome"}),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "glassbox_http_request_duration_seconds",
			Help: "HTTP request latencies by route pattern, method and status.", Buckets: prometheus.DefBuckets}, []string{"route", "method", "status"}),
		hubWaits: prometheus.NewCounter(prometheus.CounterOpts{Name: "glassbox_hub_waits_total",
			Help: "Waits before retrying a Hub request (rate limits and backoff after 429, 408 and 5xx answers)."}),
		hubSlept: prometheus.NewCounter(prometheus.CounterOpts{Name: "glassbox_hub_wait_seconds_total",
			Help: "Seconds spent waiting for the Hub before retries."}),
		hubReqs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "glassbox_hub_requests_total",
			Help: "Requests this process's audits sent to the Hub, by answer class (2xx, 3xx, 4xx, 429, 5xx, error)."}, []string{"answer"}),
	}
	for _, s := range []string{"submitted", queue.Done, queue.Failed} {
		m.audits.WithLabelValues(s)
	}
	m.reg.MustRegister(m.audits, m.requests, m.hubWaits, m.hubSlept, m.hubReqs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchQueue exposes the queue's depth by status, read from the queue at each scrape; only the
// first queue watched is.
func (m *Metrics) WatchQueue(q queue.Queue) {
	_ = m.reg.Register(depthCollector{q})
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// CountAudits wraps an audit function so that its outcomes are counted.
func (m *Metrics) CountAudits(f queue.AuditFunc) queue.AuditFunc {
	return func(ctx context.Context, target string) (string, error) {
		id, err := f(ctx, target)
		outcome := queue.Done
		if err != nil {
			outcome = queue.Failed
		}
		m.audits.WithLabelValues(outcome).Inc()
		return id, err
	}
}

// HubTransport counts the Hub requests made through base (nil: the default transport) by answer
// class.
func (m *Metrics) HubTransport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		res, err := base.RoundTrip(req)
		m.hubReqs.WithLabelValues(answerClass(res, err)).Inc()
		return res, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answerClass names an answer for the request counter, with a bounded set of labels.
func answerClass(res *http.Response, err error) string {
	switch {
	case err != nil:
		return "error"
	case res.StatusCode == http.StatusTooManyRequests:
		return "429"
	}
	return fmt.Sprintf("%dxx", res.StatusCode/100)
}

// HubSleep is a Hub client's wait between retries (target.Options.Sleep) that counts the
// waits and their length.
func (m *Metrics) HubSleep(ctx context.Context, d time.Duration) error {
	m.hubWaits.Inc()
	t := time.NewTimer(d)
	defer t.Stop()
	start := time.Now()
	defer func() { m.hubSlept.Add(time.Since(start).Seconds()) }()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// observe records each request's latency under its route pattern (never the raw path, so
// the label set stays bounded).
func (m *Metrics) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
	})
}

// depthCollector reads the queue's depth when scraped.
type depthCollector struct{ q queue.Queue }

// depthDesc describes the queue depth metric; made on first use, not at start-up.
var depthDesc = sync.OnceValue(func() *prometheus.Desc {
	return prometheus.NewDesc("glassbox_queue_jobs", "Audit jobs in the queue by status (all processes sharing it).", []string{"status"}, nil)
})

func (c depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc() }

func (c depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, err := c.q.Depth(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc(), err)
		return
	}
	for status, n := range depth {
		ch <- prometheus.MustNewConstMetric(depthDesc(), prometheus.GaugeValue, float64(n), status)
	}
}
