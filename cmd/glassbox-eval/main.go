// Command glassbox-eval runs glassbox over the real-world evaluation data in ../shared/eval and
// prints one table: each area's score against its bar, then every disagreement with a reason.
//
// Usage:
//
//	go run ./cmd/glassbox-eval [-shared DIR] [-markdown FILE]
//
// Exit status: 0 when every row meets its bar, 1 when one does not, 2 when the data folder is
// missing or the flags are wrong.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/glassbox-dev/glassbox/internal/eval"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("glassbox-eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "", "the evaluation data `DIR` (default ../shared/eval beside the repository root)")
	markdown := fs.String("markdown", "", "also write the results as Markdown to `FILE` (EVAL.md)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: glassbox-eval [-shared DIR] [-markdown FILE]")
		fmt.Fprintln(stderr, "Runs glassbox over the real-world evaluation data and fails when an area is below its bar.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "glassbox-eval: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	dir := *shared
	if dir == "" {
		dir = eval.DefaultDir()
	}
	rep, err := eval.Run(dir)
	if err != nil {
		fmt.Fprintf(stderr, "glassbox-eval: %v\n", err)
		if errors.Is(err, eval.ErrNoData) {
			return 2
		}
		return 1
	}
	if err := rep.Text(stdout); err != nil {
		fmt.Fprintf(stderr, "glassbox-eval: %v\n", err)
		return 1
	}
	if *markdown != "" {
		if err := writeMarkdown(*markdown, rep); err != nil {
			fmt.Fprintf(stderr, "glassbox-eval: %v\n", err)
			return 1
		}
	}
	if failed := rep.Failed(); len(failed) > 0 {
		fmt.Fprintf(stderr, "glassbox-eval: %d row(s) below the bar:\n", len(failed))
		for _, r := range failed {
			fmt.Fprintf(stderr, "  %s: %s: %s, bar %s\n", r.Area, r.Measure, r.Result(), r.BarText())
		}
		return 1
	}
	return 0
}

func writeMarkdown(path string, rep *eval.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.Markdown(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
