package hub

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
)

// HTTPCache keeps Hub answers on disk so that a second audit of an unchanged repository costs
// conditional requests, not downloads. Answers to requests pinned to a commit sha (a file
// resolved at <sha>, the tree at <sha>: the client knows which requests those are, a URL that
// merely looks like one is not trusted) never change and are served from disk without asking;
// the rest (model info at a
// branch) are revalidated with If-None-Match and reused on 304. Only complete 200 and 206
// answers of at most MaxBody bytes are kept; errors never are.
//
// Entries are two files named by the SHA-256 of the URL and Range: <key>.json (status and
// headers) and <key>.body. Both are written to a temporary name and renamed, so a crash leaves
// no half entry; a corrupt entry is ignored and overwritten.
type HTTPCache struct {
	Dir string
	// MaxBody is the largest body kept (default 64 MiB).
	MaxBody int64

	hits, revalidated, stale atomic.Int64
}

// DefaultHTTPCacheDir is where the CLI keeps the cache: GLASSBOX_CACHE_DIR, else
// <user cache dir>/glassbox/http ("" when the system has no cache directory).
func DefaultHTTPCacheDir() string {
	if d := os.Getenv("GLASSBOX_CACHE_DIR"); d != "" {
		return filepath.Join(d, "http")
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "glassbox", "http")
}

// Hits is how many answers came from disk without a request; Revalidated how many were
// confirmed unchanged by a 304.
func (hc *HTTPCache) Hits() int64        { return hc.hits.Load() }
func (hc *HTTPCache) Revalidated() int64 { return hc.revalidated.Load() }

// Stale is how many answers came from disk because the Hub could not be reached.
func (hc *HTTPCache) Stale() int64 { return hc.stale.Load() }

// cacheMeta is the stored half of an answer besides its body.
type cacheMeta struct {
	URL    string      `json:"url"`
	Range  string      `json:"range,omitempty"`
	Status int         `json:"status"`
	Header http.Header `json:"header"`
	Size   int64       `json:"size"`
}

// entry is a cached answer ready to be replayed.
type entry struct {
	meta cacheMeta
	body []byte
}

func cacheKey(u, rng string) string {
	s := sha256.Sum256([]byte(u + "\n" + rng))
	return hex.EncodeToString(s[:])
}

// load returns the entry for u and rng, or nil. Only regular files inside Dir are read (a
// link to /dev/zero or out of the folder is ignored), each no further than its cap.
func (hc *HTTPCache) load(u, rng string) *entry {
	root, err := os.OpenRoot(hc.Dir)
	if err != nil {
		return nil
	}
	defer root.Close()
	key := cacheKey(u, rng)
	raw := readRegular(root, key+".json", 1<<20)
	if raw == nil {
		return nil
	}
	var m cacheMeta
	if json.Unmarshal(raw, &m) != nil || m.URL != u || m.Range != rng || m.Status < 200 || m.Status > 299 ||
		m.Size < 0 || m.Size > hc.maxBody() {
		return nil
	}
	body := readRegular(root, key+".body", m.Size)
	if body == nil || int64(len(body)) != m.Size {
		return nil
	}
	return &entry{meta: m, body: body}
}

// readRegular reads name under root if it is a regular file (not a link, device or FIFO) of at
// most max bytes; nil otherwise.
func readRegular(root *os.Root, name string, max int64) []byte {
	info, err := root.Lstat(name)
	if err != nil || !info.Mode().IsRegular() || info.Size() > max {
		return nil
	}
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(b)) > max {
		return nil
	}
	return b
}

// maxBody is the largest body kept.
func (hc *HTTPCache) maxBody() int64 {
	if hc.MaxBody <= 0 {
		return 64 << 20
	}
	return hc.MaxBody
}

// response replays an entry as if it had come from the network.
func (e *entry) response(req *url.URL) *http.Response {
	h := e.meta.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{
		Status: strconv.Itoa(e.meta.Status) + " " + http.StatusText(e.meta.Status), StatusCode: e.meta.Status,
		Header: h, Body: io.NopCloser(bytes.NewReader(e.body)), ContentLength: int64(len(e.body)),
		Request: &http.Request{Method: http.MethodGet, URL: req},
	}
}

