package artifact

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"unicode/utf16"
)

// A 7z archive: a 32-byte signature header pointing at a header at the end of the file. The
// header (often itself LZMA-compressed, an "encoded header") lists the packed streams, the
// folders that decode them (a chain of coders: Copy, LZMA, LZMA2, filters, AES) and the files,
// which are consecutive pieces ("substreams") of the folders' output. glassbox parses the
// header itself, bounding every count and size by the bytes that hold it, and decodes folders
// made of a chain of Copy, LZMA, LZMA2 and x86 BCJ coders, within the same budgets as zip
// members: LZMA and LZMA2 through github.com/ulikunitz/xz/lzma (see lzma.go), BCJ in bcj.go.
// It walks the pickles and arrays it finds; other folders, encrypted ones among them, are
// reported as not examined.
//
// github.com/bodgit/sevenzip, a complete 7z reader, is not used: its header parser sizes
// slices straight from the header's counts, so a 41-byte file asking for 2^32 files makes it
// allocate 515 GB and the process die of a fatal out-of-memory error, which recover cannot
// catch.

// sevenZipMagic opens every 7z archive.
var sevenZipMagic = []byte("7z\xbc\xaf\x27\x1c")

// is7z recognises a 7z archive by its signature.
func is7z(head []byte) bool { return bytes.HasPrefix(head, sevenZipMagic) }

// Property ids of the 7z header.
const (
	szEnd              = 0x00
	szHeader           = 0x01
	szArchiveProps     = 0x02
	szAdditionalStream = 0x03
	szMainStreams      = 0x04
	szFilesInfo        = 0x05
	szPackInfo         = 0x06
	szUnpackInfo       = 0x07
	szSubStreamsInfo   = 0x08
	szSize             = 0x09
	szCRC              = 0x0A
	szFolderID         = 0x0B
	szCodersUnpackSize = 0x0C
	szNumUnpackStream  = 0x0D
	szEmptyStream      = 0x0E
	szName             = 0x11
	szEncodedHeader    = 0x17
)

// Coder ids glassbox decodes, and the one it names when refusing.
var (
	szCopy   = []byte{0x00}
	szLZMA   = []byte{0x03, 0x01, 0x01}
	szLZMA2  = []byte{0x21}
	szBCJX86 = []byte{0x03, 0x03, 0x01, 0x03}
	szAES    = []byte{0x06, 0xf1, 0x07, 0x01}
)

const (
	// maxSevenZipHeader bounds the header, encoded or decoded.
	maxSevenZipHeader = 16 << 20
	// maxSevenZipItems bounds folders, coders, streams and files.
	maxSevenZipItems = 1 << 20
	// lzmaWindowCap bounds the LZMA dictionary glassbox holds.
	lzmaWindowCap = 64 << 20
	// maxEncodedHeaders bounds headers that decode to further encoded headers.
	maxEncodedHeaders = 4
)

// szCoder is one step of a folder.
type szCoder struct {
	id      []byte
	in, out uint64
	props   []byte
	chained bool
}

// szFolder is a chain of coders that turns packed streams into one output.
type szFolder struct {
	coders []szCoder
	// bound maps an output stream to the coder input it feeds; the one output bound to
	// nothing is the folder's.
	bound       map[uint64]uint64
	packed      int      // packed streams it reads
	unpackSizes []uint64 // one per coder output
	// streams and sizes are its substreams: the files it holds, in order.
	streams uint64
	sizes   []uint64
	// hasCRC says the folder's output has a CRC of its own.
	hasCRC bool
}

// size is the folder's final output size: that of the one output bound to no coder.
func (f *szFolder) size() uint64 {
	for i, s := range f.unpackSizes {
		if _, ok := f.bound[uint64(i)]; !ok {
			return s
		}
	}
	return 0
}

// szStreams is a StreamsInfo block.
type szStreams struct {
	packPos   uint64
	packSizes []uint64
	folders   []*szFolder
}

