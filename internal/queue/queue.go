// Package queue runs audits as jobs in River (riverqueue/river), in the same database as the
// store: the embedded SQLite file by default (riversqlite) or PostgreSQL (riverpgxv5), so that
// `glassbox serve` and any number of `glassbox worker` processes share one queue. A job is
// retried with backoff when it fails, is unique per target while it is queued or running, and a
// job whose worker was killed is rescued and run again; its report is saved in one transaction,
// so a killed worker leaves nothing half-written.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/glassbox-dev/glassbox/internal/store"
)

// AuditArgs is one audit job: a target (hf:ORG/NAME[@REV] or gh:ORG/REPO[@REF]).
type AuditArgs struct {
	Target string `json:"target" river:"unique"`
}

// Kind implements river.JobArgs.
func (AuditArgs) Kind() string { return "audit" }

// InsertOpts makes a target's job unique while it waits or runs; a finished audit can be asked
// for again (the repository may have moved on).
func (AuditArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: 5,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		}},
	}
}

// AuditFunc runs one audit and stores its report, returning the stored audit's id.
type AuditFunc func(ctx context.Context, target string) (auditID string, err error)

// Status of a job, as the REST API reports it.
const (
	Queued  = "queued"
	Running = "running"
	Done    = "done"
	Failed  = "failed"
)

// Job is what a client may know of an audit job.
type Job struct {
	ID     string `json:"id"`
	Target string `json:"target"`
	Status string `json:"status"`
	// Audit is the stored audit's id once the job is done.
	Audit string `json:"audit,omitempty"`
	// Error is the last attempt's error, for failed jobs and jobs waiting to retry.
	Error    string `json:"error,omitempty"`
	Attempts int    `json:"attempts"`
}

// Config says how a queue works.
type Config struct {
	// Workers is how many audits run at once in this process; 0 makes a client that only
	// submits and reads jobs.
	Workers int
	// Audit runs a job; it is required when Workers > 0.
	Audit AuditFunc
	// JobTimeout bounds one attempt (default 15 minutes); a job running longer than that and
	// RescueAfter is taken to have lost its worker and is run again.
	JobTimeout, RescueAfter time.Duration
	// ReauditEvery, when positive with workers and Stale set, sweeps the stored models that
	// often and queues an audit of each target Stale names (the leader of the processes
	// sharing the queue does; the first sweep is one interval after start).
	ReauditEvery time.Duration
	Stale        StaleFunc
	// Register, when set with workers, adds more kinds of job (the census's) to this process's
	// workers; they run in the River queues Queues names, with that many workers each. Those
	// queues are throughput queues: fetched again 5 ms after a job ends and polled every 200 ms
	// (River's defaults, 100 ms and 1 s, cap a queue of short jobs near MaxWorkers per 100 ms).
	Register func(w *river.Workers)
	Queues   map[string]int
}

// Queue submits audit jobs and, with workers, runs them.
type Queue interface {
	// Submit queues an audit of target; a target already queued or running gives that job.
	Submit(ctx context.Context, target string) (Job, error)
	// Get reports a job's state.
	Get(ctx context.Context, id string) (Job, error)
	// Start runs the workers until Stop; Stop waits for running jobs to finish or ctx to end.
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	// Depth counts the audit jobs in the queue by status (queued, running, done, failed), for
	// every process sharing it.
	Depth(ctx context.Context) (map[string]int, error)
	// InsertMany queues jobs of any registered kind (a census's pages and models), each with its
	// own options; a job unique by its arguments that already exists is not queued again.
	// It returns how many were new.
	InsertMany(ctx context.Context, jobs []river.InsertManyParams) (int, error)
	Close() error
}

// ErrNotFound means no job has that id.
var ErrNotFound = errors.New("no such job")

// Open connects to the queue of the store a DSN names (store.Open's forms) and brings River's
// schema up to date.
func Open(ctx context.Context, dsn string, cfg Config) (Queue, error) {
	if cfg.Workers > 0 && cfg.Audit == nil {
		return nil, errors.New("queue: workers need an audit function")
	}
	if store.IsPostgres(dsn) {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("queue: %v", err)
		}
		q, err := newQueue(ctx, riverpgxv5.New(pool), cfg, pool.Close, pgxStates(pool))
		if err != nil {
			pool.Close()
		}
		return q, err
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		path = filepath.Join(store.DataDir(), "glassbox.db")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, fmt.Errorf("queue: %s: %v", path, err)
	}
	// River works SQLite through one connection (its driver's advice).
	db.SetMaxOpenConns(1)
	q, err := newQueue(ctx, riversqlite.New(db), cfg, func() { db.Close() }, sqlStates(db))
	if err != nil {
		db.Close()
	}
	return q, err
}

