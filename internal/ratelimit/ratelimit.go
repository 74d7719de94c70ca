// Package ratelimit keeps every process of a census under the Hugging Face Hub's rate limits
// together, through counts kept in a Store they all share (the census database).
//
// The Hub counts requests in fixed windows of five minutes per bucket: "api" (paths under
// /api/), "resolvers" (file downloads through /{repo}/resolve/… and the CDN hops they redirect
// to) and "pages" (everything else). A Limiter asks its Store for tokens before each request,
// in small batches (at most MaxBatch, fewer when the window's limit is small or the server
// says few remain) so the database is not asked once per request, and feeds back the
// RateLimit headers of the answers.
//
// How the windows are kept:
//   - Before any header is seen, a window starts at the first request. When a window ends,
//     the next one continues the same grid (it starts where the last ended) unless a whole
//     window went by unused, so windows once aligned with the server's stay aligned.
//   - Tokens leased locally are valid only until Guard before the end of the window they
//     were leased in; unused ones are dropped then and stay counted as used: conservative,
//     never over. The guard keeps a request sent just before our estimate of the window's
//     end from reaching the server after its window turned.
//   - A RateLimit header `r=<remaining>;t=<seconds>` tells when the server's window ends:
//     t is rounded to whole seconds and read late, so the end is taken as now + t + 1 s,
//     never before the true end. When the server reports fewer remaining than the Store
//     counted, the server is trusted: used = max(used, limit − remaining′), where remaining′
//     is the server's count less our unused tokens and requests in flight (which it has not
//     seen yet), and the window end moves to the server's (now + t + 1 s),
//     so our windows match the server's and the limit holds in its windows too. A report
//     never raises availability. Reports that change nothing are passed on to the Store
//     only every SyncEvery, or when few requests remain, to save round trips.
//   - An answer read after the window its request was granted in ended is late: its header
//     may describe a window already over, so it is ignored (Transport knows; a caller of
//     Observe does not, and its reports are taken as current).
//   - A 429 stops the bucket until the reset the server gave (RateLimit's t, else
//     Retry-After, else the end of the window) in every process.
//   - A bucket missing from the Limits is unlimited.
//
// What is not guaranteed: before the first answer of a bucket arrives the server's window
// is unknown, so if the server's windows run on a grid of their own, requests sent in that
// first window may land in the server's next one; a request delayed by more than Guard can
// do the same at any window's end; and other processes' unused tokens are not in the
// server's count when it reports requests made outside the census (the same token used
// elsewhere), which the headers alone reveal. A 429 then stops every process.
package ratelimit

import (
	"net/url"
	"strings"
	"time"
)

// Bucket names one of the Hub's rate-limit buckets.
type Bucket string

// The Hub's buckets.
const (
	// API counts requests to paths under /api/.
	API Bucket = "api"
	// Resolvers counts file downloads (…/resolve/…) and their redirects to the CDN.
	Resolvers Bucket = "resolvers"
	// Pages counts everything else: web pages, raw views.
	Pages Bucket = "pages"
)

// Window is the length of the Hub's fixed rate-limit windows.
const Window = 5 * time.Minute

// Limits gives the requests allowed per window in each bucket.
type Limits map[Bucket]int

// The Hub's approximate limits per window.
var (
	// Anonymous applies to requests without a token.
	Anonymous = Limits{API: 500, Resolvers: 3000, Pages: 100}
	// FreeAccount applies to requests with a free account's token.
	FreeAccount = Limits{API: 1000, Resolvers: 5000, Pages: 200}
)

// BucketOf tells which bucket a request to u counts in, by its path alone: /api/… is API;
// /{org}/{name}/resolve/{rev}/…, /datasets/{org}/{name}/resolve/{rev}/… (and the same for
// spaces and for legacy models without an organisation) are Resolvers; anything else, nil
// included, is Pages. A redirect to another host counts in its origin's bucket, which only
// the request chain tells (see Limiter.Transport).
func BucketOf(u *url.URL) Bucket {
	if u == nil {
		return Pages
	}
	p := u.Path
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		return API
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(segs) > 0 && (segs[0] == "datasets" || segs[0] == "spaces") {
		segs = segs[1:]
	}
	if resolves(segs, 2) || resolves(segs, 1) {
		return Resolvers
	}
	return Pages
}

// resolves reports whether segs names a repository of `at` segments followed by
// resolve/{rev}/{file}: the download URL shape.
func resolves(segs []string, at int) bool {
	if len(segs) < at+3 || segs[at] != "resolve" {
		return false
	}
	for _, s := range segs[:at+3] {
		if s == "" {
			return false
		}
	}
	return true
}