// szFile is one entry of FilesInfo.
type szFile struct {
	name      string
	hasStream bool
}

// szParser reads the header's bytes.
type szParser struct {
	b []byte
	i int
}

var errSZShort = errors.New("7z header ends early")

func (p *szParser) byte() (byte, error) {
	if p.i >= len(p.b) {
		return 0, errSZShort
	}
	p.i++
	return p.b[p.i-1], nil
}

func (p *szParser) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(p.b)-p.i) {
		return nil, errSZShort
	}
	p.i += int(n)
	return p.b[p.i-int(n) : p.i], nil
}

// number reads 7z's variable-length integer: the leading one bits of the first byte count
// the little-endian bytes that follow; its remaining bits are the high part.
func (p *szParser) number() (uint64, error) {
	first, err := p.byte()
	if err != nil {
		return 0, err
	}
	var v uint64
	mask := byte(0x80)
	for i := range 8 {
		if first&mask == 0 {
			return v | uint64(first&(mask-1))<<(8*i), nil
		}
		b, err := p.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(b) << (8 * i)
		mask >>= 1
	}
	return v, nil
}

// count reads a number of items, each needing at least one byte of what remains.
func (p *szParser) count(what string) (int, error) {
	n, err := p.number()
	if err != nil {
		return 0, err
	}
	if n > uint64(len(p.b)-p.i)+1 || n > maxSevenZipItems {
		return 0, fmt.Errorf("7z header claims %d %s, more than it has room for", n, what)
	}
	return int(n), nil
}

func (p *szParser) expect(id byte) error {
	b, err := p.byte()
	if err != nil {
		return err
	}
	if b != id {
		return fmt.Errorf("7z header has property 0x%02x where 0x%02x belongs", b, id)
	}
	return nil
}

// bits reads a bit vector of n items, most significant bit first.
func (p *szParser) bits(n int) ([]bool, error) {
	raw, err := p.bytes(uint64((n + 7) / 8))
	if err != nil {
		return nil, err
	}
	v := make([]bool, n)
	for i := range v {
		v[i] = raw[i/8]&(0x80>>(i%8)) != 0
	}
	return v, nil
}

// digests skips a digest list of n items and says which items have one.
func (p *szParser) digests(n int) ([]bool, error) {
	all, err := p.byte()
	if err != nil {
		return nil, err
	}
	var v []bool
	if all == 0 {
		if v, err = p.bits(n); err != nil {
			return nil, err
		}
	} else {
		v = make([]bool, n)
		for i := range v {
			v[i] = true
		}
	}
	defined := 0
	for _, d := range v {
		if d {
			defined++
		}
	}
	_, err = p.bytes(uint64(defined) * 4)
	return v, err
}

// streams reads a StreamsInfo block through its end.
func (p *szParser) streams() (*szStreams, error) {
	s := &szStreams{}
	for {
		id, err := p.byte()
		if err != nil {
			return nil, err
		}
		switch id {
		case szEnd:
			return s, nil
		case szPackInfo:
			if err := p.packInfo(s); err != nil {
				return nil, err
			}
		case szUnpackInfo:
			if err := p.unpackInfo(s); err != nil {
				return nil, err
			}
		case szSubStreamsInfo:
			if err := p.subStreams(s); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("7z streams info has unexpected property 0x%02x", id)
		}
	}
}

func (p *szParser) packInfo(s *szStreams) error {
	var err error
	if s.packPos, err = p.number(); err != nil {
		return err
	}
	n, err := p.count("packed streams")
	if err != nil {
		return err
	}
	s.packSizes = make([]uint64, n)
	for {
		id, err := p.byte()
		if err != nil {
			return err
		}
		switch id {
		case szEnd:
			return nil
		case szSize:
			for i := range s.packSizes {
				if s.packSizes[i], err = p.number(); err != nil {
					return err
				}
			}
		case szCRC:
			if _, err := p.digests(n); err != nil {
				return err
			}
		default:
			return fmt.Errorf("7z pack info has unexpected property 0x%02x", id)
		}
	}
}

