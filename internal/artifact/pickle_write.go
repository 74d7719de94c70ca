package artifact

import (
	"bufio"
	"encoding/binary"
	"io"
)

// WriteDensePickle writes the opcode-dense pickle the walker is benchmarked on: a protocol 2
// list of n two-int tuples, as pickle.dumps([(x, y), …], 2) writes it (each tuple memoized,
// appends in batches of 1000). bench/picklewalk writes the same file for the comparison with
// Python.
func WriteDensePickle(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("\x80\x02]q\x00")
	memo := uint32(1)
	for done := 0; done < n; {
		bw.WriteByte('(')
		for i := 0; i < 1000 && done < n; i, done = i+1, done+1 {
			bw.Write([]byte{'K', byte(done), 'K', byte(done >> 8), 0x86})
			if memo < 256 {
				bw.Write([]byte{'q', byte(memo)})
			} else {
				bw.WriteByte('r')
				bw.Write(binary.LittleEndian.AppendUint32(nil, memo))
			}
			memo++
		}
		bw.WriteByte('e')
	}
	bw.WriteByte('.')
	return bw.Flush()
}
