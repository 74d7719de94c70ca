package github

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// headers sets what every API request carries; the token only goes to the API's own origin.
func (c *Client) headers(req *http.Request, accept string, cached *entry) {
	if accept == "" {
		accept = "application/vnd.github+json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", c.UserAgent)
	if c.Token != "" && sameOrigin(req.URL, c.API) {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if cached != nil && cached.ETag != "" {
		req.Header.Set("If-None-Match", cached.ETag)
	}
}

// checkRedirect follows at most five redirects and drops the token whenever a redirect leaves
// the API's origin (scheme, host and port), which net/http alone does not ensure.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if !sameOrigin(req.URL, c.API) {
		req.Header.Del("Authorization")
	}
	return nil
}

// sameOrigin reports whether u has base's scheme, host and port.
func sameOrigin(u *url.URL, base string) bool {
	b, err := url.Parse(base)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Hostname(), b.Hostname()) && port(u) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// retryIn is how long to wait before asking again after resp, or -1 when asking again is no
// use: a rate limit says when it resets (x-ratelimit-reset, else retry-after); server errors
// get a short pause; anything else is final. A wait above MaxWait is not waited for.
func (c *Client) retryIn(resp *http.Response) time.Duration {
	switch {
	case rateLimited(resp):
		d := c.rateWait(resp)
		if d > c.MaxWait {
			return -1
		}
		return d
	case resp.StatusCode >= 500:
		return 2 * time.Second
	}
	return -1
}

// rateLimited: GitHub answers an exhausted or secondary rate limit with 403 or 429 and either
// x-ratelimit-remaining: 0 or retry-after.
func rateLimited(resp *http.Response) bool {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return false
	}
	return resp.Header.Get("X-Ratelimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "" || resp.StatusCode == http.StatusTooManyRequests
}

// rateWait reads retry-after (seconds), else x-ratelimit-reset (epoch seconds), else a minute,
// as GitHub's documentation advises for secondary limits without either header.
func (c *Client) rateWait(resp *http.Response) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if e, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("X-Ratelimit-Reset")), 10, 64); err == nil {
		return max(time.Unix(e, 0).Sub(c.Now()), 0) + time.Second
	}
	return time.Minute
}

// statusError turns a failed answer into an *Error a user can act on.
func (c *Client) statusError(what string, resp *http.Response) error {
	e := &Error{What: what, Status: resp.StatusCode}
	switch {
	case rateLimited(resp):
		e.Kind = ErrRateLimited
		d := c.rateWait(resp)
		e.reset = d
		e.Detail = "resets in " + d.Round(time.Second).String()
		if d > c.MaxWait {
			e.Detail += ", longer than the " + c.MaxWait.String() + " glassbox waits"
		}
		if c.Token == "" {
			e.Detail += "; set GITHUB_TOKEN for 5,000 requests an hour"
		}
	case resp.StatusCode == http.StatusNotFound:
		e.Kind = ErrNotFound
	case resp.StatusCode == http.StatusUnavailableForLegalReasons:
		e.Detail = "blocked for legal reasons"
	case resp.StatusCode == http.StatusUnauthorized:
		e.Detail = "bad credentials: check GITHUB_TOKEN"
	}
	return e
}

// netReason is a transport error without the request URL.
func netReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	return err.Error()
}

// pinnedRe matches API paths whose answer cannot change: a tree or a file at a full commit sha.
var pinnedRe = lazyre.New(`/git/trees/[0-9a-f]{40}(\?|$)|/contents/[^?]*\?ref=[0-9a-f]{40}$|/commits/[0-9a-f]{40}$`)

func pinnedPath(p string) bool { return pinnedRe.MatchString(p) }
