package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/glassbox-dev/glassbox/internal/census"
	"github.com/glassbox-dev/glassbox/internal/ratelimit"
)

func newCensus(stdout, stderr io.Writer) *cobra.Command {
	var p census.Params
	var db, limits string
	var workers int
	var noWorkers bool
	c := &cobra.Command{
		Use:   "census [--author ORG] [--filter TAG] [--limit N] [--deep] [--db DSN]",
		Short: "Audit every model a Hub listing returns, and keep the answer current",
		Long: `List the Hub's models (GET /api/models with expand=…, following its cursor) and audit each
one into the store of 'glassbox serve': from its listing entry alone (card metadata, file names,
parameter counts, gating; the report says "metadata only"), or with --deep also from its README
prose, licence texts and one weights header, every file read once per blob id across all models.
Base models and datasets are read once and shared by every child.

Listing pages and audits are jobs in the store's queue: stop the census (Ctrl-C) or kill it,
run the same command again, and it continues where it was, losing and repeating nothing. Run
it again once it finished and it starts a new round that re-audits only the models whose
commit changed. 'glassbox worker --db DSN' processes on other machines share the work (with
PostgreSQL; SQLite serves one machine), and every process keeps under one shared rate limit,
fed by the Hub's RateLimit headers.

Progress goes to standard error; the summary line to standard output. 'glassbox census report'
writes the state of openness the census found.`,
		Example: `  glassbox census --author meta-llama
  glassbox census --filter gguf --limit 5000 --deep --db postgres://glassbox@db/glassbox
  glassbox census report -o state-of-openness/`,
		Args: exactArgs(0, "no arguments (the query is given by --author, --filter, --search)"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			lim, err := parseLimits(limits)
			if err != nil {
				return usageErr("--rate-limit: %v", err)
			}
			if p.Limit < 0 || workers < 0 {
				return usageErr("--limit and --workers are 0 or more")
			}
			ctx, stop := untilSignal(cmd.Context())
			defer stop()
			show := progressPrinter(stderr)
			s, err := census.Run(ctx, census.RunConfig{DSN: db, Params: p, Workers: workers, NoWorkers: noWorkers,
				Version: version, Limits: lim, Progress: show})
			show(census.Status{}) // ends the progress line
			if err != nil && ctx.Err() == nil {
				return unreadableErr(err)
			}
			fmt.Fprintln(stdout, summaryLine(s))
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "census: stopped; run the same command again to continue")
			}
			if s.Error != "" {
				// The models listed were audited, but the listing is not the whole query.
				return unreadableErr(fmt.Errorf("census: %s", s.Error))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&p.Author, "author", "", "only the models of this user or organisation")
	f.StringVar(&p.Filter, "filter", "", "only the models with this tag (the Hub's filter=, e.g. gguf, license:mit, text-generation)")
	f.StringVar(&p.Search, "search", "", "only the models whose id contains this text")
	f.StringVar(&p.Sort, "sort", "", "listing order: downloads, likes, createdAt or lastModified (most first); default the Hub's")
	f.IntVar(&p.Limit, "limit", 0, "list at most this many models (0: all)")
	f.BoolVar(&p.Deep, "deep", false, "also read each model's README, licence texts and one weights header")
	f.StringVar(&db, "db", os.Getenv("GLASSBOX_DB"), "the store, as for 'glassbox serve': postgres://… or a SQLite file; default glassbox.db under $GLASSBOX_DATA_DIR, else $XDG_DATA_HOME/glassbox, else ~/.local/share/glassbox (GLASSBOX_DB)")
	f.IntVar(&workers, "workers", 8, "models this process audits at once")
	f.BoolVar(&noWorkers, "no-workers", false, "audit nothing here: queue the census for 'glassbox worker' processes and follow it")
	f.StringVar(&limits, "rate-limit", "", `the Hub's limits per 5-minute window: "anonymous" (api 500, resolvers 3000, pages 100), "free" (1000, 5000, 200) or API,RESOLVERS,PAGES; default free with a token (HF_TOKEN), else anonymous`)
	c.AddCommand(newCensusReport(stdout))
	return c
}

