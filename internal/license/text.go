package license

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FNV-1a, 64 bit: word hashes for phrase matching.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// tokenize calls fn for every word of text, in order, with the hash of its lowercased form and
// its byte offsets (plus base). A word is a run of letters and digits, with any '+' that follows
// ("RAIL++"). Everything else separates words, so punctuation, quotes (straight or curly),
// Markdown emphasis, list markers and line wrapping do not change the words. HTML tags and the
// targets of Markdown links ("[text](url)") are skipped: hosting sites add them around the
// same words. The work is linear in the length of text.
func tokenize(text string, base int, fn func(h uint64, start, end int)) {
	var h uint64
	start := -1
	flush := func(end int) {
		if start >= 0 {
			fn(h, base+start, base+end)
			start = -1
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '+' && start >= 0:
			default:
				flush(i)
				if c == '<' {
					i += skipTag(text[i:])
				} else if c == ']' && i+1 < len(text) && text[i+1] == '(' {
					i += 1 + skipLinkTarget(text[i+1:])
				} else {
					i++
				}
				continue
			}
			if start < 0 {
				start, h = i, fnvOffset
			}
			h = (h ^ uint64(c)) * fnvPrime
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			i += size
			continue
		}
		if start < 0 {
			start, h = i, fnvOffset
		}
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
		for _, b := range buf[:n] {
			h = (h ^ uint64(b)) * fnvPrime
		}
		i += size
	}
	flush(len(text))
}

// skipTag returns the length of an HTML tag at the start of s ("<span …>", "</p>", "<br/>"), or
// 1 when s does not start with one.
func skipTag(s string) int {
	if len(s) < 3 || !(isASCIILetter(s[1]) || s[1] == '/' || s[1] == '!') {
		return 1
	}
	for i := 1; i < len(s) && i < 256; i++ {
		switch s[i] {
		case '>':
			return i + 1
		case '<', '\n':
			return 1
		}
	}
	return 1
}

// skipLinkTarget returns the length of a Markdown link target "(url)" at the start of s, or 1
// when s does not hold one.
func skipLinkTarget(s string) int {
	for i := 1; i < len(s) && i < 1024; i++ {
		switch s[i] {
		case ')':
			return i + 1
		case ' ', '\t', '\n', '\r', '(':
			return 1
		}
	}
	return 1
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// frontMatterEnd returns the byte offset just after a YAML front-matter block that opens the
// text ("---" on the first line, closed by "---" or "..."), or 0 when there is none. Model cards
// and ScanCode's licence files carry such headers; they describe the text (and may even name
// its licence), so identification reads only what follows them.
func frontMatterEnd(text string) int {
	i := 0
	if strings.HasPrefix(text, "\ufeff") {
		i = len("\ufeff")
	}
	first, rest, ok := cutLine(text[i:])
	if !ok || strings.TrimRight(first, " \t\r") != "---" {
		return 0
	}
	off := len(text) - len(rest)
	// A header is short; give up after 64 KB rather than scan a huge text for a closing line.
	for lines := 0; lines < 2000 && off < len(text) && off < 64<<10; lines++ {
		line, next, _ := cutLine(text[off:])
		if l := strings.TrimRight(line, " \t\r"); l == "---" || l == "..." {
			return len(text) - len(next)
		}
		off = len(text) - len(next)
	}
	return 0
}

// cutLine splits s after its first line; ok is false when s holds no newline.
func cutLine(s string) (line, rest string, ok bool) {
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// lineNumbers maps byte offsets of text to 1-based line numbers in one pass.
func lineNumbers(text string, offsets []int) map[int]int {
	sorted := append([]int(nil), offsets...)
	sort.Ints(sorted)
	out := make(map[int]int, len(sorted))
	line, pos := 1, 0
	for _, orig := range sorted {
		off := min(max(orig, 0), len(text))
		if off > pos {
			line += strings.Count(text[pos:off], "\n")
			pos = off
		}
		out[orig] = line
	}
	return out
}

// lastWordEnd returns the offset just after the last non-space byte of text[from:to], or from.
func lastWordEnd(text string, from, to int) int {
	to = min(to, len(text))
	for to > from {
		switch text[to-1] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			to--
		default:
			return to
		}
	}
	return from
}
