package hubtest

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Hostile makes the fake Hub misbehave the ways a broken or malicious server standing in for the
// Hub could, so that tests can check glassbox stays bounded and honest. Each field turns one
// behaviour on; the zero value is a well-behaved Hub. Set it before the first request.
type Hostile struct {
	// InfoBytes pads every info answer to about this many bytes, streamed (never held).
	InfoBytes int64
	// InfoRepos, when set, limits InfoBytes and GzipInfo to the info answers of these ids.
	InfoRepos []string
	// GzipInfo sends the padded info answer gzip-compressed (a few KB inflating to InfoBytes).
	GzipInfo bool
	// SHA replaces the commit sha of every info answer (e.g. "../../etc" or "main").
	SHA string
	// TreePaths are added as file entries to every tree listing (e.g. "../../etc/passwd").
	TreePaths []string
	// EmptyPages makes every tree page empty, with a next link to a fresh cursor, forever.
	EmptyPages bool
	// RepeatCursor makes every tree and listing page's next link point to the page itself.
	RepeatCursor bool
	// DirPages serves this many pages of directories only before the listing's first page.
	DirPages int
	// NextOrigin, when set ("http://127.0.0.1:9999"), is the origin of the tree's and the
	// listing's next links.
	NextOrigin string
	// RedirectTo, when set, is an origin every /resolve/ answer redirects to, keeping the path.
	RedirectTo string
	// FileStatus, when set, is the status of every /resolve/ answer (e.g. 500).
	FileStatus int
	// RedirectLoop makes every /resolve/ answer redirect to itself.
	RedirectLoop bool
	// HangHeaders makes every answer wait, sending nothing, until the client gives up.
	HangHeaders bool
	// ListEntries are raw entries (objects or not) added after the models of every listing.
	ListEntries []any
	// ListBytes pads every listing page to about this many bytes, streamed (never held).
	ListBytes int64
	// HeaderBytes makes every weights file a safetensors file whose JSON header is this long,
	// served from a generated pattern (never held in memory).
	HeaderBytes int64
}

// hostile answers r if the Hostile settings take it over, and reports whether they did.
func (h *Hub) hostile(w http.ResponseWriter, r *http.Request, p string) bool {
	x := h.Hostile
	if x.HangHeaders {
		<-r.Context().Done()
		return true
	}
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/cdn/") {
		return false
	}
	switch {
	case x.RedirectLoop:
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	case x.RedirectTo != "":
		http.Redirect(w, r, x.RedirectTo+r.URL.RequestURI(), http.StatusFound)
	case x.FileStatus != 0:
		hubError(w, x.FileStatus, "", "hostile hub: status "+strconv.Itoa(x.FileStatus))
	case x.HeaderBytes > 0 && isWeights(p):
		f := bigHeader(x.HeaderBytes)
		w.Header().Set("X-Repo-Commit", strings.Repeat("0", 40))
		http.ServeContent(w, r, "model.safetensors", time.Time{}, io.NewSectionReader(f, 0, f.size))
	default:
		return false
	}
	return true
}

// isWeights tells a weights file by its extension, enough for the fake's fixtures.
func isWeights(p string) bool {
	return strings.HasSuffix(p, ".safetensors") || strings.HasSuffix(p, ".gguf") || strings.HasSuffix(p, ".bin")
}

// writeInfo writes body, padded to InfoBytes with a "pad" field, gzip-compressed if asked.
func (x Hostile) writeInfo(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	out := io.Writer(w)
	if x.GzipInfo {
		w.Header().Set("Content-Encoding", "gzip")
		gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		defer gz.Close()
		out = gz
	}
	head := strings.TrimSuffix(strings.TrimSpace(string(body)), "}")
	if _, err := io.WriteString(out, head+`,"pad":"`); err != nil {
		return
	}
	chunk := []byte(strings.Repeat("a", 64<<10))
	for n := int64(0); n < x.InfoBytes; n += int64(len(chunk)) {
		if _, err := out.Write(chunk); err != nil {
			return // the client stopped reading
		}
	}
	io.WriteString(out, `"}`)
}

// patternFile is a safetensors file of a given header length, generated on the fly: the
// length, then {"__metadata__":{"p":"aaaa…"}} padded to the length, and no tensor data.
type patternFile struct {
	hdr  int64
	size int64
}

func bigHeader(n int64) *patternFile { return &patternFile{hdr: n, size: 8 + n} }

// ReadAt generates the bytes at off.
func (f *patternFile) ReadAt(p []byte, off int64) (int, error) {
	const open, end = `{"__metadata__":{"p":"`, `"}}`
	for i := range p {
		pos := off + int64(i)
		switch {
		case pos >= f.size:
			return i, io.EOF
		case pos < 8:
			var l [8]byte
			binary.LittleEndian.PutUint64(l[:], uint64(f.hdr))
			p[i] = l[pos]
		case pos-8 < int64(len(open)):
			p[i] = open[pos-8]
		case pos >= 8+f.hdr-int64(len(end)) && pos < 8+f.hdr:
			p[i] = end[pos-(8+f.hdr-int64(len(end)))]
		default:
			p[i] = 'a'
		}
	}
	return len(p), nil
}

// hostileTree rewrites a tree listing's page as the Hostile settings say; it reports false when
// the page should be served as it is. Directory-only pages use cursors d1…dN, then "0" starts
// the real listing.
func (h *Hub) hostileTree(w http.ResponseWriter, r *http.Request) bool {
	x := h.Hostile
	cursor := r.URL.Query().Get("cursor")
	n, _ := strconv.Atoi(cursor)
	link := func(next string) {
		origin := h.srv.URL
		if x.NextOrigin != "" {
			origin = x.NextOrigin
		}
		u := *r.URL
		q := u.Query()
		q.Set("cursor", next)
		u.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, origin, u.RequestURI()))
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case x.EmptyPages:
		link(strconv.Itoa(n + 1))
		io.WriteString(w, "[]\n")
	case x.RepeatCursor:
		link(strconv.Itoa(n))
		fmt.Fprintf(w, `[{"type":"file","oid":"%s","size":1,"path":"f%d.txt"}]`+"\n", strings.Repeat("1", 40), n)
	case x.DirPages > 0 && (cursor == "" || strings.HasPrefix(cursor, "d")):
		k, _ := strconv.Atoi(strings.TrimPrefix(cursor, "d"))
		k = max(k, 1)
		if k < x.DirPages {
			link("d" + strconv.Itoa(k+1))
		} else {
			link("0")
		}
		fmt.Fprintf(w, `[{"type":"directory","oid":"%s","size":0,"path":"d%d"}]`+"\n", strings.Repeat("2", 40), k)
	default:
		w.Header().Del("Content-Type")
		return false
	}
	return true
}