func newCensusReport(stdout io.Writer) *cobra.Command {
	var db, dir string
	c := &cobra.Command{
		Use:   "report -o DIR [--db DSN]",
		Short: "Write the state of openness the latest census found",
		Long: `Write into DIR the state of openness the latest census found: index.html (one self-contained
page with charts: tiers by count and by downloads, by month of creation and by organisation,
licence families and terms, inherited-licence conflicts by base family, open-source claims
against tiers, MOF classes, EU AI Act exemptions) and state-of-openness.md, and the per-model
table as models.csv (first column id, ORG/NAME), models.jsonl and models.parquet.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return usageErr("-o DIR is required: the folder to write the report into")
			}
			files, err := census.WriteReport(cmd.Context(), db, dir, version)
			if err != nil {
				return unreadableErr(err)
			}
			for _, f := range files {
				fmt.Fprintln(stdout, f)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&dir, "output", "o", "", "the folder to write into (made when missing)")
	c.Flags().StringVar(&db, "db", os.Getenv("GLASSBOX_DB"), "the store the census ran in (GLASSBOX_DB)")
	return c
}

// parseLimits reads --rate-limit.
func parseLimits(s string) (ratelimit.Limits, error) {
	switch s {
	case "":
		return nil, nil
	case "anonymous":
		return ratelimit.Anonymous, nil
	case "free":
		return ratelimit.FreeAccount, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%q: want anonymous, free, or three numbers API,RESOLVERS,PAGES", s)
	}
	lim := ratelimit.Limits{}
	for i, b := range []ratelimit.Bucket{ratelimit.API, ratelimit.Resolvers, ratelimit.Pages} {
		n, err := strconv.Atoi(strings.TrimSpace(parts[i]))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q: %q is not a positive number of requests", s, parts[i])
		}
		lim[b] = n
	}
	return lim, nil
}

// progressPrinter shows a census's progress on stderr: a bar redrawn in place on a terminal,
// a line every 30 seconds elsewhere. A zero Status ends the line.
func progressPrinter(w io.Writer) func(census.Status) {
	f, ok := w.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	var last time.Time
	drawn := false
	return func(s census.Status) {
		if s.Started.IsZero() {
			if drawn && tty {
				fmt.Fprintln(w)
			}
			return
		}
		if !tty && time.Since(last) < 30*time.Second && s.State != census.StateFinished {
			return
		}
		last, drawn = time.Now(), true
		if tty {
			fmt.Fprintf(w, "\r\x1b[K%s", progressLine(s))
			return
		}
		fmt.Fprintln(w, progressLine(s))
	}
}

// progressLine is one line of progress: a bar when the total is known, counts, rate and ETA.
func progressLine(s census.Status) string {
	var b strings.Builder
	total := s.Listed
	if s.State == census.StateListing && s.Params.Limit > 0 {
		total = s.Params.Limit
	}
	if total > 0 && s.State != census.StateListing || s.Params.Limit > 0 {
		const width = 24
		n := min(width, s.Done()*width/max(total, 1))
		b.WriteString("[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "] ")
	}
	fmt.Fprintf(&b, "%s listed · %s done · %s unreadable · %.1f models/s", commas(s.Listed), commas(s.Done()), commas(s.Unreadable), s.Rate)
	switch {
	case s.State == census.StateListing && s.ETA == 0:
		b.WriteString(" · listing…")
	case s.ETA > 0:
		b.WriteString(" · ETA " + span(s.ETA))
	}
	return b.String()
}

// summaryLine is the census's last word: what it listed, audited and could not read, how long
// it took and what it cost.
func summaryLine(s census.Status) string {
	took := s.Elapsed
	if !s.Finished.IsZero() && !s.Started.IsZero() {
		took = s.Finished.Sub(s.Started)
	}
	return fmt.Sprintf("census: %s models listed · %s audited · %s unreadable · %s · %.2f requests/model",
		commas(s.Listed), commas(s.Audited), commas(s.Unreadable), span(took), s.RequestsPerModel())
}

// span writes a duration as people read one: 3h41m, 12m05s, 45s.
func span(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, sec)
	}
	return fmt.Sprintf("%ds", sec)
}

// commas writes a count with thousands separators (1,204,331).
func commas(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
