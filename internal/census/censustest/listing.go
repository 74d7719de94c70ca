package censustest

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// fieldOrder lists the expand fields the fake Hub models, in the order entries carry them.
var fieldOrder = []string{"author", "sha", "lastModified", "createdAt", "private", "disabled", "gated",
	"downloads", "likes", "library_name", "pipeline_tag", "tags", "cardData", "config", "siblings",
	"safetensors", "gguf", "baseModels", "usedStorage"}

// unmodelled are expand fields the real Hub accepts that the fake leaves out of its answers.
var unmodelled = []string{"childrenModelCount", "downloadsAllTime", "inference", "inferenceProviderMapping",
	"mask_token", "model-index", "spaces", "transformersInfo", "trendingScore", "widgetData",
	"resourceGroup", "xetEnabled", "evalResults"}

// fields is a set of fieldOrder members, one bit each.
type fields uint32

// fieldSet makes a set of named fields; ok is false for a name the Hub does not accept.
func fieldSet(names ...string) (f fields, bad string) {
	for _, n := range names {
		k := slices.Index(fieldOrder, n)
		switch {
		case k >= 0:
			f |= 1 << k
		case !slices.Contains(unmodelled, n):
			return 0, n
		}
	}
	return f, ""
}

// Default field sets: a listing without expand, with full=true, and info without expand.
var (
	listDefault, _ = fieldSet("private", "downloads", "likes", "tags", "pipeline_tag", "library_name", "createdAt")
	listFull, _    = fieldSet("author", "sha", "lastModified", "gated", "disabled", "siblings")
	infoDefault    = fields(1<<len(fieldOrder) - 1)
)

// expandOf reads expand[]= and expand= (both repeatable); ok is false after writing a 400.
func expandOf(w http.ResponseWriter, q url.Values) (f fields, asked, ok bool) {
	names := append(q["expand[]"], q["expand"]...)
	f, bad := fieldSet(names...)
	if bad != "" {
		hubError(w, http.StatusBadRequest, "", fmt.Sprintf("\"expand\" must be one of the model fields, got %q", bad))
		return 0, false, false
	}
	return f, len(names) > 0, true
}

// infoFields are the fields an info request asks for: all of them without expand.
func infoFields(w http.ResponseWriter, q url.Values) (fields, bool) {
	f, asked, ok := expandOf(w, q)
	if !asked {
		f = infoDefault
	}
	return f, ok
}

// stamp formats a time as the Hub does.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// entry appends model i's JSON object at commit sha with the fields f.
func (h *Hub) entry(b *bytes.Buffer, i int, sha string, f fields) {
	id := h.id(i)
	fmt.Fprintf(b, `{"_id":"%s","id":"%s","modelId":"%s"`, h.objectID(i), id, id)
	t := h.template(i)
	for k, name := range fieldOrder {
		if f&(1<<k) == 0 {
			continue
		}
		switch name {
		case "author":
			fmt.Fprintf(b, `,"author":"%s"`, h.org(i))
		case "sha":
			fmt.Fprintf(b, `,"sha":"%s"`, sha)
		case "lastModified":
			fmt.Fprintf(b, `,"lastModified":"%s"`, stamp(h.modified(i)))
		case "createdAt":
			fmt.Fprintf(b, `,"createdAt":"%s"`, stamp(h.created(i)))
		case "downloads":
			b.WriteString(`,"downloads":` + strconv.FormatInt(h.downloads(i), 10))
		case "likes":
			b.WriteString(`,"likes":` + strconv.FormatInt(h.likes(i), 10))
		default:
			if frag := t.frag[name]; frag != nil {
				b.WriteByte(',')
				b.Write(frag)
			}
		}
	}
	b.WriteByte('}')
}

// query is what a listing asks for.
type query struct {
	sort    string
	desc    bool
	author  string
	search  string
	filters []string
	limit   int
	fields  fields
}

// sortKeys are the listing sorts the fake Hub supports.
var sortKeys = []string{"", "downloads", "likes", "createdAt", "lastModified"}

// parseQuery reads a listing's parameters; ok is false after writing a 400.
func (h *Hub) parseQuery(w http.ResponseWriter, v url.Values) (q query, ok bool) {
	q = query{sort: v.Get("sort"), desc: v.Get("direction") != "1", author: v.Get("author"),
		search: strings.ToLower(v.Get("search")), limit: h.cfg.PageSize}
	if !slices.Contains(sortKeys, q.sort) {
		hubError(w, http.StatusBadRequest, "", "invalid sort: "+q.sort)
		return q, false
	}
	if n, err := strconv.Atoi(v.Get("limit")); err == nil && n > 0 {
		q.limit = min(n, h.cfg.PageSize)
	}
	for _, f := range v["filter"] {
		q.filters = append(q.filters, strings.Split(f, ",")...)
	}
	f, asked, ok := expandOf(w, v)
	switch {
	case asked:
		q.fields = f
	case v.Get("full") == "true" || v.Get("full") == "1":
		q.fields = listDefault | listFull
	default:
		q.fields = listDefault
	}
	return q, ok
}

