// Package github reads code repositories through the GitHub REST API (or a GitHub Enterprise
// Server's, at a base such as https://host/api/v3): repository metadata, the commit a ref
// resolves to, the recursive tree and the small text files that matter, all pinned to that
// commit. It serves linked code repositories (a card's "Training code: https://github.com/…")
// and gh:ORG/REPO targets.
package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glassbox-dev/glassbox/internal/source"
)

// DefaultAPI is the API's base when GITHUB_API_URL is not set.
const DefaultAPI = "https://api.github.com"

// Client talks to one GitHub API base. NewClient fills it from the environment; tests may change
// any field before the first request.
type Client struct {
	// API is the base URL without a trailing slash ("https://api.github.com",
	// "https://ghe.example/api/v3").
	API string
	// Token is sent as "Authorization: Bearer <token>", only to API's own origin.
	Token     string
	UserAgent string
	// Transport performs single requests; nil means a transport whose connection attempt
	// gives up after DialTimeout.
	Transport http.RoundTripper
	// Timeout bounds one request, body included; DialTimeout one connection attempt.
	Timeout, DialTimeout time.Duration
	// MaxWait is the longest rate-limit wait accepted: a longer one fails at once, saying when
	// the limit resets. Notice is the wait past which Inform is told before waiting.
	MaxWait, Notice time.Duration
	// Inform receives one-line messages for the user (a rate-limit wait); nil drops them.
	Inform func(msg string)
	// Cache keeps answers on disk; Offline answers only from it.
	Cache   *Cache
	Offline bool
	// Sleep and Now are the clock; tests replace them.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time

	once1    sync.Once
	http     *http.Client
	requests atomic.Int64
	down     atomic.Bool // the API could not be reached once: do not try again
	gate     sync.Mutex  // held by the first request
	tried    atomic.Bool // the first request is done
	downMu   sync.Mutex
	downWhy  string       // why the first attempt got no answer
	limited  atomic.Int64 // unix time before which the rate limit is known to be exhausted
}

// NewClient configures a client from GITHUB_API_URL and GITHUB_TOKEN (else GH_TOKEN), as the
// gh command line does. version goes in the User-Agent.
func NewClient(version string) *Client {
	api := strings.TrimRight(os.Getenv("GITHUB_API_URL"), "/")
	if api == "" {
		api = DefaultAPI
	}
	tok := strings.TrimSpace(os.Getenv("GITHUB_TOKEN"))
	if tok == "" {
		tok = strings.TrimSpace(os.Getenv("GH_TOKEN"))
	}
	return &Client{API: api, Token: tok, UserAgent: "glassbox/" + version}
}

// Requests is the number of HTTP requests sent so far (conditional ones included).
func (c *Client) Requests() int64 { return c.requests.Load() }

// Errors a read can end with; every one also matches source.ErrUnreadable.
var (
	ErrNotFound    = errors.New("repository or ref not found, or private (set GITHUB_TOKEN to a token that can read it)")
	ErrRateLimited = errors.New("GitHub API rate limit exhausted")
	ErrUnreachable = errors.New("the GitHub API could not be reached")
	ErrOffline     = errors.New("offline and not in the on-disk cache")
)

// Error is a failed request: what was asked, the status, and a sentinel when one applies.
type Error struct {
	What   string
	Status int
	Kind   error
	Detail string

	reset time.Duration // for ErrRateLimited: how long until the limit resets
}

