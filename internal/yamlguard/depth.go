package yamlguard

import (
	"bytes"
	"fmt"
)

// CheckDepth reads YAML text, without parsing it, and fails when its collections nest more
// than max deep. It works line by line in linear time and approximates the structure from
// above where it must, and never counts what cannot nest:
//
//   - a block collection is one level per indentation step that is still open, plus one per
//     `- ` or `? ` that starts a nested entry on the same line ("- - - x" is three deep);
//   - a flow collection is one level per `[` or `{` that begins a value (after `: `, `- `,
//     `,` or another bracket, or at the start of a line) or stands inside a flow collection;
//     brackets inside plain text ("see [1]") are text;
//   - quoted scalars (also across lines), comments and block scalars (`|`, `>`) hold no
//     structure and are skipped.
//
// An estimate is enough: the limit exists to keep the parser's quadratic cost small, and real
// metadata nests a dozen levels at most.
func CheckDepth(src []byte, max int) error {
	d := depthScanner{max: max, blockParent: -1}
	for n := 1; len(src) > 0; n++ {
		l := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if err := d.line(bytes.TrimSuffix(l, []byte("\r")), n); err != nil {
			return err
		}
	}
	return nil
}

// depthScanner is the state carried from line to line.
type depthScanner struct {
	max         int
	stack       []int // indentation of the open block levels
	flow        int   // open flow collections
	quote       byte  // the quote of a scalar that continues on the next line, or 0
	blockParent int   // indentation of the line that opened a block scalar, or -1
}

func (d *depthScanner) tooDeep(n int) error {
	return &Error{Line: n, Msg: fmt.Sprintf("collections nest more than %d deep; it is not parsed", d.max)}
}

// line scans one line, numbered n.
func (d *depthScanner) line(l []byte, n int) error {
	pos := 0
	if d.quote != 0 {
		end, closed := quoteEnd(l, 0, d.quote)
		if !closed {
			return nil
		}
		d.quote, pos = 0, end
	}
	indent := 0
	for indent < len(l) && l[indent] == ' ' {
		indent++
	}
	blank := indent == len(l) || l[indent] == '#'
	if d.blockParent >= 0 {
		if blank || indent > d.blockParent {
			return nil // block scalar content
		}
		d.blockParent = -1
	}
	if blank && pos == 0 {
		return nil
	}
	base := len(d.stack)
	if pos == 0 && d.flow == 0 {
		if indent == 0 && (bytes.HasPrefix(l, []byte("---")) || bytes.HasPrefix(l, []byte("..."))) {
			d.stack = d.stack[:0] // a new document
			return nil
		}
		for len(d.stack) > 0 && d.stack[len(d.stack)-1] > indent {
			d.stack = d.stack[:len(d.stack)-1]
		}
		if len(d.stack) == 0 || d.stack[len(d.stack)-1] < indent {
			d.stack = append(d.stack, indent)
		}
		pos = indent
		base = len(d.stack)
		for pos < len(l) && (l[pos] == '-' || l[pos] == '?') && (pos+1 == len(l) || l[pos+1] == ' ') {
			base++
			pos += 2
			for pos < len(l) && l[pos] == ' ' {
				pos++
			}
		}
		if base > d.max {
			return d.tooDeep(n)
		}
	} else if pos == 0 {
		pos = indent
	}
	return d.rest(l, pos, n, base, indent)
}

// rest scans a line from pos for quotes, comments, brackets and block scalar indicators; base is
// the block depth of the line and indent its indentation.
func (d *depthScanner) rest(l []byte, pos, n, base, indent int) error {
	atValue := true // at the start of a value, where a quote or bracket opens something
	for i := pos; i < len(l); i++ {
		c := l[i]
		switch {
		case c == ' ' || c == '\t':
			continue
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return nil
		case atValue && (c == '"' || c == '\''):
			end, closed := quoteEnd(l, i+1, c)
			if !closed {
				d.quote = c
				return nil
			}
			i = end - 1
			atValue = false
		case (c == '[' || c == '{') && (atValue || d.flow > 0):
			d.flow++
			if base+d.flow > d.max {
				return d.tooDeep(n)
			}
			atValue = true
		case (c == ']' || c == '}') && d.flow > 0:
			d.flow--
			atValue = false
		case c == ',' && d.flow > 0:
			atValue = true
		case c == ':' && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' || d.flow > 0):
			atValue = true
		case atValue && (c == '&' || c == '!'):
			// An anchor or a tag before the value: the value still begins after it.
			for i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' {
				i++
			}
		case atValue && d.flow == 0 && (c == '|' || c == '>'):
			d.blockParent = indent
			return nil
		default:
			atValue = false
		}
	}
	return nil
}

// quoteEnd returns the index after the quote q that closes a scalar begun before from, and
// whether it closes on this line. A double-quoted scalar escapes with a backslash, a
// single-quoted one by doubling the quote.
func quoteEnd(l []byte, from int, q byte) (int, bool) {
	for i := from; i < len(l); i++ {
		switch {
		case q == '"' && l[i] == '\\':
			i++
		case l[i] == q && q == '\'' && i+1 < len(l) && l[i+1] == '\'':
			i++
		case l[i] == q:
			return i + 1, true
		}
	}
	return len(l), false
}
