package artifact

import (
	"errors"
	"io"
)

// The x86 branch filter (BCJ) that 7-Zip applies before compressing executables: the 32-bit
// operand of each CALL (E8) and JMP (E9) it judges to be a real instruction was turned from
// a relative into an absolute address, which compresses better. Decoding turns it back. The
// judgement follows the encoder exactly: an operand counts when its top byte is 00 or FF, and
// opcode bytes found among the last few bytes are weighed through a three-bit mask of where
// recent E8/E9 bytes were. It stays hand-written: github.com/ulikunitz/xz, which decodes the
// LZMA and LZMA2 before it, has no branch filters.

// bcjAllowed and bcjMaskByte index the mask of recent opcode positions: whether a candidate
// may be converted at all, and which of its operand bytes to test.
var (
	bcjAllowed  = [8]bool{true, true, true, false, true, false, false, false}
	bcjMaskByte = [8]uint32{0, 1, 2, 2, 3, 3, 3, 3}
)

// bcjOperandByte reports whether b can be the top byte of a near branch's operand.
func bcjOperandByte(b byte) bool { return b == 0 || b == 0xFF }

// bcjX86Decode undoes the filter in place on b, whose first byte is at stream offset ip, with
// mask carried from the previous call. It returns how many leading bytes are final; the rest
// must be passed again with the bytes that follow.
func bcjX86Decode(b []byte, ip uint32, mask *uint32) int {
	if len(b) < 5 {
		return 0
	}
	prevMask := *mask & 7
	last := -1 // where the last opcode byte was, relative to b
	pos := 0
	for {
		for pos < len(b)-4 && b[pos]&0xFE != 0xE8 {
			pos++
		}
		if pos >= len(b)-4 {
			break
		}
		if d := pos - last; d > 3 {
			prevMask = 0
		} else {
			prevMask = (prevMask << (d - 1)) & 7
			if prevMask != 0 && (!bcjAllowed[prevMask] || bcjOperandByte(b[pos+4-int(bcjMaskByte[prevMask])])) {
				last = pos
				prevMask = (prevMask<<1)&7 | 1
				pos++
				continue
			}
		}
		last = pos
		if !bcjOperandByte(b[pos+4]) {
			prevMask = (prevMask<<1)&7 | 1
			pos++
			continue
		}
		src := uint32(b[pos+1]) | uint32(b[pos+2])<<8 | uint32(b[pos+3])<<16 | uint32(b[pos+4])<<24
		var dest uint32
		for {
			dest = src - (ip + 5 + uint32(pos))
			if prevMask == 0 {
				break
			}
			shift := bcjMaskByte[prevMask] * 8
			if !bcjOperandByte(byte(dest >> (24 - shift))) {
				break
			}
			src = dest ^ (1<<(32-shift) - 1)
		}
		dest &= 0x01FFFFFF
		if dest&0x01000000 != 0 {
			dest |= 0xFF000000
		}
		b[pos+1], b[pos+2], b[pos+3], b[pos+4] = byte(dest), byte(dest>>8), byte(dest>>16), byte(dest>>24)
		pos += 5
	}
	if d := pos - last; d > 3 {
		*mask = 0
	} else {
		*mask = (prevMask << (d - 1)) & 7
	}
	return pos
}

// bcjReader undoes the x86 filter on a stream.
type bcjReader struct {
	src io.Reader
	buf []byte
	// buf[r:done] is decoded and unread; buf[done:n] awaits more input.
	r, done, n int
	ip, mask   uint32
	eof        bool
}

func newBCJReader(src io.Reader) *bcjReader {
	return &bcjReader{src: src, buf: make([]byte, 64<<10)}
}

func (z *bcjReader) Read(p []byte) (int, error) {
	for z.r == z.done {
		if z.eof && z.done == z.n {
			return 0, io.EOF
		}
		copy(z.buf, z.buf[z.done:z.n])
		z.n -= z.done
		z.r, z.done = 0, 0
		for z.n < len(z.buf) && !z.eof {
			m, err := z.src.Read(z.buf[z.n:])
			z.n += m
			if errors.Is(err, io.EOF) {
				z.eof = true
			} else if err != nil {
				return 0, err
			} else if m == 0 {
				return 0, io.ErrNoProgress
			}
		}
		z.done = bcjX86Decode(z.buf[:z.n], z.ip, &z.mask)
		if z.eof {
			// The last few bytes cannot hold a whole branch: they pass as they are.
			z.done = z.n
		}
		z.ip += uint32(z.done)
	}
	m := copy(p, z.buf[z.r:z.done])
	z.r += m
	return m, nil
}
