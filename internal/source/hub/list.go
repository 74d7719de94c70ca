package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/web"
)

// ListQuery selects models of the Hub's listing (GET /api/models).
type ListQuery struct {
	// Author, Filter, Search and Sort are passed to the Hub as they are; empty ones are left out.
	Author, Filter, Search, Sort string
	// Limit is the total number of models wanted; 0 means all of them.
	Limit int
	// PageSize is how many models one page asks for; 0 means DefaultPageSize.
	PageSize int
}

// DefaultPageSize is about the most the Hub gives in one listing page.
const DefaultPageSize = 500

// DefaultMaxListAnswer caps one listing page after decompression: 500 entries with their
// siblings and card metadata are far larger than one info answer, but not this large.
const DefaultMaxListAnswer = 64 << 20

// ListExpand names everything a metadata audit can take from a listing entry. baseModels is not
// asked for: the Hub documents it for model info, not for listings (SOURCES.md), so lineage
// comes from the card's base_model instead.
var ListExpand = []string{
	"cardData", "config", "createdAt", "disabled", "downloads", "gated", "gguf", "lastModified",
	"library_name", "likes", "pipeline_tag", "private", "safetensors", "sha", "siblings", "tags",
}

// ErrListing marks a listing page the client refuses to follow or read: a next link to another
// origin, a cursor met before, an empty page that still links on, an answer over its cap.
var ErrListing = errors.New("listing refused")

// ListURL is the first listing page of q: {endpoint}/api/models?author=…&filter=…&search=…
// &sort=…&direction=-1&limit=PAGE&expand=…&expand=…, with only the non-empty parameters. The
// expand array is sent as a repeated expand=, as the Hub's own clients (huggingface_hub,
// @huggingface/hub) send it.
func (c *Client) ListURL(q ListQuery) string {
	c.init()
	var b strings.Builder
	add := func(k, v string) {
		if v == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
	}
	add("author", q.Author)
	add("filter", q.Filter)
	add("search", q.Search)
	add("sort", q.Sort)
	if q.Sort != "" {
		add("direction", "-1")
	}
	add("limit", strconv.Itoa(pageSize(q)))
	for _, f := range ListExpand {
		add("expand", f)
	}
	return c.Endpoint + "/api/models?" + b.String()
}

// pageSize is q's page size, or the limit when that is smaller.
func pageSize(q ListQuery) int {
	n := q.PageSize
	if n <= 0 {
		n = DefaultPageSize
	}
	if q.Limit > 0 && q.Limit < n {
		n = q.Limit
	}
	return n
}

// ListEntry is one model of a listing page.
type ListEntry struct {
	// ID is the repository id; SHA the commit the entry describes (40 hex digits).
	ID, SHA string
	// CreatedAt and LastModified are the Hub's timestamps, as given.
	CreatedAt, LastModified string
	// Downloads and Likes are the Hub's counters (0 when absent or not a number).
	Downloads, Likes int64
	// Raw is the entry as answered, for MetadataRelease and for storage.
	Raw json.RawMessage
}

// ListPage is one page of a listing.
type ListPage struct {
	// Entries are the models whose id and sha are sound, in the Hub's order.
	Entries []ListEntry
	// Next is the next page's URL as the Link header gives it; "" at the end.
	Next string
	// Skipped says why entries were left out ("entry 3: repository id … ", "not 40-hex sha").
	Skipped []string
}

// List reads one listing page: ListURL(q) for the first, a page's Next for the others, which
// must be on the Hub's own origin. A page over MaxListAnswer bytes, a next link to another
// origin or back to the page itself, and an empty page that links on are errors wrapping
// ErrListing (and source.ErrUnreadable).
func (c *Client) List(ctx context.Context, pageURL string) (*ListPage, error) {
	c.init()
	if why := c.offOrigin(pageURL); why != "" {
		return nil, listErr("the page URL %s", why)
	}
	var raw json.RawMessage
	resp, err := c.getJSONCapped(ctx, "model listing", pageURL, &raw, false, c.maxList())
	if errors.Is(err, web.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %w", ErrListing, err)
	}
	if err != nil {
		return nil, err
	}
	page, n, err := decodeListPage(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: model listing: %v", source.ErrUnreadable, err)
	}
	page.Next = nextLink(resp.Header.Get("Link"), resp.Request.URL)
	if err := c.checkNext(page.Next, pageURL, resp.Request.URL.String(), n); err != nil {
		return nil, err
	}
	return page, nil
}

// maxList is the listing page cap.
func (c *Client) maxList() int64 {
	if c.MaxListAnswer > 0 {
		return c.MaxListAnswer
	}
	return DefaultMaxListAnswer
}

// checkNext refuses a next link that leaves the Hub's origin, that names the page just read
// (asked for as asked, answered from final after redirects), or that follows an empty page.
func (c *Client) checkNext(next, asked, final string, entries int) error {
	switch {
	case next == "":
		return nil
	case c.offOrigin(next) != "":
		return listErr("the next-page link %s", c.offOrigin(next))
	case next == asked || next == final:
		return listErr("the Hub repeated a page cursor (%s)", web.Redact(next))
	case entries == 0:
		return listErr("the Hub sent an empty page with a next link")
	}
	return nil
}

