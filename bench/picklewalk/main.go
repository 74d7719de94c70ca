// Command picklewalk writes and walks the opcode-dense pickle of the walker benchmark, for
// bench/pickle_walk.sh to time against Python's pickletools.genops.
//
//	picklewalk gen [-mb 100] FILE   write a protocol 2 list of two-int tuples of about that size
//	picklewalk walk FILE            walk FILE with glassbox's walker and print what it counted
//
// walk prints one line: "opcodes N globals G seconds S".
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		fs := flag.NewFlagSet("gen", flag.ExitOnError)
		mb := fs.Int("mb", 100, "approximate size in MB")
		fs.Parse(os.Args[2:])
		if fs.NArg() != 1 {
			usage()
		}
		err = gen(fs.Arg(0), *mb)
	case "walk":
		if len(os.Args) != 3 {
			usage()
		}
		err = walk(os.Args[2])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "picklewalk:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: picklewalk gen [-mb 100] FILE | picklewalk walk FILE")
	os.Exit(2)
}

// gen writes the benchmark pickle (artifact.WriteDensePickle): mb megabytes at 10 bytes a tuple.
func gen(path string, mb int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := artifact.WriteDensePickle(f, mb*1_000_000/10); err != nil {
		return err
	}
	return f.Close()
}

func walk(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := artifact.WalkPickle(io.NewSectionReader(f, 0, st.Size()), st.Size())
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	fmt.Printf("opcodes %d globals %d seconds %.3f\n", res.Opcodes, len(res.Globals), elapsed.Seconds())
	return nil
}
