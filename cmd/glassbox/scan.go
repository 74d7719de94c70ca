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
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
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
hf:datasets/ORG/NAME, or https://huggingface.co/ORG/NAME[/tree/REVISION]. An empty directory
gives insufficient-evidence, not an error.

Hub targets are read without downloading weights (headers by HTTP range requests), pinned to
the commit the revision resolves to, with their base models (up to 3 generations) and datasets.
Environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN or $HF_HOME/token for
gated and private repositories, HF_HUB_OFFLINE=1 to audit from the local Hugging Face cache
(HF_HUB_CACHE), GLASSBOX_CACHE_DIR for the on-disk HTTP cache that makes a second audit of an
unchanged repository cost a few conditional requests.

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
  glassbox scan hf:meta-llama/Llama-3.2-1B --verify
  glassbox scan ./my-model --format json --output report.json
  glassbox scan ./my-model --explain
  glassbox scan hf:acme/model --format markdown --output report.md
  glassbox scan examples/* -v
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
			return err
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
}

// addHubFlags adds the flags of Hub targets.
func addHubFlags(c *cobra.Command, opts *auditOptions) {
	c.Flags().BoolVar(&opts.noCache, "no-cache", false, "Hub targets: neither read nor write the on-disk HTTP cache (GLASSBOX_CACHE_DIR, default the user cache folder)")
}

// audit reads a target, hashes its weights if asked, and runs the pure pipeline over it.
func audit(ctx context.Context, target string, opts auditOptions, stderr io.Writer) (*assess.Assessment, error) {
	rel, err := readTarget(ctx, target, opts)
	if err != nil {
		return nil, err
	}
	printNotes(stderr, rel)
	switch {
	case opts.verify && hub.IsTarget(target):
		if err := verifyHubCopy(ctx, target, rel, opts.weights, stderr); err != nil {
			return nil, err
		}
	case opts.verify:
		if info, err := os.Stat(target); err != nil || !info.IsDir() {
			return nil, usageErr("scan --verify needs a directory holding the weights; %s is not one", target)
		}
		if err := verifyWeights(ctx, target, rel, nil, stderr); err != nil {
			return nil, err
		}
	case opts.weights != "":
		return nil, usageErr("scan --weights only makes sense with --verify")
	}
	return assess.Run(rel, license.Default()), nil
}

// verifyHubCopy hashes the weights of a Hub release that a local folder holds (dir, else the
// Hugging Face cache's snapshot of the audited commit) so that the report compares them with the
// Hub's LFS sha256. Files the folder lacks stay unverified; a folder with none is an error.
func verifyHubCopy(ctx context.Context, target string, rel *release.Release, dir string, stderr io.Writer) error {
	t, err := hub.ParseTarget(target)
	if err != nil {
		return usageErr("%v", err)
	}
	if dir == "" {
		dir = hub.SnapshotDir(t, rel.Revision)
		if dir == "" {
			return &exitError{exitUnreadable, fmt.Errorf("%s: scan --verify: no local copy of commit %s in the Hugging Face cache (%s); download the weights first or pass --weights DIR", target, rel.Revision, hub.CacheDir())}
		}
	}
	jobs := source.CopyJobs(dir, rel)
	if len(jobs) == 0 {
		return &exitError{exitUnreadable, fmt.Errorf("%s: scan --verify: %s holds none of the release's weights files", target, dir)}
	}
	if err := verifyWeights(ctx, dir, rel, jobs, stderr); err != nil {
		return err
	}
	weights := 0
	for _, f := range rel.Files {
		if release.IsWeights(f.Path) {
			weights++
		}
	}
	fmt.Fprintf(stderr, "verified %d of %d weights files in %s against the Hub's LFS sha256\n", len(jobs), weights, dir)
	return nil
}

// verifyWeights hashes the weights files (jobs of a remote release's local copy, or every
// weights file of a local release when jobs is nil), with a progress bar on a terminal.
func verifyWeights(ctx context.Context, dir string, rel *release.Release, jobs []int, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	total := source.VerifyBytes(rel)
	if jobs != nil {
		total = 0
		for _, i := range jobs {
			total += rel.Files[i].Size
		}
	}
	var progress source.Progress
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("verifying "+rel.Name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		defer bar.Finish()
		progress = func(n int64) { _ = bar.Add64(n) }
	}
	var err error
	if jobs != nil {
		err = source.VerifyCopy(ctx, dir, rel, jobs, progress)
	} else {
		err = source.Verify(ctx, dir, rel, progress)
	}
	if err != nil {
		return &exitError{exitUnreadable, err}
	}
	return nil
}

func readTarget(ctx context.Context, target string, opts auditOptions) (*release.Release, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	var rel *release.Release
	var err error
	if hub.IsTarget(target) {
		t, perr := hub.ParseTarget(target)
		if perr != nil {
			return nil, usageErr("%v", perr)
		}
		rel, err = auditHub(ctx, t, opts)
	} else {
		rel, err = source.Open(ctx, target)
	}
	switch {
	case err == nil:
		return rel, nil
	case errors.Is(err, source.ErrUnsupported):
		return nil, &exitError{exitUsage, err}
	default:
		return nil, &exitError{exitUnreadable, err}
	}
}

// auditHub reads a Hub target from the network, or from the local Hugging Face cache when
// HF_HUB_OFFLINE is set or the Hub cannot be reached (an answer from the Hub, such as "repository
// not found", is final and does not fall back).
func auditHub(ctx context.Context, t hub.Target, opts auditOptions) (*release.Release, error) {
	if hub.Offline() {
		return hub.FromCache(ctx, t)
	}
	c := hub.NewClient(version)
	if dir := hub.DefaultHTTPCacheDir(); dir != "" && !opts.noCache {
		c.Cache = &hub.HTTPCache{Dir: dir}
	}
	rel, err := hub.Audit(ctx, c, t, lineageDepth, hub.DefaultOptions)
	if err == nil && c.Cache != nil && c.Cache.Stale() > 0 {
		rel.Notes = append(rel.Notes, fmt.Sprintf("the Hub could not be reached: %d answers came from the on-disk cache (%s) and may be out of date", c.Cache.Stale(), c.Cache.Dir))
	}
	var answer *hub.Error
	if err == nil || errors.As(err, &answer) || ctx.Err() != nil {
		return rel, err
	}
	if cached, cerr := hub.FromCache(ctx, t); cerr == nil {
		cached.Notes = append(cached.Notes, "the Hub could not be reached: "+err.Error())
		return cached, nil
	}
	return nil, err
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

// lineageDepth bounds how many generations of base models a Hub audit reads.
const lineageDepth = 3

// colorOK reports whether w is a terminal that wants colour (https://no-color.org).
func colorOK(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newSnapshot(stdout io.Writer) *cobra.Command {
	var out string
	var opts auditOptions
	c := &cobra.Command{
		Use:   "snapshot TARGET --output FILE",
		Short: "Save what glassbox reads of a release, for offline and repeatable audits",
		Long: `Read a release and save the snapshot (file inventory, hashes, the text files that matter,
weights header facts) as JSON. 'glassbox scan FILE' on the snapshot gives the same report as
scanning the release itself, byte for byte.`,
		Args: exactArgs(1, "one TARGET"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rel, err := readTarget(cmd.Context(), args[0], opts)
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