func (p *szParser) unpackInfo(s *szStreams) error {
	if err := p.expect(szFolderID); err != nil {
		return err
	}
	n, err := p.count("folders")
	if err != nil {
		return err
	}
	if ext, err := p.byte(); err != nil || ext != 0 {
		if err == nil {
			err = errors.New("7z folders stored outside the header are not supported")
		}
		return err
	}
	s.folders = make([]*szFolder, n)
	for i := range s.folders {
		if s.folders[i], err = p.folder(); err != nil {
			return err
		}
	}
	if err := p.expect(szCodersUnpackSize); err != nil {
		return err
	}
	for _, f := range s.folders {
		for j := range f.unpackSizes {
			if f.unpackSizes[j], err = p.number(); err != nil {
				return err
			}
		}
		f.streams, f.sizes = 1, []uint64{f.size()}
	}
	for {
		id, err := p.byte()
		if err != nil {
			return err
		}
		switch id {
		case szEnd:
			return nil
		case szCRC:
			defined, err := p.digests(n)
			if err != nil {
				return err
			}
			for i, d := range defined {
				s.folders[i].hasCRC = d
			}
		default:
			return fmt.Errorf("7z unpack info has unexpected property 0x%02x", id)
		}
	}
}

func (p *szParser) folder() (*szFolder, error) {
	n, err := p.count("coders")
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("7z folder has no coders")
	}
	f := &szFolder{coders: make([]szCoder, n), bound: map[uint64]uint64{}}
	var ins, outs uint64
	for i := range f.coders {
		c := &f.coders[i]
		flags, err := p.byte()
		if err != nil {
			return nil, err
		}
		if flags&0x80 != 0 {
			return nil, errors.New("7z coder uses alternative methods, which no writer emits")
		}
		if c.id, err = p.bytes(uint64(flags & 0x0f)); err != nil {
			return nil, err
		}
		c.in, c.out = 1, 1
		if flags&0x10 != 0 {
			c.chained = true
			if c.in, err = p.number(); err != nil {
				return nil, err
			}
			if c.out, err = p.number(); err != nil {
				return nil, err
			}
			if c.in > 64 || c.out > 64 {
				return nil, fmt.Errorf("7z coder has %d inputs and %d outputs", c.in, c.out)
			}
		}
		if flags&0x20 != 0 {
			size, err := p.number()
			if err != nil {
				return nil, err
			}
			if c.props, err = p.bytes(size); err != nil {
				return nil, err
			}
		}
		ins += c.in
		outs += c.out
	}
	if outs == 0 || ins+1 < outs {
		return nil, errors.New("7z folder's coders do not connect")
	}
	if outs > uint64(len(p.b)-p.i) {
		// Each output needs its size stated later in the header.
		return nil, fmt.Errorf("7z folder claims %d coder outputs, more than the header has room for", outs)
	}
	for range outs - 1 {
		in, err := p.number()
		if err != nil {
			return nil, err
		}
		out, err := p.number()
		if err != nil {
			return nil, err
		}
		f.bound[out] = in
	}
	f.packed = int(ins - (outs - 1))
	if f.packed > 1 {
		for range f.packed {
			if _, err := p.number(); err != nil {
				return nil, err
			}
		}
	}
	f.unpackSizes = make([]uint64, outs)
	return f, nil
}