// riverQueue is Queue over a River client of either driver.
type riverQueue[TTx any] struct {
	client *river.Client[TTx]
	close  func()
	states stateCounter
}

func newQueue[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], cfg Config, closeFn func(), states stateCounter) (Queue, error) {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return nil, fmt.Errorf("queue: %v", err)
	}
	if err := migrateRiver(ctx, m); err != nil {
		return nil, fmt.Errorf("queue: migrating River's tables: %v", err)
	}
	rc := &river.Config{JobTimeout: cfg.JobTimeout, RescueStuckJobsAfter: cfg.RescueAfter}
	if rc.JobTimeout == 0 {
		rc.JobTimeout = 15 * time.Minute
	}
	if rc.RescueStuckJobsAfter == 0 {
		rc.RescueStuckJobsAfter = rc.JobTimeout + time.Minute
	}
	q := &riverQueue[TTx]{close: closeFn, states: states}
	if cfg.Workers > 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, &auditWorker{audit: cfg.Audit})
		river.AddWorker(workers, &reauditWorker{stale: cfg.Stale, submit: q.Submit})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		if cfg.Register != nil {
			cfg.Register(workers)
			for name, n := range cfg.Queues {
				rc.Queues[name] = river.QueueConfig{MaxWorkers: max(1, n), FetchCooldown: 5 * time.Millisecond, FetchPollInterval: 200 * time.Millisecond}
			}
		}
		if cfg.ReauditEvery > 0 && cfg.Stale != nil {
			rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.ReauditEvery),
				func() (river.JobArgs, *river.InsertOpts) { return ReauditArgs{}, nil }, &river.PeriodicJobOpts{ID: "reaudit"})}
		}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("queue: %v", err)
	}
	q.client = client
	return q, nil
}

// migrateRiver brings River's tables up to date. Processes starting together on a new database
// race to create them; the one that lost tries again and finds them made.
func migrateRiver[TTx any](ctx context.Context, m *rivermigrate.Migrator[TTx]) error {
	for attempt := 0; ; attempt++ {
		_, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err == nil || attempt == 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
}

// auditWorker runs audit jobs.
type auditWorker struct {
	river.WorkerDefaults[AuditArgs]
	audit AuditFunc
}

// Work audits the target and records the stored audit's id as the job's output.
func (w *auditWorker) Work(ctx context.Context, job *river.Job[AuditArgs]) error {
	id, err := w.audit(ctx, job.Args.Target)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]string{"audit": id})
}

func (q *riverQueue[TTx]) Submit(ctx context.Context, target string) (Job, error) {
	res, err := q.client.Insert(ctx, AuditArgs{Target: target}, nil)
	if err != nil {
		return Job{}, fmt.Errorf("queue: submitting %s: %v", target, err)
	}
	return jobOf(res.Job), nil
}

func (q *riverQueue[TTx]) Get(ctx context.Context, id string) (Job, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Job{}, ErrNotFound
	}
	row, err := q.client.JobGet(ctx, n)
	if errors.Is(err, river.ErrNotFound) {
		return Job{}, ErrNotFound
	}
	if err != nil {
		return Job{}, err
	}
	if row.Kind != (AuditArgs{}).Kind() {
		return Job{}, ErrNotFound
	}
	return jobOf(row), nil
}

func (q *riverQueue[TTx]) InsertMany(ctx context.Context, jobs []river.InsertManyParams) (int, error) {
	if len(jobs) == 0 {
		return 0, nil
	}
	res, err := q.client.InsertMany(ctx, jobs)
	if err != nil {
		return 0, fmt.Errorf("queue: %v", err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}

func (q *riverQueue[TTx]) Start(ctx context.Context) error { return q.client.Start(ctx) }
func (q *riverQueue[TTx]) Stop(ctx context.Context) error  { return q.client.Stop(ctx) }
func (q *riverQueue[TTx]) Close() error {
	q.close()
	return nil
}
