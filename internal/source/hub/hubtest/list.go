package hubtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// listDefault are the fields a listing entry has when the request expands none, as on the Hub.
var listDefault = []string{"createdAt", "downloads", "library_name", "likes", "pipeline_tag", "private", "tags"}

// maxListPage is the largest page the fake gives, whatever limit asks for.
const maxListPage = 1000

// list serves GET /api/models: the public models (private ones to the good token), in id order,
// narrowed by author, filter (a tag, library or pipeline) and search (part of the id), with the
// fields of expand or expand[], limit entries a page and an opaque cursor in the Link header.
// Hostile.ListEntries are appended to the models; Hostile.ListBytes pads every page;
// Hostile.RepeatCursor and Hostile.NextOrigin bend its next links as they do the tree's.
func (h *Hub) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fields := append(q["expand"], q["expand[]"]...)
	if len(fields) == 0 {
		fields = listDefault
	}
	good := r.Header.Get("Authorization") == "Bearer "+h.GoodToken
	var entries []any
	for _, repo := range h.sortedRepos() {
		if repo.Kind != KindModel || repo.Disabled || repo.Private && !good || !matches(repo, q.Get("author"), q.Get("filter"), q.Get("search")) {
			continue
		}
		full := h.fullInfo(repo)
		full["createdAt"], full["downloads"], full["likes"] = "2024-06-01T00:00:00.000Z", len(repo.ID)*100, len(repo.ID)
		entries = append(entries, pick(full, fields))
	}
	entries = append(entries, h.Hostile.ListEntries...)
	start, ok := decodeCursor(q.Get("cursor"))
	if !ok || start > len(entries) {
		hubError(w, http.StatusBadRequest, "", "invalid cursor")
		return
	}
	size, err := strconv.Atoi(q.Get("limit"))
	if err != nil || size <= 0 || size > maxListPage {
		size = maxListPage
	}
	end := min(start+size, len(entries))
	if end < len(entries) || h.Hostile.RepeatCursor {
		h.listLink(w, r, end)
	}
	h.writeList(w, entries[start:end])
}

// sortedRepos lists the repositories in id order.
func (h *Hub) sortedRepos() []*Repo {
	out := make([]*Repo, 0, len(h.repos))
	for _, r := range h.repos {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// matches applies the listing's author, filter and search to a repository.
func matches(repo *Repo, author, filter, search string) bool {
	if author != "" && !strings.HasPrefix(repo.ID, author+"/") {
		return false
	}
	if search != "" && !strings.Contains(strings.ToLower(repo.ID), strings.ToLower(search)) {
		return false
	}
	if filter == "" {
		return true
	}
	switch tags := repo.Info["tags"].(type) {
	case []string:
		if slices.Contains(tags, filter) {
			return true
		}
	case []any:
		if slices.Contains(tags, any(filter)) {
			return true
		}
	}
	return repo.Info["library_name"] == filter || repo.Info["pipeline_tag"] == filter
}

// listLink sets the Link header to the page starting at entry next (the page itself when
// Hostile.RepeatCursor is set), on Hostile.NextOrigin when that is set.
func (h *Hub) listLink(w http.ResponseWriter, r *http.Request, next int) {
	u := *r.URL
	q := u.Query()
	if !h.Hostile.RepeatCursor {
		q.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte("after="+strconv.Itoa(next))))
	}
	u.RawQuery = q.Encode()
	origin := h.srv.URL
	if h.Hostile.NextOrigin != "" {
		origin = h.Hostile.NextOrigin
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, origin, u.RequestURI()))
}

// decodeCursor reads a cursor listLink wrote; "" is the first page.
func decodeCursor(c string) (int, bool) {
	if c == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "after="))
	return n, err == nil && n >= 0 && strings.HasPrefix(string(b), "after=")
}

// writeList writes a page, padded by Hostile.ListBytes with a last entry that is a long string.
func (h *Hub) writeList(w http.ResponseWriter, page []any) {
	if page == nil {
		page = []any{}
	}
	body, err := json.Marshal(page)
	if err != nil {
		hubError(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if h.Hostile.ListBytes <= 0 {
		w.Write(append(body, '\n'))
		return
	}
	head := strings.TrimSuffix(string(body), "]")
	if len(page) > 0 {
		head += ","
	}
	if _, err := io.WriteString(w, head+`"`); err != nil {
		return
	}
	chunk := []byte(strings.Repeat("a", 64<<10))
	for n := int64(0); n < h.Hostile.ListBytes; n += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			return // the client stopped reading
		}
	}
	io.WriteString(w, `"]`)
}