func (p *szParser) subStreams(s *szStreams) error {
	id, err := p.byte()
	if err != nil {
		return err
	}
	if id == szNumUnpackStream {
		for _, f := range s.folders {
			if f.streams, err = p.number(); err != nil {
				return err
			}
			if f.streams > uint64(len(p.b)) {
				return fmt.Errorf("7z folder claims %d files, more than the header has room for", f.streams)
			}
		}
		if id, err = p.byte(); err != nil {
			return err
		}
	}
	for _, f := range s.folders {
		total := f.size()
		f.sizes = f.sizes[:0]
		if f.streams == 0 {
			continue
		}
		var sum uint64
		if id == szSize {
			for range f.streams - 1 {
				n, err := p.number()
				if err != nil {
					return err
				}
				if n > total-sum {
					return errors.New("7z file sizes exceed their folder's size")
				}
				sum += n
				f.sizes = append(f.sizes, n)
			}
		} else if f.streams > 1 {
			return errors.New("7z folder holds several files but lists no sizes")
		}
		f.sizes = append(f.sizes, total-sum)
	}
	if id == szSize {
		if id, err = p.byte(); err != nil {
			return err
		}
	}
	for {
		switch id {
		case szEnd:
			return nil
		case szCRC:
			// Listed are the files whose CRC is not already their folder's.
			n := 0
			for _, f := range s.folders {
				if f.streams != 1 || !f.hasCRC {
					n += int(f.streams)
				}
			}
			if _, err := p.digests(n); err != nil {
				return err
			}
		default:
			return fmt.Errorf("7z substreams info has unexpected property 0x%02x", id)
		}
		if id, err = p.byte(); err != nil {
			return err
		}
	}
}

// files reads FilesInfo.
func (p *szParser) files() ([]szFile, error) {
	n, err := p.count("files")
	if err != nil {
		return nil, err
	}
	files := make([]szFile, n)
	for i := range files {
		files[i].hasStream = true
	}
	for {
		kind, err := p.byte()
		if err != nil {
			return nil, err
		}
		if kind == szEnd {
			return files, nil
		}
		size, err := p.number()
		if err != nil {
			return nil, err
		}
		body, err := p.bytes(size)
		if err != nil {
			return nil, err
		}
		q := &szParser{b: body}
		switch kind {
		case szEmptyStream:
			empty, err := q.bits(n)
			if err != nil {
				return nil, err
			}
			for i, e := range empty {
				files[i].hasStream = !e
			}
		case szName:
			if ext, err := q.byte(); err != nil || ext != 0 {
				return nil, errors.New("7z file names stored outside the header are not supported")
			}
			rest := q.b[q.i:]
			for i := range files {
				end := -1
				for j := 0; j+1 < len(rest); j += 2 {
					if rest[j] == 0 && rest[j+1] == 0 {
						end = j
						break
					}
				}
				if end < 0 {
					return nil, errors.New("7z file names end early")
				}
				units := make([]uint16, end/2)
				for k := range units {
					units[k] = binary.LittleEndian.Uint16(rest[2*k:])
				}
				files[i].name = string(utf16.Decode(units))
				rest = rest[end+2:]
			}
		}
	}
}

// read7z reads a 7z archive's header and walks the pickles and arrays among its files.
func read7z(f *Facts, r io.ReaderAt, size int64) error {
	if size < 32 {
		return fmt.Errorf("a 7z archive needs a 32-byte signature header; this file has %d bytes", size)
	}
	sig := make([]byte, 32)
	if err := readFull(r, sig, 0); err != nil {
		return fmt.Errorf("reading the 7z signature header: %w", err)
	}
	if !is7z(sig) {
		return errors.New("not a 7z archive: the signature is missing")
	}
	if sig[6] != 0 {
		return fmt.Errorf("7z format version %d.%d is not one glassbox reads", sig[6], sig[7])
	}
	if crc32.ChecksumIEEE(sig[12:32]) != binary.LittleEndian.Uint32(sig[8:]) {
		return errors.New("7z start header fails its checksum")
	}
	off, n := binary.LittleEndian.Uint64(sig[12:]), binary.LittleEndian.Uint64(sig[20:])
	z := &szReader{r: r, size: size, f: f}
	if n == 0 {
		z.c.apply(f)
		return nil
	}
	if off > uint64(size-32) || n > uint64(size-32)-off {
		return fmt.Errorf("7z header at %d (%d bytes) lies beyond the %d-byte file", off, n, size)
	}
	if n > maxSevenZipHeader {
		return fmt.Errorf("7z header of %d bytes exceeds the %d glassbox reads", n, maxSevenZipHeader)
	}
	hdr := make([]byte, n)
	if err := readFull(r, hdr, int64(32+off)); err != nil {
		return fmt.Errorf("reading the 7z header: %w", err)
	}
	if crc32.ChecksumIEEE(hdr) != binary.LittleEndian.Uint32(sig[28:]) {
		return errors.New("7z header fails its checksum")
	}
	err := z.read(hdr)
	z.c.apply(f)
	return err
}

