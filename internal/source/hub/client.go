package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/glassbox-dev/glassbox/internal/ratelimit"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/web"
)

// DefaultEndpoint is the Hub's address when HF_ENDPOINT is not set.
const DefaultEndpoint = "https://huggingface.co"

// Client talks to one Hub endpoint. The zero value is not usable; NewClient fills in the
// defaults from the environment, and tests may change any field before the first request.
type Client struct {
	// Endpoint is the Hub's base URL, without a trailing slash.
	Endpoint string
	// Token is sent as "authorization: Bearer <token>" when not empty.
	Token string
	// UserAgent names glassbox and its version.
	UserAgent string
	// Transport performs single requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds one request, body included.
	Timeout time.Duration
	// MaxRetries is how many times a request is retried on 408, 429 and 5xx.
	MaxRetries int
	// Backoff is the first wait of the exponential backoff used when the server says nothing.
	Backoff time.Duration
	// MaxWait caps any single wait, whatever the server asks for.
	MaxWait time.Duration
	// Workers bounds the requests in flight at once.
	Workers int
	// Cache, when set, keeps answers on disk (see HTTPCache).
	Cache *HTTPCache
	// Sleep waits for d or until ctx is done; tests replace it so retries cost no time.
	Sleep func(ctx context.Context, d time.Duration) error
	// HeaderTimeout bounds the wait for an answer's first byte (its status line and headers).
	HeaderTimeout time.Duration
	// WaitLimit is the longest rate-limit wait sat through; a longer one fails at once saying
	// until when the Hub refuses (zero means DefaultWaitLimit, negative means none is).
	WaitLimit time.Duration
	// Now tells the time, for the "rate-limited until" message; tests fix it.
	Now func() time.Time
	// Inform, when set, receives one-line messages for the user, such as a long wait ahead.
	Inform func(msg string)
	// Budget bounds the bytes of answers held in memory at once, across parallel fetches and
	// the whole lineage; nil means DefaultBudget bytes.
	Budget *web.Budget
	// MaxAnswer caps one JSON answer (model info, a tree page); zero means DefaultMaxAnswer.
	MaxAnswer int64
	// MaxListAnswer caps one listing page (List); zero means DefaultMaxListAnswer.
	MaxListAnswer int64

	once     sync.Once
	http     *http.Client
	sem      chan struct{}
	requests atomic.Int64
}

// Defaults for the bounds a Client applies.
const (
	// DefaultWaitLimit: longer rate-limit waits fail at once unless the user allows them.
	DefaultWaitLimit = 30 * time.Second
	// DefaultMaxAnswer caps a model info or tree page answer (real ones are well under 1 MB).
	DefaultMaxAnswer = 8 << 20
	// DefaultBudget is the memory all answers held at once may take.
	DefaultBudget = 256 << 20
	// informAfter: waits longer than this are announced on stderr before they start.
	informAfter = 3 * time.Second
)

// NewClient returns a client configured from the environment: HF_ENDPOINT, and the token from
// HF_TOKEN or else $HF_HOME/token (HF_HOME defaults to ~/.cache/huggingface). version goes in
// the User-Agent.
func NewClient(version string) *Client {
	c := &Client{
		Endpoint:      strings.TrimRight(os.Getenv("HF_ENDPOINT"), "/"),
		Token:         Token(),
		UserAgent:     "glassbox/" + version,
		Timeout:       60 * time.Second,
		HeaderTimeout: 30 * time.Second,
		MaxRetries:    5,
		Backoff:       500 * time.Millisecond,
		MaxWait:       6 * time.Minute,
		Workers:       16,
	}
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	return c
}

// Token finds the user's Hub token: HF_TOKEN, else the file $HF_HOME/token, else empty.
func Token() string {
	if t := strings.TrimSpace(os.Getenv("HF_TOKEN")); t != "" {
		return t
	}
	home := os.Getenv("HF_HOME")
	if home == "" {
		dir, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		home = filepath.Join(dir, ".cache", "huggingface")
	}
	// The user's own file, so links are followed; but only a small regular file is read.
	f, err := os.OpenFile(filepath.Join(home, "token"), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return ""
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(f, 4<<10))
	return strings.TrimSpace(string(b))
}

// Requests is the number of HTTP requests sent so far, retries and redirects included.
func (c *Client) Requests() int64 { return c.requests.Load() }