// offOrigin says how u is not a URL on the client's endpoint origin, or "".
func (c *Client) offOrigin(u string) string {
	next, err := url.Parse(u)
	base, berr := url.Parse(c.Endpoint)
	switch {
	case err != nil || berr != nil || next.Host == "":
		return "is not a URL"
	case web.Origin(next) != web.Origin(base):
		return "points to another origin (" + web.Redact(next.Scheme+"://"+next.Host) + ")"
	}
	return ""
}

// listErr is a refusal of a listing page.
func listErr(format string, args ...any) error {
	return fmt.Errorf("%w: model listing: %w: %s", source.ErrUnreadable, ErrListing, fmt.Sprintf(format, args...))
}

// listFields are the parts of a listing entry ListEntry keeps; the counters stay raw so that
// an odd type costs the counter, not the entry.
type listFields struct {
	ID           string          `json:"id"`
	SHA          string          `json:"sha"`
	CreatedAt    string          `json:"createdAt"`
	LastModified string          `json:"lastModified"`
	Downloads    json.RawMessage `json:"downloads"`
	Likes        json.RawMessage `json:"likes"`
}

// decodeListPage reads a listing page: a JSON array of entries. Entries that are not objects,
// whose id is not a repository id, or whose sha is not 40 hex digits are skipped with a
// reason, as are repeats of an id on the same page. It also returns how many entries the page
// held, skipped ones included.
func decodeListPage(raw []byte) (*ListPage, int, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, 0, fmt.Errorf("decoding the listing page: %v", err)
	}
	page := &ListPage{}
	seen := map[string]bool{}
	for i, item := range items {
		e, why := decodeListEntry(item)
		if why == "" && seen[strings.ToLower(e.ID)] {
			why = fmt.Sprintf("%s is listed twice", e.ID)
		}
		if why != "" {
			page.Skipped = append(page.Skipped, fmt.Sprintf("entry %d: %s", i+1, why))
			continue
		}
		seen[strings.ToLower(e.ID)] = true
		page.Entries = append(page.Entries, e)
	}
	return page, len(items), nil
}

// decodeListEntry reads one entry, or says why it cannot be used.
func decodeListEntry(item json.RawMessage) (ListEntry, string) {
	var f listFields
	if !bytes.HasPrefix(bytes.TrimSpace(item), []byte("{")) || json.Unmarshal(item, &f) != nil {
		return ListEntry{}, "not a JSON object with string fields id, sha, createdAt, lastModified"
	}
	if err := checkRepo(f.ID); err != nil {
		return ListEntry{}, web.Redact(err.Error())
	}
	if !IsCommit(f.SHA) {
		return ListEntry{}, fmt.Sprintf("%s: sha %q is not 40 hex digits", f.ID, clip(f.SHA, 60))
	}
	return ListEntry{
		ID: f.ID, SHA: f.SHA, CreatedAt: f.CreatedAt, LastModified: f.LastModified,
		Downloads: counter(f.Downloads), Likes: counter(f.Likes), Raw: item,
	}, ""
}

// counter reads a non-negative integer counter, 0 when it is anything else.
func counter(raw json.RawMessage) int64 {
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// ListAll reads q's listing from its first page, calling visit with each page in order. It
// follows Next exactly as given, stops once q.Limit models were passed on (cutting the last page
// short), refuses a cursor met before, and skips (with a reason) a model an earlier page listed.
// visit's error stops the walk and is returned.
func (c *Client) ListAll(ctx context.Context, q ListQuery, visit func(*ListPage) error) error {
	seenPages := map[string]bool{}
	seenIDs := map[string]bool{}
	total := 0
	for u := c.ListURL(q); u != ""; {
		if seenPages[u] {
			return listErr("the Hub repeated a page cursor (%s)", web.Redact(u))
		}
		seenPages[u] = true
		page, err := c.List(ctx, u)
		if err != nil {
			return err
		}
		dedupe(page, seenIDs)
		if q.Limit > 0 && total+len(page.Entries) >= q.Limit {
			page.Entries, page.Next = page.Entries[:q.Limit-total], ""
		}
		total += len(page.Entries)
		if err := visit(page); err != nil {
			return err
		}
		u = page.Next
	}
	return nil
}

// dedupe drops the entries of page whose id an earlier page listed, saying so in Skipped.
func dedupe(page *ListPage, seen map[string]bool) {
	kept := page.Entries[:0]
	for _, e := range page.Entries {
		id := strings.ToLower(e.ID)
		if seen[id] {
			page.Skipped = append(page.Skipped, e.ID+": listed again on a later page")
			continue
		}
		seen[id] = true
		kept = append(kept, e)
	}
	page.Entries = kept
}

// ParseEntry reads one listing entry (or an info answer, which has the same shape) as List does,
// for entries stored and read back.
func ParseEntry(raw json.RawMessage) (ListEntry, error) {
	e, why := decodeListEntry(raw)
	if why != "" {
		return ListEntry{}, fmt.Errorf("%w: listing entry: %s", source.ErrUnreadable, why)
	}
	return e, nil
}