// szReader holds the state of reading one 7z archive.
type szReader struct {
	r        io.ReaderAt
	size     int64
	f        *Facts
	c        findings
	inflated int64
}

// read parses the header, decoding encoded headers, and examines the files.
func (z *szReader) read(hdr []byte) error {
	for range maxEncodedHeaders + 1 {
		p := &szParser{b: hdr}
		id, err := p.byte()
		if err != nil {
			return err
		}
		switch id {
		case szHeader:
			return z.header(p)
		case szEncodedHeader:
			s, err := p.streams()
			if err != nil {
				return fmt.Errorf("7z encoded header: %w", err)
			}
			if len(s.folders) == 0 || s.folders[0].size() > maxSevenZipHeader {
				return errors.New("7z encoded header does not decode to a header glassbox reads")
			}
			rd, _, err := z.folderReader(s, 0)
			if errors.Is(err, errSZEncrypted) {
				// Without the password not even the names can be read.
				z.c.warn(true, "the 7z header is encrypted; no member was examined")
				return nil
			}
			if err != nil {
				return fmt.Errorf("7z encoded header: %w", err)
			}
			hdr = make([]byte, s.folders[0].size())
			if _, err := io.ReadFull(rd, hdr); err != nil {
				return fmt.Errorf("decoding the 7z header: %w", err)
			}
		default:
			return fmt.Errorf("7z header starts with property 0x%02x", id)
		}
	}
	return errors.New("7z headers nest too deep")
}

