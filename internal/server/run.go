package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/glassbox-dev/glassbox/internal/census"
	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// RunConfig is what `glassbox serve` and `glassbox worker` are given.
type RunConfig struct {
	// Addr is where the server listens (default 127.0.0.1:8080).
	Addr string
	// DSN names the store (store.Open's forms; "" is the default SQLite file).
	DSN string
	// Workers is how many audits run at once in this process (serve: default 2; 0 with
	// NoWorkers leaves the queue to `glassbox worker` processes).
	Workers   int
	NoWorkers bool
	// ReadRate and WriteRate are the requests and writes one client may make a minute (0:
	// the defaults, 600 and 30).
	ReadRate, WriteRate int
	// MetricsAddr, for Work, is where a worker serves /metrics ("" for nowhere).
	MetricsAddr string
	// ReauditEvery is how often the stored models are swept for Hub repositories that moved
	// on, each queued for a new audit (0: never).
	ReauditEvery time.Duration
	// Version is glassbox's version, recorded with every audit.
	Version string
	Logger  *slog.Logger
	// Ready, when set, is called with the listening address once the server accepts
	// connections.
	Ready func(addr string)
}

// openQueue opens the store and the queue, with workers that audit into the store and run the
// jobs of any census in it.
func openQueue(ctx context.Context, cfg RunConfig, workers int, m *Metrics) (store.Store, queue.Queue, *census.Service, error) {
	st, err := store.Open(ctx, cfg.DSN)
	if err != nil {
		return nil, nil, nil, err
	}
	opts := target.Options{Version: cfg.Version, Links: true, Sleep: m.HubSleep, Transport: m.HubTransport(nil)}
	cc := hub.NewClient(cfg.Version)
	cc.Transport = m.HubTransport(nil)
	client, _, err := census.SharedClient(st, cc, cfg.Version, nil)
	var svc *census.Service
	if err == nil {
		svc, err = census.New(census.Config{Store: st, Client: client, Version: cfg.Version})
	}
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	q, err := queue.Open(ctx, cfg.DSN, queue.Config{Workers: workers, Audit: m.CountAudits(queue.Auditor(st, opts)),
		ReauditEvery: cfg.ReauditEvery, Stale: queue.Stale(st, queue.HubHead(cfg.Version)),
		Register: svc.Register, Queues: map[string]int{census.QueueName: workers}})
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	svc.SetQueue(q)
	return st, q, svc, nil
}

// Serve runs the web service and, unless NoWorkers, audit workers, until ctx ends; it then stops
// taking requests, lets running requests and audits finish (30 s at most) and returns.
func Serve(ctx context.Context, cfg RunConfig) error {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	workers := cfg.Workers
	if cfg.NoWorkers {
		workers = 0
	} else if workers <= 0 {
		workers = 2
	}
	metrics := NewMetrics()
	st, q, svc, err := openQueue(ctx, cfg, workers, metrics)
	if err != nil {
		return err
	}
	defer st.Close()
	defer q.Close()
	metrics.WatchCensus(svc)
	if workers > 0 {
		if err := q.Start(ctx); err != nil {
			return fmt.Errorf("serve: starting workers: %v", err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	srv := &http.Server{Handler: New(Config{Store: st, Queue: q, Census: censusHook(svc), Logger: cfg.Logger, Metrics: metrics, ReadRate: cfg.ReadRate, WriteRate: cfg.WriteRate}), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	cfg.Logger.Info("serving", "addr", ln.Addr().String(), "workers", workers)
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = srv.Shutdown(shut)
	if workers > 0 {
		err = errors.Join(err, q.Stop(shut))
	}
	cfg.Logger.Info("stopped")
	return err
}

// Work runs audit workers (default 2) on the queue until ctx ends, then lets running audits
// finish (30 s at most).
func Work(ctx context.Context, cfg RunConfig) error {
	workers := cfg.Workers
	if workers <= 0 {
		workers = 2
	}
	metrics := NewMetrics()
	st, q, svc, err := openQueue(ctx, cfg, workers, metrics)
	if err != nil {
		return err
	}
	defer st.Close()
	defer q.Close()
	metrics.WatchCensus(svc)
	if cfg.MetricsAddr != "" {
		metrics.WatchQueue(q)
		stop, err := serveMetrics(cfg, metrics)
		if err != nil {
			return err
		}
		defer stop()
	}
	if err := q.Start(ctx); err != nil {
		return fmt.Errorf("worker: %v", err)
	}
	if cfg.Logger != nil {
		cfg.Logger.Info("working", "workers", workers)
	}
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return q.Stop(shut)
}

// CreateToken makes a new write token in the store a DSN names.
func CreateToken(ctx context.Context, dsn string) (string, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer st.Close()
	return st.CreateToken(ctx)
}

// serveMetrics serves a worker's /metrics on cfg.MetricsAddr until the returned stop is called.
func serveMetrics(cfg RunConfig, m *Metrics) (stop func(), err error) {
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("worker: metrics: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr().String())
	}
	return func() { _ = srv.Close() }, nil
}

// censusHook gives the dashboard the latest census of the store.
func censusHook(svc *census.Service) func(ctx context.Context) (report.Meta, *report.Summary, error) {
	return func(ctx context.Context) (report.Meta, *report.Summary, error) {
		m, sum, err := svc.Summary(ctx)
		if errors.Is(err, census.ErrNoCensus) {
			return m, nil, fmt.Errorf("%w: %v", ErrNoCensus, err)
		}
		return m, sum, err
	}
}