// init builds the http.Client once, after the caller had a chance to set the fields.
func (c *Client) init() {
	c.once.Do(func() {
		endpoint, user := web.SplitUser(strings.TrimRight(c.Endpoint, "/"))
		c.Endpoint = endpoint
		auth := &web.ScopedAuth{Header: "Authorization", User: user, Next: c.Transport}
		if u, err := url.Parse(endpoint); err == nil {
			auth.Origin = web.Origin(u)
		}
		if c.Token != "" {
			auth.Value = "Bearer " + c.Token
		}
		c.http = &http.Client{Transport: countingTransport{auth, &c.requests}, Timeout: c.Timeout, CheckRedirect: checkRedirect}
		c.sem = make(chan struct{}, max(c.Workers, 1))
		c.setDefaults()
	})
}

// errRedirects: a chain of redirects too long to be anything but a loop; never retried.
var errRedirects = errors.New("stopped after 10 redirects")

// checkRedirect stops a redirect chain at 10 hops, as net/http does, with an error retries know.
func checkRedirect(_ *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errRedirects
	}
	return nil
}

// setDefaults fills the fields a test or caller left zero.
func (c *Client) setDefaults() {
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.WaitLimit == 0 {
		c.WaitLimit = DefaultWaitLimit
	}
	if c.MaxAnswer <= 0 {
		c.MaxAnswer = DefaultMaxAnswer
	}
	if c.Budget == nil {
		c.Budget = &web.Budget{Limit: DefaultBudget}
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 6 * time.Minute
	}
	if c.Backoff <= 0 {
		c.Backoff = 500 * time.Millisecond
	}
}

// countingTransport counts every round trip, so redirects count as the requests they are.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

// RoundTrip counts and forwards the request, also on the counter of its context (withCounter).
func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	if n, ok := r.Context().Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	return t.next.RoundTrip(r)
}

// counterKey holds a per-call request counter in a context.
type counterKey struct{}

// withCounter returns ctx with a counter of the requests sent under it, so one caller's
// requests can be told from those of others sharing the Client.
func withCounter(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, counterKey{}, n), n
}

// sleep waits for d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// Sentinel errors for the Hub's X-Error-Code values and for authentication failures. Every
// *Error also matches source.ErrUnreadable.
var (
	ErrRepoNotFound     = errors.New("repository not found")
	ErrRevisionNotFound = errors.New("revision not found")
	ErrEntryNotFound    = errors.New("file not found")
	ErrGated            = errors.New("gated repository")
	ErrUnauthorized     = errors.New("unauthorized")
	ErrDisabled         = errors.New("repository disabled")
)

// Error is a failed Hub request: the status, the Hub's X-Error-Code and X-Error-Message, and
// what was asked for.
type Error struct {
	// What names the request in words ("hf:org/name", "hf:org/name: config.json").
	What    string
	Status  int
	Code    string
	Message string
}

// Final reports whether the same request will get the same answer: a client error other than
// a rate limit or a timeout (not found, gated, disabled, unauthorized, refused).
func (e *Error) Final() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != 429 && e.Status != 408
}

// Error reads as one line a user can act on.
func (e *Error) Error() string {
	var why string
	switch e.kind() {
	case ErrRepoNotFound:
		why = "repository not found, or private (set HF_TOKEN to a token that can read it)"
	case ErrRevisionNotFound:
		why = "revision not found"
	case ErrEntryNotFound:
		why = "file not found at this revision"
	case ErrGated:
		why = "gated: accept the terms on the repository's page, then set HF_TOKEN to a token of that account"
	case ErrUnauthorized:
		why = "not authorised: the repository is private, missing, or needs a valid HF_TOKEN"
	case ErrDisabled:
		why = "repository disabled by the Hub"
	default:
		why = fmt.Sprintf("HTTP %d", e.Status)
	}
	if e.Message != "" && e.kind() == nil {
		why += ": " + e.Message
	}
	return web.Redact(e.What + ": " + why)
}

// kind maps the response to one of the sentinels, or nil.
func (e *Error) kind() error {
	switch e.Code {
	case "RepoNotFound":
		return ErrRepoNotFound
	case "RevisionNotFound":
		return ErrRevisionNotFound
	case "EntryNotFound":
		return ErrEntryNotFound
	case "GatedRepo":
		return ErrGated
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		return ErrUnauthorized
	case e.Status == http.StatusForbidden && strings.Contains(strings.ToLower(e.Message), "disabled"):
		return ErrDisabled
	}
	return nil
}

