package artifact

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// A decoder for LZMA and LZMA2, the codecs 7-Zip uses, written from the format's description
// (Igor Pavlov's LZMA specification, public domain). It is an io.Reader over a bounded window,
// so a stream that claims a huge dictionary cannot make it allocate more than the caller
// allows.

const (
	lzmaProbBits  = 11
	lzmaProbInit  = 1 << (lzmaProbBits - 1)
	lzmaMoveBits  = 5
	lzmaTopValue  = 1 << 24
	lzmaStates    = 12
	lzmaPosMax    = 4 // pb is at most 4
	lzmaLenStates = 4
	lzmaEndPosIdx = 14
	lzmaFullDists = 1 << (lzmaEndPosIdx >> 1)
	lzmaAlignBits = 4
	lzmaMatchMin  = 2
	lzmaMinDict   = 1 << 12
)

var (
	errLZMACorrupt = errors.New("corrupt LZMA data")
	// errLZMAWindow marks data that needs a bigger dictionary than glassbox holds: not
	// corrupt, just not examined.
	errLZMAWindow = errors.New("LZMA dictionary too large")
)

// lzmaRange is the range decoder.
type lzmaRange struct {
	in        io.ByteReader
	rng, code uint32
	err       error
	// read counts the bytes taken, so an LZMA2 chunk can be checked against its packed size.
	read int64
}

func (rc *lzmaRange) byte() byte {
	rc.read++
	b, err := rc.in.ReadByte()
	if err != nil && rc.err == nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		rc.err = err
	}
	return b
}

func (rc *lzmaRange) init() error {
	if rc.byte() != 0 {
		rc.err = errLZMACorrupt
	}
	rc.rng, rc.code = 0xFFFFFFFF, 0
	for range 4 {
		rc.code = rc.code<<8 | uint32(rc.byte())
	}
	if rc.err == nil && rc.code == rc.rng {
		rc.err = errLZMACorrupt
	}
	return rc.err
}

func (rc *lzmaRange) normalize() {
	if rc.rng < lzmaTopValue {
		rc.rng <<= 8
		rc.code = rc.code<<8 | uint32(rc.byte())
	}
}

func (rc *lzmaRange) bit(p *uint16) uint32 {
	bound := (rc.rng >> lzmaProbBits) * uint32(*p)
	var b uint32
	if rc.code < bound {
		*p += (1<<lzmaProbBits - *p) >> lzmaMoveBits
		rc.rng = bound
	} else {
		*p -= *p >> lzmaMoveBits
		rc.code -= bound
		rc.rng -= bound
		b = 1
	}
	rc.normalize()
	return b
}

func (rc *lzmaRange) direct(n uint32) uint32 {
	var res uint32
	for ; n > 0; n-- {
		rc.rng >>= 1
		rc.code -= rc.rng
		t := 0 - (rc.code >> 31)
		rc.code += rc.rng & t
		if rc.code == rc.rng {
			rc.err = errLZMACorrupt
		}
		rc.normalize()
		res = res<<1 + t + 1
	}
	return res
}

func (rc *lzmaRange) tree(probs []uint16, bits uint32) uint32 {
	m := uint32(1)
	for range bits {
		m = m<<1 + rc.bit(&probs[m])
	}
	return m - 1<<bits
}

func (rc *lzmaRange) reverse(probs []uint16, bits uint32) uint32 {
	m, sym := uint32(1), uint32(0)
	for i := range bits {
		b := rc.bit(&probs[m])
		m = m<<1 + b
		sym |= b << i
	}
	return sym
}

// lzmaLen decodes match lengths.
type lzmaLen struct {
	choice, choice2 uint16
	low, mid        [1 << lzmaPosMax][1 << 3]uint16
	high            [1 << 8]uint16
}

func (l *lzmaLen) reset() {
	l.choice, l.choice2 = lzmaProbInit, lzmaProbInit
	for i := range l.low {
		fill(l.low[i][:])
		fill(l.mid[i][:])
	}
	fill(l.high[:])
}

func (l *lzmaLen) decode(rc *lzmaRange, posState uint32) uint32 {
	if rc.bit(&l.choice) == 0 {
		return rc.tree(l.low[posState][:], 3)
	}
	if rc.bit(&l.choice2) == 0 {
		return 8 + rc.tree(l.mid[posState][:], 3)
	}
	return 16 + rc.tree(l.high[:], 8)
}

func fill(p []uint16) {
	for i := range p {
		p[i] = lzmaProbInit
	}
}

