package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// painted is text glassbox itself wrote for the terminal (marks, colour codes): it is written
// as is. Everything else reaching the terminal is content read from a release (file names,
// licence excerpts, weights metadata, card text) and goes through TermSafe.
type painted string

type painter struct{ on bool }

// paint colours s (escaped) when colour is on.
func (p painter) paint(code, s string) painted {
	if !p.on {
		return painted(TermSafe(s))
	}
	return painted(code + TermSafe(s) + ansiReset)
}

// textWriter builds a terminal report. Its printf escapes every string argument with TermSafe
// and passes painted ones through, so no release content can move the cursor, recolour the
// screen or hide text.
type textWriter struct {
	b strings.Builder
	p painter
}

func (w *textWriter) printf(format string, args ...any) {
	fmt.Fprintf(&w.b, format, safeArgs(args)...)
}

// SafePrintf is fmt.Fprintf for terminal output whose string arguments come from outside
// (file names, metadata, licence texts): each is escaped with TermSafe; format is trusted.
func SafePrintf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, safeArgs(args)...)
}

func safeArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = TermSafe(v)
		case painted:
			out[i] = string(v)
		default:
			out[i] = a
		}
	}
	return out
}

// TermSafe shows the characters that would drive a terminal as Go escapes: control characters
// (ESC, CR, LF, tab, C1 controls, DEL), the bidirectional controls that reorder what is shown
// (U+202E and kin), and bytes that are not UTF-8. Everything else is unchanged.
func TermSafe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			for _, r := range s[i:] {
				if r == utf8.RuneError || unsafeRune(r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