// Unwrap lets errors.Is match source.ErrUnreadable and the sentinel for the Hub's error code.
func (e *Error) Unwrap() []error {
	if k := e.kind(); k != nil {
		return []error{source.ErrUnreadable, k}
	}
	return []error{source.ErrUnreadable}
}

// retryable lists the statuses worth another try.
var retryable = map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true}

// get sends a GET with the client's headers, retrying as the Hub asks, and returns a response
// with a 2xx status (the caller closes its body) or an error: an *Error for an answer from the
// Hub, ErrUnreachable when no answer came, ErrRateLimited when the Hub asks for a longer wait
// than allowed. hdr adds request headers. With a Cache, answers to pinned requests (files and
// trees at a full commit sha, as the caller knows from what it asked, never from the URL) come
// from disk, others are revalidated, and a cached answer stands in when the Hub cannot be
// reached.
func (c *Client) get(ctx context.Context, what, u string, hdr map[string]string, pinned bool) (*http.Response, error) {
	c.init()
	reqURL, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: bad URL: %v", source.ErrUnreadable, what, err)
	}
	var cached *entry
	rng := hdr["Range"]
	if c.Cache != nil {
		if cached = c.Cache.load(u, rng); cached != nil {
			if pinned {
				c.Cache.hits.Add(1)
				return cached.response(reqURL), nil
			}
			hdr = withETag(hdr, cached)
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.once1(ctx, u, hdr)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%w: %s: %w", source.ErrUnreadable, what, ctx.Err())
			}
			if attempt >= c.retriesFor(err) {
				if cached != nil {
					c.Cache.stale.Add(1)
					return cached.response(reqURL), nil
				}
				return nil, fmt.Errorf("%w: %s: %w: %s", source.ErrUnreadable, what, ErrUnreachable, netReason(err, c.Endpoint))
			}
			if err := c.pause(ctx, what, c.backoff(attempt), false); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode == http.StatusNotModified && cached != nil {
			drain(resp)
			c.Cache.revalidated.Add(1)
			return cached.response(reqURL), nil
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if c.Cache != nil && keepable(pinned, resp) {
				c.Cache.tee(u, rng, resp)
			}
			return resp, nil
		}
		drain(resp)
		if retryable[resp.StatusCode] && attempt < c.MaxRetries {
			d, asked := c.wait(resp, attempt)
			if err := c.pause(ctx, what, d, asked); err != nil {
				return nil, err
			}
			continue
		}
		return nil, &Error{What: what, Status: resp.StatusCode, Code: resp.Header.Get("X-Error-Code"), Message: resp.Header.Get("X-Error-Message")}
	}
}

// withETag adds If-None-Match for a cached answer's ETag to a copy of hdr.
func withETag(hdr map[string]string, cached *entry) map[string]string {
	et := cached.meta.Header.Get("ETag")
	if et == "" {
		return hdr
	}
	hdr = maps.Clone(hdr)
	if hdr == nil {
		hdr = map[string]string{}
	}
	hdr["If-None-Match"] = et
	return hdr
}

// drain reads a little of an unwanted body, so the connection can be reused, and closes it.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// retriesFor is how many times a request that got no answer is tried again: a redirect loop
// never heals, a refused connection, an unknown host or a timeout rarely does in seconds, so
// once, and then the caller can fall back to a cache; a reset mid-answer gets the full
// MaxRetries.
func (c *Client) retriesFor(err error) int {
	if errors.Is(err, errRedirects) {
		return 0
	}
	var ne net.Error
	if unreachable(err) || errors.Is(err, errNoHeaders) || errors.As(err, &ne) && ne.Timeout() {
		return min(c.MaxRetries, 1)
	}
	return c.MaxRetries
}

// clock writes until, a wait of d from now, rounded up to the minute, with the date when the
// wait is longer than a day could make ambiguous.
func clock(until time.Time, d time.Duration) string {
	t := until.UTC()
	if t.Truncate(time.Minute) != t {
		t = t.Truncate(time.Minute).Add(time.Minute)
	}
	if d > 12*time.Hour {
		return t.Format("2006-01-02 15:04 UTC")
	}
	return t.Format("15:04 UTC")
}

// ErrRateLimited means the Hub asked for a longer wait than the client may sit through.
var ErrRateLimited = errors.New("rate-limited by the Hub")