// matches reports whether model i passes the listing's filters.
func (h *Hub) matches(q *query, i int) bool {
	if q.author != "" && h.org(i) != q.author {
		return false
	}
	t := h.template(i)
	for _, f := range q.filters {
		if !t.tags[f] {
			return false
		}
	}
	return q.search == "" || strings.Contains(strings.ToLower(h.id(i)), q.search)
}

// list serves GET /api/models: a page of entries and a Link to the next page whose cursor is
// the position, in the sort order, of the next matching model.
func (h *Hub) list(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q, ok := h.parseQuery(w, v)
	if !ok {
		return
	}
	pos := 0
	if c := v.Get("cursor"); c != "" {
		if pos, ok = h.decodeCursor(c, q); !ok {
			hubError(w, http.StatusBadRequest, "", "invalid cursor")
			return
		}
	}
	at := h.order(q.sort, q.desc)
	var b bytes.Buffer
	b.WriteByte('[')
	n := 0
	for ; pos < h.cfg.Models && n < q.limit; pos++ {
		if i := at(pos); h.matches(&q, i) {
			if n > 0 {
				b.WriteByte(',')
			}
			h.entry(&b, i, h.sha(i, h.bumps(i)), q.fields)
			n++
		}
	}
	for pos < h.cfg.Models && !h.matches(&q, at(pos)) {
		pos++
	}
	b.WriteString("]\n")
	if pos < h.cfg.Models {
		v.Set("cursor", h.encodeCursor(pos, q))
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/models?%s>; rel="next"`, h.srv.URL, v.Encode()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b.Bytes())
}

// cursorMAC binds a cursor to the seed and the sort it was made for, so a cursor is opaque and
// one made up or taken from another sort is refused.
func (h *Hub) cursorMAC(pos int, q query) string {
	salt := uint64(len(q.sort)) << 1
	if q.desc {
		salt |= 1
	}
	for _, c := range q.sort {
		salt = salt*31 + uint64(c)
	}
	return strconv.FormatUint(mix(h.cfg.Seed, pos, salt)&0xffffffff, 36)
}

// encodeCursor makes the opaque cursor of a position.
func (h *Hub) encodeCursor(pos int, q query) string {
	raw := fmt.Sprintf("%s:%d:%s", q.sort, pos, h.cursorMAC(pos, q))
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor reads a cursor made by encodeCursor for the same sort.
func (h *Hub) decodeCursor(c string, q query) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != q.sort {
		return 0, false
	}
	pos, err := strconv.Atoi(parts[1])
	if err != nil || pos < 0 || pos > h.cfg.Models || parts[2] != h.cursorMAC(pos, q) {
		return 0, false
	}
	return pos, true
}

// order maps a position in a listing's order to a model index. Without a sort the order is
// the index, which is creation order; sorts are descending unless direction=1, ties by index.
func (h *Hub) order(key string, desc bool) func(int) int {
	n := h.cfg.Models
	switch {
	case key == "" || (key == "createdAt" && !desc):
		return func(p int) int { return p }
	case key == "createdAt":
		return func(p int) int { return n - 1 - p }
	}
	perm := h.sorted(key)
	if desc {
		return func(p int) int { return int(perm[p]) }
	}
	return func(p int) int { return int(perm[n-1-p]) }
}

// sorted is the models in descending order of a key, built on first use and kept (4 bytes a
// model); Bump drops the lastModified order.
func (h *Hub) sorted(key string) []int32 {
	h.mu.Lock()
	perm := h.orders[key]
	h.mu.Unlock()
	if perm != nil {
		return perm
	}
	val := map[string]func(int) int64{
		"downloads":    h.downloads,
		"likes":        h.likes,
		"lastModified": func(i int) int64 { return h.modified(i).UnixMilli() },
	}[key]
	vals := make([]int64, h.cfg.Models)
	perm = make([]int32, h.cfg.Models)
	for i := range perm {
		perm[i], vals[i] = int32(i), val(i)
	}
	slices.SortFunc(perm, func(a, b int32) int {
		if c := cmp.Compare(vals[b], vals[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	h.mu.Lock()
	h.orders[key] = perm
	h.mu.Unlock()
	return perm
}
