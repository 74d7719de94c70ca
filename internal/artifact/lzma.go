package artifact

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ulikunitz/xz/lzma"
)

// LZMA and LZMA2, the codecs 7-Zip uses, are decoded by github.com/ulikunitz/xz/lzma. This
// file adapts a 7z coder (its properties and declared output size) to that library, within
// bounds the library does not set for itself: the dictionary it allocates is never larger
// than the output, nor than the window the caller allows, whatever the properties claim; the
// output stops at the declared size; and a panic inside the library is an error, not a crash.

// errLZMAWindow marks data that needs a bigger dictionary than glassbox holds: not corrupt,
// just not examined.
var errLZMAWindow = errors.New("LZMA dictionary too large")

// lzmaDict is the dictionary glassbox lets the decoder hold for a stream that claims dict
// bytes and produces size: no more than the output, nor than window, and at least the
// library's minimum. capped says it is smaller than the stream may need.
func lzmaDict(dict, size uint64, window int) (n int, capped bool) {
	n64 := min(dict, size)
	if n64 > uint64(window) {
		n64, capped = uint64(window), true
	}
	return max(int(n64), lzma.MinDictCap), capped
}

// newLZMAReader reads LZMA data with the five-byte 7z coder properties (properties byte,
// dictionary size), producing size bytes. window bounds the dictionary held.
func newLZMAReader(r io.Reader, props []byte, size uint64, window int) (io.Reader, error) {
	if len(props) != 5 {
		return nil, fmt.Errorf("LZMA properties are %d bytes, not 5", len(props))
	}
	if props[0] >= 9*5*5 {
		return nil, fmt.Errorf("LZMA properties byte %d is out of range", props[0])
	}
	if size > 1<<50 {
		return nil, fmt.Errorf("LZMA stream claims %d bytes, more than the decoder reads", size)
	}
	dict, capped := lzmaDict(uint64(binary.LittleEndian.Uint32(props[1:])), size, window)
	// 7z stores the raw stream; the library reads the classic header that .lzma files put in
	// front of it, so one is made from the properties, the allowed dictionary and the size.
	hdr := make([]byte, lzma.HeaderLen)
	hdr[0] = props[0]
	binary.LittleEndian.PutUint32(hdr[1:], uint32(dict))
	binary.LittleEndian.PutUint64(hdr[5:], size)
	l := &lzmaGuard{what: "LZMA", window: dict, capped: capped}
	var lr *lzma.Reader
	err := l.call(func() (err error) {
		lr, err = lzma.ReaderConfig{DictCap: dict}.NewReader(bufio.NewReader(io.MultiReader(bytes.NewReader(hdr), r)))
		return err
	})
	if err != nil {
		return nil, err
	}
	l.r = lr
	return l, nil
}

// newLZMA2Reader reads LZMA2 data with its one-byte dictionary-size property, producing at
// most size bytes. window bounds the dictionary held.
func newLZMA2Reader(r io.Reader, props []byte, size uint64, window int) (io.Reader, error) {
	if len(props) != 1 || props[0] > 40 {
		return nil, fmt.Errorf("LZMA2 properties %x are not valid", props)
	}
	claimed, err := lzma.DecodeDictCap(props[0])
	if err != nil {
		return nil, fmt.Errorf("LZMA2 properties %x are not valid: %w", props, err)
	}
	dict, capped := lzmaDict(uint64(claimed), size, window)
	l := &lzmaGuard{what: "LZMA2", window: dict, capped: capped}
	var lr *lzma.Reader2
	err = l.call(func() (err error) {
		lr, err = lzma.Reader2Config{DictCap: dict}.NewReader2(bufio.NewReader(r))
		return err
	})
	if err != nil {
		return nil, err
	}
	l.r = io.LimitReader(lr, int64(min(size, 1<<62)))
	return l, nil
}

// lzmaGuard reads from the library's decoder, turning a panic into an error and naming what
// went wrong in glassbox's terms.
type lzmaGuard struct {
	r    io.Reader
	what string // LZMA or LZMA2
	// window is the dictionary held; capped says the stream's own was larger.
	window int
	capped bool
	err    error
}

func (l *lzmaGuard) Read(p []byte) (n int, err error) {
	if l.err != nil {
		return 0, l.err
	}
	err = l.call(func() error {
		var rerr error
		n, rerr = l.r.Read(p)
		return rerr
	})
	return n, err
}

// call runs f, one call into the library, and explains the error it ends in.
func (l *lzmaGuard) call(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("7z: malformed archive: the %s decoder failed on the data: %v", l.what, v)
		}
		if err != nil && err != io.EOF {
			l.err = err
		}
	}()
	err = f()
	switch {
	case err == nil || err == io.EOF:
		return err
	case l.capped && strings.Contains(err.Error(), "distance out of range"):
		return fmt.Errorf("%w: a match reaches beyond the %d-byte window glassbox keeps", errLZMAWindow, l.window)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s stream ends early: %w", l.what, err)
	default:
		return fmt.Errorf("corrupt %s data: %w", l.what, err)
	}
}