func (z *szReader) header(p *szParser) error {
	var main *szStreams
	var files []szFile
	for {
		id, err := p.byte()
		if err != nil {
			return err
		}
		switch id {
		case szEnd:
			return z.examine(main, files)
		case szArchiveProps:
			for {
				kind, err := p.byte()
				if err != nil {
					return err
				}
				if kind == 0 {
					break
				}
				size, err := p.number()
				if err != nil {
					return err
				}
				if _, err := p.bytes(size); err != nil {
					return err
				}
			}
		case szAdditionalStream:
			if _, err := p.streams(); err != nil {
				return err
			}
		case szMainStreams:
			if main, err = p.streams(); err != nil {
				return err
			}
		case szFilesInfo:
			if files, err = p.files(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("7z header has unexpected property 0x%02x", id)
		}
	}
}

// examine walks the files that hold pickles or arrays, folder by folder.
func (z *szReader) examine(s *szStreams, files []szFile) error {
	if s == nil {
		return nil
	}
	var firstErr error
	next := 0 // the next file with a stream
	for fi, folder := range s.folders {
		var names []string
		for range folder.sizes {
			for next < len(files) && !files[next].hasStream {
				next++
			}
			name := fmt.Sprintf("file %d", next+1)
			if next < len(files) {
				name = files[next].name
				next++
			}
			names = append(names, name)
		}
		if err := z.folder(s, fi, names); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// folder decodes one folder and examines the files in it.
func (z *szReader) folder(s *szStreams, fi int, names []string) error {
	folder := s.folders[fi]
	wanted := false
	for _, name := range names {
		if why := unsafeMemberName(strings.ReplaceAll(name, `\`, "/")); why != "" {
			z.c.warn(true, "member %q %s; not examined", name, why)
			continue
		}
		wanted = true
	}
	if !wanted {
		return nil
	}
	rd, inflates, err := z.folderReader(s, fi)
	if err != nil {
		if errors.Is(err, errBomb) || errors.Is(err, errSZUnsupported) {
			z.c.warn(true, "%s not examined: %v", quoteNames(names), err)
			return nil
		}
		return err
	}
	for i, name := range names {
		n := folder.sizes[i]
		if inflates && n > MaxArchiveMember {
			// As for a zip member: too big to inflate. In a solid folder the files after it
			// can only be reached by inflating it, so they go unexamined too.
			z.c.warn(true, "%q not examined: %v: it claims %d bytes inflated, more than the %d glassbox reads", name, errBomb, n, MaxArchiveMember)
			if after := safeNames(names[i+1:]); len(after) > 0 {
				z.c.warn(true, "%s not examined: they follow %q in its solid 7z folder", quoteNames(after), name)
			}
			return nil
		}
		part := io.LimitReader(rd, int64(min(n, 1<<62)))
		if unsafeMemberName(strings.ReplaceAll(name, `\`, "/")) == "" {
			if err := z.file(name, part, n); err != nil {
				if errors.Is(err, errLZMAWindow) {
					z.c.warn(true, "%q not examined: %v", name, err)
					return nil
				}
				return fmt.Errorf("member %q: %w", name, err)
			}
		}
		if _, err := io.Copy(io.Discard, part); err != nil {
			if errors.Is(err, errLZMAWindow) {
				z.c.warn(true, "%s not examined: %v", quoteNames(names[i+1:]), err)
				return nil
			}
			return fmt.Errorf("decoding the 7z folder after %q: %w", name, err)
		}
	}
	return nil
}

// safeNames is names less those unsafeMemberName rejects (already reported).
func safeNames(names []string) []string {
	var safe []string
	for _, n := range names {
		if unsafeMemberName(strings.ReplaceAll(n, `\`, "/")) == "" {
			safe = append(safe, n)
		}
	}
	return safe
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// file examines one file of n bytes by what its name and first bytes say it is.
func (z *szReader) file(name string, r io.Reader, n uint64) error {
	head := make([]byte, min(n, SniffLen))
	if _, err := io.ReadFull(r, head); err != nil {
		return err
	}
	rest := io.MultiReader(bytes.NewReader(head), r)
	switch Detect(name, head) {
	case FormatPickle:
		w, err := WalkPickle(rest, int64(n))
		z.c.add(w, name)
		return err
	case FormatNPY:
		a, w, err := scanNPY(rest, int64(n))
		if a != nil {
			z.f.Tensors++
			z.f.TensorNames = append(z.f.TensorNames, strings.TrimSuffix(name, ".npy"))
			z.f.Parameters += a.elements
			if z.f.DTypes == nil {
				z.f.DTypes = map[string]int64{}
			}
			z.f.DTypes[a.dtype] += a.elements
		}
		if w != nil {
			z.c.add(w, name)
		}
		return err
	case FormatZip, FormatPyTorchZip, FormatNPZ, Format7z:
		z.c.warn(true, "member %q is itself an archive; glassbox does not look inside nested archives", name)
	}
	return nil
}

var (
	// errSZUnsupported marks a folder glassbox does not decode.
	errSZUnsupported = errors.New("unsupported 7z coder")
	// errSZEncrypted marks an encrypted folder: glassbox has no password and asks for none.
	errSZEncrypted = fmt.Errorf("%w: the folder is encrypted", errSZUnsupported)
)

// folderReader returns a reader of a folder's output, within the archive's budget, and whether
// the folder inflates (holds an LZMA or LZMA2 coder). It decodes chains of one-input,
// one-output coders: the packed stream feeds one coder, whose output feeds the next, up to the
// folder's output.
func (z *szReader) folderReader(s *szStreams, fi int) (io.Reader, bool, error) {
	folder := s.folders[fi]
	if folder.packed != 1 {
		return nil, false, fmt.Errorf("%w: the folder reads %d packed streams", errSZUnsupported, folder.packed)
	}
	for _, c := range folder.coders {
		if c.chained {
			return nil, false, fmt.Errorf("%w: coder %x has several inputs or outputs", errSZUnsupported, c.id)
		}
	}
	// Find the folder's packed stream: folders take packed streams in order.
	idx := 0
	for _, f := range s.folders[:fi] {
		idx += f.packed
	}
	if idx >= len(s.packSizes) {
		return nil, false, errors.New("7z folder has no packed stream")
	}
	start := 32 + s.packPos
	if start < s.packPos {
		return nil, false, errors.New("7z packed streams lie beyond the file")
	}
	for _, n := range s.packSizes[:idx] {
		start += n
		if start < n || start > uint64(z.size) {
			return nil, false, errors.New("7z packed streams lie beyond the file")
		}
	}
	n := s.packSizes[idx]
	if start > uint64(z.size) || n > uint64(z.size)-start {
		return nil, false, fmt.Errorf("7z packed stream at %d (%d bytes) lies beyond the %d-byte file", start, n, z.size)
	}
	var r io.Reader = io.NewSectionReader(z.r, int64(start), int64(n))

	// With one input and one output each, coder i reads input i and writes output i; the
	// packed stream feeds the input no output is bound to.
	fed := map[uint64]bool{}
	for _, in := range folder.bound {
		fed[in] = true
	}
	c := -1
	for i := range folder.coders {
		if !fed[uint64(i)] {
			c = i
			break
		}
	}
	inflated := false
	for steps := 0; ; steps++ {
		if c < 0 || c >= len(folder.coders) || steps == len(folder.coders) {
			return nil, false, errors.New("7z folder's coders do not form a chain")
		}
		coder := folder.coders[c]
		out := folder.unpackSizes[c]
		var err error
		switch {
		case bytes.Equal(coder.id, szCopy):
			r = io.LimitReader(r, int64(min(out, 1<<62)))
		case bytes.Equal(coder.id, szBCJX86):
			if len(coder.props) != 0 {
				return nil, false, fmt.Errorf("%w: x86 filter with a start offset", errSZUnsupported)
			}
			r = io.LimitReader(newBCJReader(r), int64(min(out, 1<<62)))
		case bytes.Equal(coder.id, szLZMA), bytes.Equal(coder.id, szLZMA2):
			if !inflated {
				if out > maxArchiveInflated || z.inflated+int64(out) > maxArchiveInflated {
					return nil, false, fmt.Errorf("%w: the folder inflates to %d bytes, beyond the %d glassbox reads", errBomb, out, maxArchiveInflated)
				}
				z.inflated += int64(out)
				inflated = true
			} else if out > maxArchiveInflated {
				return nil, false, fmt.Errorf("%w: a coder inflates to %d bytes, beyond the %d glassbox reads", errBomb, out, maxArchiveInflated)
			}
			if bytes.Equal(coder.id, szLZMA) {
				r, err = newLZMAReader(r, coder.props, out, lzmaWindowCap)
			} else {
				r, err = newLZMA2Reader(r, coder.props, out, lzmaWindowCap)
			}
		case bytes.Equal(coder.id, szAES):
			return nil, false, errSZEncrypted
		default:
			return nil, false, fmt.Errorf("%w: method %x", errSZUnsupported, coder.id)
		}
		if err != nil {
			return nil, false, err
		}
		next, ok := folder.bound[uint64(c)]
		if !ok {
			return r, inflated, nil
		}
		c = int(next)
	}
}
