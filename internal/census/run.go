package census

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/ratelimit"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// RunConfig is what `glassbox census` is given.
type RunConfig struct {
	// DSN names the store (store.Open's forms; "" the default SQLite file of `glassbox serve`).
	DSN    string
	Params Params
	// Workers is how many models this process audits at once (default 8); NoWorkers leaves the
	// work to `glassbox worker` processes and only follows the census.
	Workers   int
	NoWorkers bool
	Version   string
	// Limits are the Hub's requests per window per bucket (nil: ratelimit.FreeAccount with a
	// token, else ratelimit.Anonymous).
	Limits ratelimit.Limits
	// Client reads the Hub (nil: hub.NewClient from the environment); Run gives it the
	// census's shared rate limiter.
	Client *hub.Client
	// Progress, when set, is called about every Interval (default 1 s) with the census's state.
	Progress func(Status)
	Interval time.Duration
	// JobTimeout and RescueAfter tune the queue (queue.Config); zero means 5 and 6 minutes, so
	// that jobs a killed census held are taken over by the next run within minutes (the
	// queue's own defaults, for single audits, are 15 and 16).
	JobTimeout, RescueAfter time.Duration
	// Tune, when set, adjusts the rate limiter before the first request (tests scale the
	// Hub's windows down).
	Tune func(*ratelimit.Limiter)
}

// Status is a census's progress with what this process measured of it.
type Status struct {
	Progress
	Params  Params
	Elapsed time.Duration
	// Rate is models done per second since this process started following the census; ETA the
	// time left at that rate (0 when unknown: the listing's length is not known yet).
	Rate float64
	ETA  time.Duration
	// Limiter is the shared rate limiter's view, per bucket.
	Limiter map[ratelimit.Bucket]ratelimit.Stats
}

// Run starts (or continues, or refreshes) the census of cfg.Params, runs its jobs in this
// process until it is finished or ctx ends, and returns its last Status. Stopping early loses
// nothing: running it again continues.
func Run(ctx context.Context, cfg RunConfig) (Status, error) {
	st, err := store.Open(ctx, cfg.DSN)
	if err != nil {
		return Status{}, err
	}
	defer st.Close()
	client, limiter, err := SharedClient(st, cfg.Client, cfg.Version, cfg.Limits)
	if err != nil {
		return Status{}, err
	}
	if cfg.Tune != nil {
		cfg.Tune(limiter)
	}
	svc, err := New(Config{Store: st, Client: client, Version: cfg.Version})
	if err != nil {
		return Status{}, err
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = 8
	}
	qc := queue.Config{JobTimeout: cmp.Or(cfg.JobTimeout, 5*time.Minute), RescueAfter: cmp.Or(cfg.RescueAfter, 6*time.Minute)}
	if !cfg.NoWorkers {
		qc.Workers, qc.Audit = 1, queue.Auditor(st, target.Options{Version: cfg.Version})
		qc.Register, qc.Queues = svc.Register, map[string]int{QueueName: workers}
	}
	q, err := queue.Open(ctx, cfg.DSN, qc)
	if err != nil {
		return Status{}, err
	}
	defer q.Close()
	svc.SetQueue(q)
	c, err := svc.Start(ctx, cfg.Params)
	if err != nil {
		return Status{}, err
	}
	if !cfg.NoWorkers {
		if err := q.Start(ctx); err != nil {
			return Status{}, fmt.Errorf("census: starting workers: %v", err)
		}
		defer func() {
			stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = q.Stop(stop)
		}()
	}
	return follow(ctx, svc, c, limiter, cfg)
}

// follow reports the census's progress until it is finished or ctx ends.
func follow(ctx context.Context, svc *Service, c *Census, limiter *ratelimit.Limiter, cfg RunConfig) (Status, error) {
	every := cfg.Interval
	if every <= 0 {
		every = time.Second
	}
	start := time.Now()
	first, err := svc.Progress(ctx, c)
	if err != nil {
		return Status{}, err
	}
	for {
		asked := time.Now()
		p, err := svc.Progress(context.WithoutCancel(ctx), c)
		if err != nil {
			return Status{}, err
		}
		s := status(c, p, first, time.Since(start), limiter)
		if cfg.Progress != nil {
			cfg.Progress(s)
		}
		if p.State == StateFinished {
			return s, nil
		}
		// Counting a whole-Hub census's models takes a while: the next count waits long
		// enough that counting never takes more than a twentieth of the database's time.
		t := time.NewTimer(max(every, 20*time.Since(asked)))
		select {
		case <-ctx.Done():
			t.Stop()
			return s, ctx.Err()
		case <-t.C:
		}
	}
}

// status measures a census's rate and time left from two progress readings.
func status(c *Census, p, first Progress, elapsed time.Duration, limiter *ratelimit.Limiter) Status {
	s := Status{Progress: p, Params: c.Params, Elapsed: elapsed}
	if limiter != nil {
		s.Limiter = limiter.Stats()
	}
	if elapsed > 0 {
		s.Rate = float64(p.Done()-first.Done()) / elapsed.Seconds()
	}
	left := p.Pending
	if p.State == StateListing {
		if c.Params.Limit == 0 {
			return s // the listing's length is not known yet
		}
		left = c.Params.Limit - p.Done()
	}
	if s.Rate > 0 && left > 0 {
		s.ETA = time.Duration(float64(left) / s.Rate * float64(time.Second))
	}
	return s
}

// SharedClient prepares a Hub client for census work: every request waits on the rate limiter
// all processes of the store share (fed by the Hub's RateLimit headers) and counts against the
// job that made it; the limiter, not the client, does the waiting, so no wait is refused.
func SharedClient(st store.Store, c *hub.Client, version string, lim ratelimit.Limits) (*hub.Client, *ratelimit.Limiter, error) {
	db, pg := store.SQL(st)
	if db == nil {
		return nil, nil, errors.New("census: the store is not a database store")
	}
	if c == nil {
		c = hub.NewClient(version)
	}
	if lim == nil {
		lim = ratelimit.Anonymous
		if c.Token != "" {
			lim = ratelimit.FreeAccount
		}
	}
	host := c.Endpoint
	if u, err := url.Parse(c.Endpoint); err == nil && u.Host != "" {
		host = u.Host
	}
	limiter := ratelimit.New(ratelimit.NewSQL(db, pg), host, lim)
	c.Transport = limiter.Transport(CountingTransport(c.Transport))
	c.WaitLimit = -1
	return c, limiter, nil
}