func (e *Error) Error() string {
	s := e.What + ": "
	switch {
	case e.Kind != nil:
		s += e.Kind.Error()
	default:
		s += "HTTP " + strconv.Itoa(e.Status)
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap matches source.ErrUnreadable and the sentinel.
func (e *Error) Unwrap() []error {
	if e.Kind != nil {
		return []error{source.ErrUnreadable, e.Kind}
	}
	return []error{source.ErrUnreadable}
}

// defaults fills zero fields and builds the HTTP client, once, before the first request.
func (c *Client) defaults() { c.once1.Do(c.fill) }

func (c *Client) fill() {
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = 5 * time.Second
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 2 * time.Minute
	}
	if c.Notice <= 0 {
		c.Notice = 3 * time.Second
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	t := c.Transport
	if t == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DialContext = (&net.Dialer{Timeout: c.DialTimeout}).DialContext
		t = tr
	}
	c.http = &http.Client{Transport: t, Timeout: c.Timeout, CheckRedirect: c.checkRedirect}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// maxBody bounds any answer read into memory: GitHub's own tree cap is about 7 MB.
const maxBody = 16 << 20

// get fetches path (relative to API, with its query) and returns the body of a 2xx answer.
// accept overrides the JSON media type. Pinned answers (at a full commit sha) come from the
// cache without a request; others are revalidated with If-None-Match.
func (c *Client) get(ctx context.Context, what, path, accept string) ([]byte, error) {
	c.defaults()
	u := c.API + path
	key := u + "\n" + accept
	var cached *entry
	if c.Cache != nil {
		cached = c.Cache.load(key)
	}
	if cached != nil && (pinnedPath(path) || c.Offline) {
		c.Cache.hits.Add(1)
		return cached.Body, nil
	}
	if c.Offline {
		return nil, &Error{What: what, Kind: ErrOffline, Detail: "HF_HUB_OFFLINE is set"}
	}
	if first := c.firstAttempt(); first != nil {
		defer first()
	}
	if c.down.Load() {
		return c.stale(what, cached)
	}
	if until := c.limited.Load(); until > c.Now().Unix() {
		// The rate limit is known to be exhausted for longer than we wait: do not ask again.
		if cached != nil {
			c.Cache.stale.Add(1)
			return cached.Body, nil
		}
		return nil, &Error{What: what, Kind: ErrRateLimited, Detail: "resets at " + time.Unix(until, 0).UTC().Format("15:04:05") + " UTC"}
	}
	for attempt := 0; ; attempt++ {
		ans, retryIn, err := c.once(ctx, what, u, accept, cached)
		if err == nil {
			if c.Cache != nil && !ans.fromCache {
				c.Cache.store(key, ans.body, ans.etag)
			}
			return ans.body, nil
		}
		var ue *unreachableError
		if errors.As(err, &ue) {
			c.downMu.Lock()
			if c.downWhy == "" {
				c.downWhy = ue.reason
			}
			c.downMu.Unlock()
			c.down.Store(true)
			return c.stale(what, cached)
		}
		var ge *Error
		if errors.As(err, &ge) && ge.reset > 0 && retryIn < 0 {
			c.limited.Store(c.Now().Add(ge.reset).Unix())
		}
		if retryIn < 0 || attempt >= 2 {
			return nil, err
		}
		if retryIn > c.Notice && c.Inform != nil {
			c.Inform(fmt.Sprintf("GitHub API: %s; waiting %s before retrying", err, retryIn.Round(time.Second)))
		}
		if serr := c.Sleep(ctx, retryIn); serr != nil {
			return nil, serr
		}
	}
}

// firstAttempt holds every request but one until the API has answered once (or failed to),
// so that an unreachable API costs one connection attempt, not one per parallel read. It
// returns the function that lets the others go, or nil when the API has already been tried.
func (c *Client) firstAttempt() func() {
	if c.tried.Load() {
		return nil
	}
	c.gate.Lock()
	if c.tried.Load() {
		c.gate.Unlock()
		return nil
	}
	return func() {
		c.tried.Store(true)
		c.gate.Unlock()
	}
}

// stale answers from the cache when the API cannot be reached, else says why it could not be,
// in the words of the first failed attempt.
func (c *Client) stale(what string, cached *entry) ([]byte, error) {
	if cached != nil {
		c.Cache.stale.Add(1)
		return cached.Body, nil
	}
	c.downMu.Lock()
	why := c.downWhy
	c.downMu.Unlock()
	return nil, &Error{What: what, Kind: ErrUnreachable, Detail: why + "; endpoint " + c.API}
}

// answer is a successful request's body and ETag; fromCache when a 304 confirmed the cached one.
type answer struct {
	body      []byte
	etag      string
	fromCache bool
}

// unreachableError is a request that got no answer.
type unreachableError struct{ reason string }

func (e *unreachableError) Error() string { return e.reason }

// once sends one request. It returns the body, or an error and how long to wait before
// trying again (negative: do not retry).
func (c *Client) once(ctx context.Context, what, u, accept string, cached *entry) (answer, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return answer{}, -1, &Error{What: what, Detail: "bad URL: " + err.Error()}
	}
	c.headers(req, accept, cached)
	c.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return answer{}, -1, ctx.Err()
		}
		return answer{}, -1, &unreachableError{reason: netReason(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		c.Cache.revalidated.Add(1)
		return answer{body: cached.Body, etag: cached.ETag, fromCache: true}, 0, nil
	case err != nil:
		return answer{}, time.Second, &Error{What: what, Status: resp.StatusCode, Detail: "reading the answer: " + err.Error()}
	case len(body) > maxBody:
		return answer{}, -1, &Error{What: what, Status: resp.StatusCode, Detail: fmt.Sprintf("answer larger than %d bytes", maxBody)}
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return answer{body: body, etag: resp.Header.Get("ETag")}, 0, nil
	}
	return answer{}, c.retryIn(resp), c.statusError(what, resp)
}