// lzmaWindow is the dictionary: the last bytes written, in a ring.
type lzmaWindow struct {
	buf   []byte
	pos   int
	full  bool
	total uint64 // bytes written since the last dictionary reset
}

func (w *lzmaWindow) reset() { w.pos, w.full, w.total = 0, false, 0 }

func (w *lzmaWindow) put(b byte) {
	w.buf[w.pos] = b
	w.pos++
	w.total++
	if w.pos == len(w.buf) {
		w.pos, w.full = 0, true
	}
}

// back returns the byte dist positions back (1 is the last byte written).
func (w *lzmaWindow) back(dist uint32) byte {
	i := w.pos - int(dist)
	if i < 0 {
		i += len(w.buf)
	}
	return w.buf[i]
}

// has reports whether dist bytes back are in the window.
func (w *lzmaWindow) has(dist uint32) bool {
	if w.full {
		return int64(dist) <= int64(len(w.buf))
	}
	return int64(dist) <= int64(w.pos)
}

// lzmaState is the LZMA decoder proper: probabilities and the match state.
type lzmaState struct {
	lc, lp, pb uint32
	lit        []uint16
	posSlot    [lzmaLenStates][1 << 6]uint16
	posDec     [1 + lzmaFullDists - lzmaEndPosIdx]uint16
	align      [1 << lzmaAlignBits]uint16
	isMatch    [lzmaStates << lzmaPosMax]uint16
	isRep      [lzmaStates]uint16
	isRepG0    [lzmaStates]uint16
	isRepG1    [lzmaStates]uint16
	isRepG2    [lzmaStates]uint16
	isRep0Long [lzmaStates << lzmaPosMax]uint16
	length     lzmaLen
	repLen     lzmaLen
	state      uint32
	rep        [4]uint32
}

// props sets lc, lp and pb from the properties byte.
func (s *lzmaState) props(d byte) error {
	if d >= 9*5*5 {
		return fmt.Errorf("LZMA properties byte %d is out of range", d)
	}
	s.lc, s.lp, s.pb = uint32(d%9), uint32(d/9%5), uint32(d/45)
	return nil
}

func (s *lzmaState) reset() {
	n := 0x300 << (s.lc + s.lp)
	if cap(s.lit) < n {
		s.lit = make([]uint16, n)
	}
	s.lit = s.lit[:n]
	fill(s.lit)
	for i := range s.posSlot {
		fill(s.posSlot[i][:])
	}
	fill(s.posDec[:])
	fill(s.align[:])
	fill(s.isMatch[:])
	fill(s.isRep[:])
	fill(s.isRepG0[:])
	fill(s.isRepG1[:])
	fill(s.isRepG2[:])
	fill(s.isRep0Long[:])
	s.length.reset()
	s.repLen.reset()
	s.state, s.rep = 0, [4]uint32{}
}

// lzmaReader decodes a stream of LZMA (one range-coded stream of a known size, as 7z stores
// it) or LZMA2 (chunks) into a bounded window.
type lzmaReader struct {
	in    *bufio.Reader
	rc    lzmaRange
	s     lzmaState
	win   lzmaWindow
	lzma2 bool

	// chunkLeft is what the current chunk (or the whole LZMA stream) still holds;
	// uncompressed marks an LZMA2 chunk stored as is, and packed is the compressed size of an
	// LZMA2 chunk that is not.
	chunkLeft    uint64
	uncompressed bool
	packed       int64
	needProps    bool
	eof          bool
	// match is a match being copied: bytes left and distance.
	matchLeft uint32
	matchDist uint32
	err       error
}

// newLZMAReader reads LZMA data with the five-byte 7z coder properties (properties byte,
// dictionary size), producing size bytes. window bounds the dictionary held.
func newLZMAReader(r io.Reader, props []byte, size uint64, window int) (*lzmaReader, error) {
	if len(props) != 5 {
		return nil, fmt.Errorf("LZMA properties are %d bytes, not 5", len(props))
	}
	z := &lzmaReader{in: bufio.NewReader(r), chunkLeft: size}
	if err := z.s.props(props[0]); err != nil {
		return nil, err
	}
	dict := uint32(props[1]) | uint32(props[2])<<8 | uint32(props[3])<<16 | uint32(props[4])<<24
	z.win.buf = make([]byte, max(1, min(uint64(max(dict, lzmaMinDict)), size, uint64(window))))
	z.s.reset()
	z.rc.in = z.in
	if err := z.rc.init(); err != nil {
		return nil, fmt.Errorf("LZMA stream: %w", err)
	}
	return z, nil
}

