// Command picklewalk writes and walks the opcode-dense pickle of the walker benchmark, for
// bench/pickle_walk.sh to time against Python's pickletools.genops.
//
//	picklewalk gen [-mb 100] FILE   write a protocol 2 list of two-int tuples of about that size
//	picklewalk walk FILE            walk FILE with glassbox's walker and print what it counted
//
// walk prints one line: "opcodes N globals G seconds S".
package main

import (
	"bufio"
	"encoding/binary"
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

// gen writes what pickle.dumps([(x, y), …], 2) would for a list of tuples of small ints: each
// tuple memoized, appends batched by 1000. A tuple costs 10 bytes and 4 opcodes.
func gen(path string, mb int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	n := mb * 1_000_000 / 10
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("\x80\x02]q\x00")
	memo := uint32(1)
	for done := 0; done < n; {
		w.WriteByte('(')
		for i := 0; i < 1000 && done < n; i, done = i+1, done+1 {
			w.Write([]byte{'K', byte(done), 'K', byte(done >> 8), 0x86})
			if memo < 256 {
				w.Write([]byte{'q', byte(memo)})
			} else {
				w.WriteByte('r')
				w.Write(binary.LittleEndian.AppendUint32(nil, memo))
			}
			memo++
		}
		w.WriteByte('e')
	}
	w.WriteByte('.')
	if err := w.Flush(); err != nil {
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
