package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/server"
)

// serveFlags are the flags serve and worker share; each defaults to its GLASSBOX_* variable.
type serveFlags struct {
	addr, db  string
	workers   int
	noWorkers bool
	jsonLogs  bool
	reaudit   time.Duration
	readRate  int
	writeRate int
	metrics   string
	envErr    error
}

func (f *serveFlags) add(c *cobra.Command, withAddr bool) {
	if withAddr {
		c.Flags().StringVar(&f.addr, "addr", envOr("GLASSBOX_ADDR", "127.0.0.1:8080"), "address to listen on (GLASSBOX_ADDR)")
		c.Flags().BoolVar(&f.noWorkers, "no-workers", false, "run no audits in this process; leave the queue to 'glassbox worker' processes")
		c.Flags().IntVar(&f.readRate, "read-rate", f.envInt("GLASSBOX_READ_RATE"), "requests one client (IP address) may make a minute (GLASSBOX_READ_RATE; default 600)")
		c.Flags().IntVar(&f.writeRate, "write-rate", f.envInt("GLASSBOX_WRITE_RATE"), "audit submissions one client may make a minute (GLASSBOX_WRITE_RATE; default 30)")
	}
	c.Flags().StringVar(&f.db, "db", os.Getenv("GLASSBOX_DB"), "the store: postgres://… for PostgreSQL, a file path (or sqlite:PATH) for SQLite; default glassbox.db under $GLASSBOX_DATA_DIR, else $XDG_DATA_HOME/glassbox, else ~/.local/share/glassbox (GLASSBOX_DB)")
	n, _ := strconv.Atoi(os.Getenv("GLASSBOX_WORKERS"))
	c.Flags().IntVar(&f.workers, "workers", n, "audits run at once by this process (GLASSBOX_WORKERS; default 2)")
	every, err := time.ParseDuration(envOr("GLASSBOX_REAUDIT_EVERY", "24h"))
	if err != nil {
		f.envErr = fmt.Errorf("GLASSBOX_REAUDIT_EVERY: %v", err)
	}
	c.Flags().DurationVar(&f.reaudit, "reaudit-every", every, "how often to look for stored models whose Hub repository moved on and queue them for a new audit; 0 never (GLASSBOX_REAUDIT_EVERY)")
	c.Flags().BoolVar(&f.jsonLogs, "log-json", os.Getenv("GLASSBOX_LOG_JSON") != "", "write logs as JSON lines (GLASSBOX_LOG_JSON)")
}

func (f *serveFlags) config(stderr io.Writer) server.RunConfig {
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if f.jsonLogs {
		h = slog.NewJSONHandler(stderr, nil)
	}
	return server.RunConfig{Addr: f.addr, DSN: f.db, Workers: f.workers, NoWorkers: f.noWorkers, ReauditEvery: f.reaudit, ReadRate: f.readRate, WriteRate: f.writeRate, MetricsAddr: f.metrics, Version: version, Logger: slog.New(h)}
}

// envInt reads a whole number from a variable (0 when unset), noting a malformed one.
func (f *serveFlags) envInt(name string) int {
	v := os.Getenv(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		f.envErr = fmt.Errorf("%s: %q is not a whole number", name, v)
	}
	return n
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// untilSignal is a context that ends on SIGINT or SIGTERM, for a graceful shutdown.
func untilSignal(parent context.Context) (context.Context, context.CancelFunc) {
	if parent == nil {
		parent = context.Background()
	}
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

func newServe(stderr io.Writer) *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--db DSN]",
		Short: "Run the web UI and REST API over a store of audits, with audit workers",
		Long: `Serve the web UI and the REST API (/api/v1, OpenAPI at /api/v1/openapi.json) over the store of
audits, and run audit workers on its queue. Reading is public; submitting audits needs a write
token ('glassbox token create'). Only Hugging Face Hub targets (hf:ORG/NAME[@REV]) are accepted.

Pages: / (leaderboard with filters), /models/ORG/NAME (criteria, findings, licences, history
with what changed between audits, JSON download at /models/ORG/NAME/report.json[?revision=]),
/compare?m=ORG/NAME&m=ORG/NAME (side by side), /audit (a form: target and write token,
CSRF-protected) leading to /audits/ID (live progress), /badge/ORG/NAME.svg. Operations:
/healthz, /readyz, /metrics (Prometheus).

The store is embedded SQLite by default, or PostgreSQL with --db postgres://…; more workers,
on other machines, share the queue with 'glassbox worker --db DSN'. Every --reaudit-every
(default 24h; 0 never) the stored Hub models whose repository moved on are queued for a new
audit. SIGINT or SIGTERM stops taking requests and lets running audits end.`,
		Example: `  glassbox serve
  glassbox serve --addr 0.0.0.0:8080 --db postgres://glassbox@db/glassbox
  curl -H "Authorization: Bearer $TOKEN" -d '{"target":"hf:allenai/OLMo-2-1124-7B"}' http://127.0.0.1:8080/api/v1/audits`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.envErr != nil {
				return usageErr("%v", f.envErr)
			}
			if f.readRate < 0 || f.writeRate < 0 {
				return usageErr("--read-rate and --write-rate are requests a minute, 0 or more")
			}
			ctx, stop := untilSignal(cmd.Context())
			defer stop()
			return unreadableErr(server.Serve(ctx, f.config(stderr)))
		},
	}
	f.add(c, true)
	return c
}

func newWorker(stderr io.Writer) *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "worker [--db DSN]",
		Short: "Run queued audits (more workers on more machines share one queue)",
		Long: `Run audits from the queue of the store --db names, until SIGINT or SIGTERM; running audits
are let finish. A worker killed outright loses no job: another worker runs it again.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.envErr != nil {
				return usageErr("%v", f.envErr)
			}
			ctx, stop := untilSignal(cmd.Context())
			defer stop()
			return unreadableErr(server.Work(ctx, f.config(stderr)))
		},
	}
	f.add(c, false)
	c.Flags().StringVar(&f.metrics, "metrics-addr", os.Getenv("GLASSBOX_METRICS_ADDR"), "serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9090 (GLASSBOX_METRICS_ADDR; default nowhere)")
	return c
}

func newToken(stdout io.Writer) *cobra.Command {
	var f serveFlags
	create := &cobra.Command{
		Use:   "create [--db DSN]",
		Short: "Make a new write token; it is printed once, as the last line, and stored only hashed",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			tok, err := server.CreateToken(cmd.Context(), f.db)
			if err != nil {
				return unreadableErr(err)
			}
			fmt.Fprintln(stdout, "A new write token (it cannot be shown again; send it as 'Authorization: Bearer TOKEN'):")
			fmt.Fprintln(stdout, tok)
			return nil
		},
	}
	f.add(create, false)
	c := &cobra.Command{Use: "token", Short: "Manage the server's write tokens"}
	c.AddCommand(create)
	return c
}

// unreadableErr gives a store or network failure the exit code of an unreadable input.
func unreadableErr(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{exitUnreadable, err}
}