// keepable says whether an answer may be stored: a pinned request's, or one with an ETag to
// revalidate it by.
func keepable(pinned bool, resp *http.Response) bool {
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
		return false
	}
	return pinned || resp.Header.Get("ETag") != ""
}

// tee wraps resp.Body so that, when the caller has read it to the end (or closes it with at
// most 1 MiB left, which Close reads), the answer is stored. The body is copied to a temporary
// file as it is read, not held in memory, so the cache adds no memory to an audit.
func (hc *HTTPCache) tee(u, rng string, resp *http.Response) {
	max := hc.maxBody()
	if resp.ContentLength > max {
		return
	}
	resp.Body = &teeBody{hc: hc, u: u, rng: rng, resp: resp, src: resp.Body, max: max}
}

// teeBody copies what its reader reads to a temporary file in the cache folder.
type teeBody struct {
	hc     *HTTPCache
	u, rng string
	resp   *http.Response
	src    io.ReadCloser
	tmp    *os.File // created at the first byte; nil once given up
	n, max int64
	eof    bool
	failed bool
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.src.Read(p)
	if n > 0 && !t.failed {
		t.write(p[:n])
	}
	if errors.Is(err, io.EOF) {
		t.eof = true
	} else if err != nil {
		t.fail()
	}
	return n, err
}

// write appends b to the temporary file, giving up past max or on any error.
func (t *teeBody) write(b []byte) {
	if t.n+int64(len(b)) > t.max {
		t.fail()
		return
	}
	if t.tmp == nil {
		if err := os.MkdirAll(t.hc.Dir, 0o755); err != nil {
			t.fail()
			return
		}
		f, err := os.CreateTemp(t.hc.Dir, ".tmp-*")
		if err != nil {
			t.fail()
			return
		}
		t.tmp = f
	}
	if _, err := t.tmp.Write(b); err != nil {
		t.fail()
		return
	}
	t.n += int64(len(b))
}

// fail stops caching this answer and removes what was written.
func (t *teeBody) fail() {
	t.failed = true
	if t.tmp != nil {
		t.tmp.Close()
		os.Remove(t.tmp.Name())
		t.tmp = nil
	}
}

func (t *teeBody) Close() error {
	if !t.eof && !t.failed {
		// JSON decoders and range readers stop at the last byte they need; finish short bodies.
		if _, err := io.Copy(io.Discard, io.LimitReader(t, 1<<20)); err != nil {
			t.fail()
		}
	}
	err := t.src.Close()
	if t.eof && !t.failed {
		t.hc.store(t.u, t.rng, t.resp, t.tmp, t.n)
	} else {
		t.fail()
	}
	return err
}

// store turns the temporary body file (nil for an empty body) into an entry; failures only mean
// the next audit asks again.
func (hc *HTTPCache) store(u, rng string, resp *http.Response, tmp *os.File, size int64) {
	if tmp == nil {
		if err := os.MkdirAll(hc.Dir, 0o755); err != nil {
			return
		}
		f, err := os.CreateTemp(hc.Dir, ".tmp-*")
		if err != nil {
			return
		}
		tmp = f
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if tmp.Close() != nil {
		return
	}
	h := http.Header{}
	for _, k := range []string{"Content-Type", "Content-Range", "ETag", "Link", "X-Repo-Commit", "X-Linked-Etag", "X-Linked-Size"} {
		if v := resp.Header.Values(k); len(v) > 0 {
			h[http.CanonicalHeaderKey(k)] = v
		}
	}
	meta, err := json.Marshal(cacheMeta{URL: u, Range: rng, Status: resp.StatusCode, Header: h, Size: size})
	if err != nil {
		return
	}
	key := cacheKey(u, rng)
	// The body goes first: an entry is valid only once its metadata exists.
	if os.Rename(tmp.Name(), filepath.Join(hc.Dir, key+".body")) == nil {
		writeAtomic(filepath.Join(hc.Dir, key+".json"), meta)
	}
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}