// pause waits d before a retry. A wait the server asked for (asked) that is longer than
// WaitLimit, or that would end after the audit's deadline, fails at once saying until when;
// a wait longer than a few seconds is announced first.
func (c *Client) pause(ctx context.Context, what string, d time.Duration, asked bool) error {
	until := c.Now().Add(d)
	dl, hasDL := ctx.Deadline()
	if asked && (d > max(c.WaitLimit, 0) || hasDL && d > time.Until(dl)) {
		return fmt.Errorf("%w: %s: %w until %s (set --wait to wait)", source.ErrUnreadable, what, ErrRateLimited, clock(until, d))
	}
	if d > informAfter && c.Inform != nil {
		c.Inform(fmt.Sprintf("%s: waiting %s for the Hub (until %s)", what, d.Round(time.Second), until.UTC().Format("15:04:05 UTC")))
	}
	return c.Sleep(ctx, d)
}

// ErrUnreachable means no answer came from the Hub: no route, refused connection, unknown host,
// timeout.
var ErrUnreachable = errors.New("the Hub could not be reached")

// unreachable tells connection failures (worth failing fast) from a reset mid-answer.
func unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// netReason is a transport error without the request URL (which carries long query strings):
// "dial tcp 127.0.0.1:9: connect: connection refused (endpoint http://127.0.0.1:9)".
func netReason(err error, endpoint string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return web.Redact(err.Error() + " (endpoint " + endpoint + "; set HF_HUB_OFFLINE=1 to audit from the local cache)")
}

// once1 sends one request while holding a worker slot. The answer's headers must come within
// HeaderTimeout (a server that trickles or never answers is cut off); the body is bounded by
// the client's Timeout and its reader's caps.
func (c *Client) once1(ctx context.Context, u string, hdr map[string]string) (*http.Response, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	rctx, cancel := context.WithCancelCause(ctx)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u, nil)
	if err != nil {
		cancel(nil)
		return nil, err
	}
	req.Header.Set("User-Agent", c.UserAgent)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	var timer *time.Timer
	if c.HeaderTimeout > 0 {
		timer = time.AfterFunc(c.HeaderTimeout, func() { cancel(errNoHeaders) })
	}
	resp, err := c.http.Do(req)
	if timer != nil && !timer.Stop() && context.Cause(rctx) == errNoHeaders {
		if resp != nil {
			resp.Body.Close()
		}
		cancel(nil)
		return nil, fmt.Errorf("%w (%s)", errNoHeaders, c.HeaderTimeout)
	}
	if err != nil {
		cancel(nil)
		return nil, err
	}
	resp.Body = &cancelBody{resp.Body, func() { cancel(nil) }}
	return resp, nil
}

// errNoHeaders: the server did not start its answer in time.
var errNoHeaders = errors.New("no answer from the server within the header timeout")

// cancelBody releases the request's context when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel func()
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// wait is how long to wait before retrying resp, and whether the server asked for it: the
// RateLimit reset (t+1 s) when no requests remain, else Retry-After, else exponential backoff.
func (c *Client) wait(resp *http.Response, attempt int) (time.Duration, bool) {
	if d, ok := askedWait(resp.Header, c.Now()); ok {
		return d, true
	}
	return c.backoff(attempt), false
}

// askedWait reads the wait a 429 or 503 asks for: the RateLimit header's reset when no requests
// remain, else Retry-After in seconds or as a date (relative to now).
func askedWait(h http.Header, now time.Time) (time.Duration, bool) {
	if r, t, ok := ratelimit.ParseHeader(h.Get("RateLimit")); ok && r == 0 {
		return time.Duration(t+1) * time.Second, true
	}
	return ratelimit.RetryAfter(h.Get("Retry-After"), now)
}

// backoff doubles from Backoff with each attempt.
func (c *Client) backoff(attempt int) time.Duration {
	return min(c.Backoff<<min(attempt, 16), c.MaxWait)
}

// nextLink returns the rel="next" URL of a Link header, resolved against base, or "".
func nextLink(h string, base *url.URL) string {
	for _, part := range strings.Split(h, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok || !strings.Contains(strings.ReplaceAll(params, " ", ""), `rel="next"`) {
			continue
		}
		target = strings.TrimSpace(target)
		if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		u, err := base.Parse(target[1 : len(target)-1])
		if err != nil {
			return ""
		}
		return u.String()
	}
	return ""
}
