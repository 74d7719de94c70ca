package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/target"
)

func newScan(stdout, stderr io.Writer) *cobra.Command {
	var format, out string
	var verbose, explain bool
	var opts auditOptions
	c := &cobra.Command{
		Use:   "scan TARGET...",
		Short: "Audit model releases and report where they sit on the openness spectrum",
		Long: `Audit one or more model releases and report their G7 tier, MOF class and OSAID verdict
with the evidence behind each judgement.

TARGET is a local directory laid out like a model repository (README.md with YAML front
matter, LICENSE*, USE_POLICY*, config.json, weights, code, docs), a snapshot file written
by 'glassbox snapshot', or a Hugging Face Hub repository: hf:ORG/NAME[@REVISION],
hf:datasets/ORG/NAME, or https://huggingface.co/ORG/NAME[/tree/REVISION], or a release
published on GitHub: gh:ORG/REPO[@REF] or https://github.com/ORG/REPO. An empty directory
gives insufficient-evidence, not an error.

Links are followed one level deep for folders, Hub and GitHub targets (--no-links turns this
off; snapshots are never re-read): up to 8 GitHub repositories the card presents as its code
("Training code: https://github.com/…") are read through the GitHub REST API at the commit
their branch resolves to (tree, licence and README texts) and credited to the MOF code
components the card's words and their files show, under the licence their LICENSE text
names; Hugging Face datasets linked in the prose join the datasets. A link that cannot be
read is a note, never a failed audit, and leaves the components it would settle unknown.
Environment: GITHUB_API_URL (default https://api.github.com; GitHub Enterprise bases such as
https://HOST/api/v3 work), GITHUB_TOKEN or GH_TOKEN (sent only to that API).

Hub targets are read without downloading weights (headers by HTTP range requests), pinned to
the commit the revision resolves to, with their base models (up to 3 generations) and datasets.
Environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN or $HF_HOME/token for
gated and private repositories, HF_HUB_OFFLINE=1 to audit from the local Hugging Face cache
(HF_HUB_CACHE), GLASSBOX_CACHE_DIR for the on-disk HTTP cache that makes a second audit of an
unchanged repository cost a few conditional requests. A Hub audit gives up after --timeout;
when the Hub rate-limits for longer than --wait, it fails at once saying until when. Files that
could not be read are listed in the report (incomplete-read) and the snapshot (failed_reads);
when nothing could be read, scan exits 3.

Every report places the release on the G7 spectrum (closed, weights-available, open-weights,
open-source-ai, open-source-ai-open-data) and gives its MOF class, OSI OSAID verdict, European
Open Source AI Index score and EU AI Act Art. 53(2) exemption verdict (not legal advice), each
criterion citing evidence ids. --explain shows, for every tier from the bottom up, what holds
and what is missing.

Formats: text (default; colour only on a terminal, NO_COLOR honoured), json (the
glassbox.report/v1 document of CONTRACT.md; several targets give a JSON array) and markdown
(the whole report with the explanation, for pull requests and wikis), html (one
self-contained page: the spectrum drawn with where the release sits and what holds it back,
every framework, the evidence with excerpts; no scripts or external assets, light and dark,
prints well) and sarif (SARIF 2.1.0
for GitHub code scanning: one result per finding and per failed G7 criterion, at the card
line, licence lines or weights file it cites; paths are relative to the current folder when
TARGET is a relative directory inside it, else to the scanned root).`,
		Example: `  glassbox scan ./examples/open-weights
  glassbox scan hf:allenai/OLMo-2-1124-7B
  glassbox scan gh:acme/tiny-model@v1.0
  glassbox scan ./my-model --no-links
  glassbox scan hf:meta-llama/Llama-3.2-1B --verify
  glassbox scan ./my-model --format json --output report.json
  glassbox scan ./my-model --explain
  glassbox scan hf:acme/model --format markdown --output report.md
  glassbox scan examples/*-* -v
  glassbox scan models/tiny --format sarif -o glassbox.sarif`,
		Args: minArgs(1, "at least one TARGET (a model directory or snapshot file)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "md" {
				format = "markdown"
			}
			if format != "text" && format != "json" && format != "markdown" && format != "sarif" && format != "html" {
				return usageErr("scan: unknown --format %q (text, json, markdown, html or sarif)", format)
			}
			var as []*assess.Assessment
			for _, t := range args {
				a, err := audit(cmd.Context(), t, opts, stderr)
				if err != nil {
					return err
				}
				as = append(as, a)
			}
			w, closeOut, err := output(out, stdout)
			if err != nil {
				return err
			}
			switch {
			case format == "json" && len(as) == 1:
				err = report.JSON(w, as[0])
			case format == "json":
				err = report.JSONMany(w, as)
			case format == "markdown":
				err = report.MarkdownMany(w, as)
			case format == "html":
				err = report.HTML(w, as)
			case format == "sarif":
				err = report.SARIF(w, as, report.SARIFOptions{Version: version, Roots: sarifRoots(args)})
			default:
				opt := report.TextOptions{Color: out == "" && colorOK(stdout), Verbose: verbose, Explain: explain}
				for i, a := range as {
					if i > 0 {
						fmt.Fprintln(w)
					}
					if err = report.Text(w, a, opt); err != nil {
						break
					}
				}
			}
			if cerr := closeOut(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			return checkFailed(as)
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json, markdown or html (both always include the --explain sections) or sarif (SARIF 2.1.0 for code scanning)")
	c.Flags().StringVarP(&out, "output", "o", "", "write the report to FILE instead of standard output")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every component, every fix and every evidence item")
	c.Flags().BoolVar(&explain, "explain", false, "walk the spectrum from the bottom up (what holds and what is missing for each tier, with fixes) and detail every framework's criteria")
	c.Flags().BoolVar(&opts.verify, "verify", false, "hash every weights file (SHA-256, in parallel) and check it against the Hugging Face cache blob name, checksum files and shard indexes; for a Hub target, hash the local copy (--weights, else the Hugging Face cache) against the Hub's LFS sha256")
	c.Flags().StringVar(&opts.weights, "weights", "", "with --verify and a Hub target: the folder holding a local copy of the repository's files (default: its Hugging Face cache snapshot)")
	addHubFlags(c, &opts)
	return c
}

// auditOptions are the scan and snapshot flags that change how a target is read.
type auditOptions struct {
	verify  bool
	weights string
	noCache bool
	timeout time.Duration
	wait    time.Duration
	noLinks bool
}

// addHubFlags adds the flags of Hub targets.
func addHubFlags(c *cobra.Command, opts *auditOptions) {
	c.Flags().BoolVar(&opts.noCache, "no-cache", false, "Hub targets: neither read nor write the on-disk HTTP cache (GLASSBOX_CACHE_DIR, default the user cache folder)")
	c.Flags().DurationVar(&opts.timeout, "timeout", target.DefaultTimeout, "Hub targets: give up on an audit (lineage included) after this long")
	c.Flags().DurationVar(&opts.wait, "wait", hub.DefaultWaitLimit, "Hub targets: the longest rate-limit wait to sit through (0: none); when the Hub asks for longer, fail at once saying until when")
	c.Flags().BoolVar(&opts.noLinks, "no-links", false, "do not follow the card's links (GitHub code repositories through GITHUB_API_URL, Hub datasets named in the prose)")
}

// targetOptions turns the flags into the options of package target, with a progress bar on a
// terminal and informational lines on stderr.
func targetOptions(opts auditOptions, stderr io.Writer) target.Options {
	return target.Options{
		Verify: opts.verify, Weights: opts.weights, NoCache: opts.noCache, Version: version,
		Timeout: opts.timeout, Wait: waitOption(opts.wait), Links: !opts.noLinks,
		Progress: func(desc string, total int64) (source.Progress, func()) {
			f, ok := stderr.(*os.File)
			if !ok || !term.IsTerminal(int(f.Fd())) {
				return nil, func() {}
			}
			bar := progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(stderr),
				progressbar.OptionSetDescription(desc),
				progressbar.OptionShowBytes(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
			return func(n int64) { _ = bar.Add64(n) }, func() { _ = bar.Finish() }
		},
		Inform: func(msg string) { fmt.Fprintln(stderr, msg) },
	}
}

// waitOption maps --wait to target.Options.Wait: --wait 0 means never sit through a rate limit.
func waitOption(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// audit reads a target, hashes its weights if asked, and runs the pure pipeline over it.
func audit(ctx context.Context, t string, opts auditOptions, stderr io.Writer) (*assess.Assessment, error) {
	rel, err := readTarget(ctx, t, opts, stderr)
	if err != nil {
		return nil, err
	}
	a, err := target.AuditRelease(ctx, t, rel, targetOptions(opts, stderr))
	return a, exitFor(err)
}

// readTarget reads a target into a Release and prints the source's notes on stderr.
func readTarget(ctx context.Context, t string, opts auditOptions, stderr io.Writer) (*release.Release, error) {
	rel, err := target.Read(ctx, t, targetOptions(opts, stderr))
	if err != nil {
		return nil, exitFor(err)
	}
	printNotes(stderr, rel)
	return rel, nil
}

// exitFor maps package target's error kinds to exit codes.
func exitFor(err error) error {
	var te *target.Error
	if !errors.As(err, &te) {
		return err
	}
	if te.Kind == target.Usage {
		return &exitError{exitUsage, te}
	}
	if errors.Is(err, source.ErrChanged) {
		return &exitError{exitCheck, te}
	}
	return &exitError{exitUnreadable, te}
}

// printNotes tells the user on stderr what the source noted while reading (offline reads,
// stale cache answers, lineage not followed, files not read); the report itself stays a pure
// function of what was read.
func printNotes(stderr io.Writer, rel *release.Release) {
	for _, n := range rel.Notes {
		fmt.Fprintf(stderr, "glassbox: note: %s: %s\n", rel.Target, n)
	}
	for _, p := range rel.Parents {
		if p != nil && len(p.Files) == 0 {
			for _, n := range p.Notes {
				fmt.Fprintf(stderr, "glassbox: note: %s: %s\n", p.Target, n)
			}
		}
	}
}

// colorOK reports whether w is a terminal that wants colour (https://no-color.org).
func colorOK(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newSnapshot(stdout, stderr io.Writer) *cobra.Command {
	var out string
	var opts auditOptions
	c := &cobra.Command{
		Use:   "snapshot TARGET --output FILE",
		Short: "Save what glassbox reads of a release, for offline and repeatable audits",
		Long: `Read a release and save the snapshot (file inventory, hashes, the text files that matter,
weights header facts) as JSON, with the repositories and datasets its card links to as they were
read (see 'glassbox scan --help'; --no-links leaves them out). 'glassbox scan FILE' on the
snapshot gives the same report as scanning the release itself, byte for byte, with no network.`,
		Args: exactArgs(1, "one TARGET"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rel, err := readTarget(cmd.Context(), args[0], opts, stderr)
			if err != nil {
				return err
			}
			data, err := rel.Marshal()
			if err != nil {
				return err
			}
			w, closeOut, err := output(out, stdout)
			if err != nil {
				return err
			}
			if _, err := w.Write(append(data, '\n')); err != nil {
				return err
			}
			return closeOut()
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the snapshot to FILE (default: standard output)")
	addHubFlags(c, &opts)
	return c
}