// newLZMA2Reader reads LZMA2 data with its one-byte dictionary-size property, producing at
// most size bytes.
func newLZMA2Reader(r io.Reader, props []byte, size uint64, window int) (*lzmaReader, error) {
	if len(props) != 1 || props[0] > 40 {
		return nil, fmt.Errorf("LZMA2 properties %x are not valid", props)
	}
	dict := uint64(0xFFFFFFFF)
	if props[0] < 40 {
		dict = uint64(2|props[0]&1) << (props[0]/2 + 11)
	}
	z := &lzmaReader{in: bufio.NewReader(r), lzma2: true, needProps: true}
	z.win.buf = make([]byte, max(1, min(dict, size, uint64(window))))
	z.rc.in = z.in
	return z, nil
}

func (z *lzmaReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if z.err != nil {
			return n, z.err
		}
		if z.chunkLeft == 0 {
			if !z.lzma2 || z.eof {
				z.eof = true
				if n > 0 {
					return n, nil
				}
				return 0, io.EOF
			}
			if err := z.nextChunk(); err != nil {
				z.err = err
				continue
			}
			continue
		}
		var b byte
		var err error
		if z.uncompressed {
			b, err = z.in.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				z.err = fmt.Errorf("LZMA2 stored chunk: %w", err)
				continue
			}
			z.win.put(b)
		} else if b, err = z.decodeByte(); err != nil {
			z.err = err
			continue
		}
		z.chunkLeft--
		p[n] = b
		n++
	}
	return n, nil
}

// nextChunk reads an LZMA2 chunk header, after checking that the chunk before took exactly
// its packed size.
func (z *lzmaReader) nextChunk() error {
	if !z.uncompressed && z.packed > 0 {
		switch {
		case z.rc.read > z.packed:
			return errors.New("LZMA2 chunk reads past its packed size")
		case z.rc.read < z.packed:
			if _, err := z.in.Discard(int(z.packed - z.rc.read)); err != nil {
				return fmt.Errorf("LZMA2 chunk: %w", io.ErrUnexpectedEOF)
			}
		}
		z.packed = 0
	}
	c, err := z.in.ReadByte()
	if err != nil {
		return fmt.Errorf("LZMA2 chunk header: %w", io.ErrUnexpectedEOF)
	}
	if c == 0 {
		z.eof = true
		return nil
	}
	var hdr [5]byte
	switch {
	case c == 1 || c == 2:
		if _, err := io.ReadFull(z.in, hdr[:2]); err != nil {
			return fmt.Errorf("LZMA2 chunk header: %w", io.ErrUnexpectedEOF)
		}
		if c == 1 {
			z.win.reset()
		}
		z.uncompressed = true
		z.chunkLeft = uint64(hdr[0])<<8 | uint64(hdr[1]) + 1
		return nil
	case c >= 0x80:
		n := 4
		reset := (c >> 5) & 3
		if reset >= 2 {
			n = 5
		}
		if _, err := io.ReadFull(z.in, hdr[:n]); err != nil {
			return fmt.Errorf("LZMA2 chunk header: %w", io.ErrUnexpectedEOF)
		}
		z.uncompressed = false
		z.chunkLeft = (uint64(c&0x1F)<<16 | uint64(hdr[0])<<8 | uint64(hdr[1])) + 1
		z.packed = (int64(hdr[2])<<8 | int64(hdr[3])) + 1
		if reset == 3 {
			z.win.reset()
		}
		if reset >= 2 {
			if err := z.s.props(hdr[4]); err != nil {
				return err
			}
			if z.s.lc+z.s.lp > 4 {
				return errors.New("LZMA2 chunk has lc+lp above 4")
			}
			z.needProps = false
		} else if z.needProps {
			return errors.New("LZMA2 chunk has no properties before it")
		}
		if reset >= 1 {
			z.s.reset()
		}
		z.matchLeft = 0
		z.rc.read = 0
		return z.rc.init()
	}
	return fmt.Errorf("LZMA2 chunk control byte 0x%02x is not valid", c)
}

// decodeByte produces the next output byte.
func (z *lzmaReader) decodeByte() (byte, error) {
	if z.matchLeft > 0 {
		b := z.win.back(z.matchDist)
		z.win.put(b)
		z.matchLeft--
		return b, nil
	}
	s, rc := &z.s, &z.rc
	posState := uint32(z.win.total) & (1<<s.pb - 1)
	if rc.bit(&s.isMatch[s.state<<lzmaPosMax+posState]) == 0 {
		if s.state >= 7 && !z.win.has(s.rep[0]+1) {
			return 0, errLZMACorrupt
		}
		b := z.literal()
		if rc.err != nil {
			return 0, fmt.Errorf("LZMA literal: %w", rc.err)
		}
		return b, nil
	}
	var length uint32
	if rc.bit(&s.isRep[s.state]) != 0 {
		if z.win.total == 0 {
			return 0, errLZMACorrupt
		}
		if rc.bit(&s.isRepG0[s.state]) == 0 {
			if rc.bit(&s.isRep0Long[s.state<<lzmaPosMax+posState]) == 0 {
				if !z.win.has(s.rep[0] + 1) {
					return 0, errLZMACorrupt
				}
				s.state = map3(s.state, 9, 11)
				b := z.win.back(s.rep[0] + 1)
				z.win.put(b)
				return b, rc.err
			}
		} else {
			var dist uint32
			if rc.bit(&s.isRepG1[s.state]) == 0 {
				dist = s.rep[1]
			} else {
				if rc.bit(&s.isRepG2[s.state]) == 0 {
					dist = s.rep[2]
				} else {
					dist = s.rep[3]
					s.rep[3] = s.rep[2]
				}
				s.rep[2] = s.rep[1]
			}
			s.rep[1] = s.rep[0]
			s.rep[0] = dist
		}
		length = s.repLen.decode(rc, posState)
		s.state = map3(s.state, 8, 11)
	} else {
		s.rep[3], s.rep[2], s.rep[1] = s.rep[2], s.rep[1], s.rep[0]
		length = s.length.decode(rc, posState)
		s.state = map3(s.state, 7, 10)
		s.rep[0] = z.distance(length)
		if s.rep[0] == 0xFFFFFFFF {
			// The end marker: only legal where the output is complete, which the caller's
			// size already says.
			return 0, errors.New("LZMA end marker before the declared end of the data")
		}
	}
	if rc.err != nil {
		return 0, fmt.Errorf("LZMA match: %w", rc.err)
	}
	if !z.win.has(s.rep[0] + 1) {
		if z.win.total > uint64(len(z.win.buf)) || uint64(s.rep[0]) < z.win.total {
			return 0, fmt.Errorf("%w: a match reaches %d bytes back, beyond the %d-byte window glassbox keeps", errLZMAWindow, uint64(s.rep[0])+1, len(z.win.buf))
		}
		return 0, errLZMACorrupt
	}
	z.matchLeft = length + lzmaMatchMin
	if uint64(z.matchLeft) > z.chunkLeft {
		return 0, errors.New("LZMA match runs past the end of the data")
	}
	z.matchDist = s.rep[0] + 1
	return z.decodeByte()
}

// map3 is the state transition after a match, rep or short rep: to a if the previous symbol
// was a literal, else to b.
func map3(state, a, b uint32) uint32 {
	if state < 7 {
		return a
	}
	return b
}

func (z *lzmaReader) literal() byte {
	s, rc := &z.s, &z.rc
	var prev uint32
	if z.win.total > 0 {
		prev = uint32(z.win.back(1))
	}
	litState := (uint32(z.win.total)&(1<<s.lp-1))<<s.lc + prev>>(8-s.lc)
	probs := s.lit[0x300*litState:]
	sym := uint32(1)
	if s.state >= 7 {
		match := uint32(z.win.back(s.rep[0] + 1))
		for sym < 0x100 {
			mb := (match >> 7) & 1
			match <<= 1
			b := rc.bit(&probs[(1+mb)<<8+sym])
			sym = sym<<1 | b
			if mb != b {
				break
			}
		}
	}
	for sym < 0x100 {
		sym = sym<<1 | rc.bit(&probs[sym])
	}
	switch {
	case s.state < 4:
		s.state = 0
	case s.state < 10:
		s.state -= 3
	default:
		s.state -= 6
	}
	b := byte(sym)
	z.win.put(b)
	return b
}

func (z *lzmaReader) distance(length uint32) uint32 {
	s, rc := &z.s, &z.rc
	slot := rc.tree(s.posSlot[min(length, lzmaLenStates-1)][:], 6)
	if slot < 4 {
		return slot
	}
	bits := slot>>1 - 1
	dist := (2 | slot&1) << bits
	if slot < lzmaEndPosIdx {
		return dist + rc.reverse(s.posDec[dist-slot:], bits)
	}
	dist += rc.direct(bits-lzmaAlignBits) << lzmaAlignBits
	return dist + rc.reverse(s.align[:], lzmaAlignBits)
}
