package hub

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/source"
)

// listAll walks q and returns the ids seen, the skip reasons and the pages read.
func listAll(t *testing.T, c *Client, q ListQuery) (ids, skipped []string, pages int, err error) {
	t.Helper()
	err = c.ListAll(context.Background(), q, func(p *ListPage) error {
		pages++
		for _, e := range p.Entries {
			ids = append(ids, e.ID)
		}
		skipped = append(skipped, p.Skipped...)
		return nil
	})
	return ids, skipped, pages, err
}

// publicModels are the fixture models an anonymous listing shows, in id order.
var publicModels = []string{
	"acme/many-files", "acme/merged", "acme/orphan", "acme/parent-a", "acme/parent-b", "acme/root",
	"acme/tiny-chat", "acme/tiny-gguf", "google-bert/bert-base-uncased", "loop/a", "loop/b", "loop/self",
	"meta-llama/Llama-3.2-1B",
}

func TestListURL(t *testing.T) {
	t.Parallel()
	c := NewClient("test")
	c.Endpoint = "https://hub.example"
	got := c.ListURL(ListQuery{Author: "acme", Filter: "gguf", Sort: "downloads", PageSize: 50})
	want := "https://hub.example/api/models?author=acme&filter=gguf&sort=downloads&direction=-1&limit=50"
	if !strings.HasPrefix(got, want+"&expand=cardData&") {
		t.Fatalf("ListURL = %s\nwant prefix %s", got, want)
	}
	u, _ := url.Parse(got)
	if e := u.Query()["expand"]; !slices.Equal(e, ListExpand) {
		t.Errorf("expand = %v", e)
	}
	if got := c.ListURL(ListQuery{Limit: 7}); !strings.Contains(got, "?limit=7&") || strings.Contains(got, "direction") {
		t.Errorf("ListURL(limit 7) = %s", got)
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	ids, skipped, pages, err := listAll(t, c, ListQuery{PageSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, publicModels) || len(skipped) != 0 {
		t.Fatalf("ids %v\nskipped %v", ids, skipped)
	}
	if pages != 4 || c.Requests() != 4 {
		t.Errorf("%d pages in %d requests, want 4 and 4", pages, c.Requests())
	}
	reqs := h.Requests()
	for i, r := range reqs[1:] {
		if !strings.Contains(r, "cursor=") || !strings.Contains(r, "limit=4") {
			t.Errorf("request %d = %s: the next link was not followed as given", i+2, r)
		}
	}
}

func TestListFiltersAndLimit(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	for _, tc := range []struct {
		q    ListQuery
		want []string
		reqs int64
	}{
		{ListQuery{Author: "loop"}, []string{"loop/a", "loop/b", "loop/self"}, 1},
		{ListQuery{Filter: "llama"}, []string{"acme/tiny-chat", "meta-llama/Llama-3.2-1B"}, 1},
		{ListQuery{Search: "PARENT"}, []string{"acme/parent-a", "acme/parent-b"}, 1},
		{ListQuery{Limit: 5, PageSize: 3}, publicModels[:5], 2},
		{ListQuery{Limit: 2}, publicModels[:2], 1},
	} {
		c, _ := clientFor(h, "")
		ids, _, _, err := listAll(t, c, tc.q)
		if err != nil || !slices.Equal(ids, tc.want) || c.Requests() != tc.reqs {
			t.Errorf("%+v: %v in %d requests (%v), want %v in %d", tc.q, ids, c.Requests(), err, tc.want, tc.reqs)
		}
	}
}

func TestListExpandDecoded(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	c, _ := clientFor(h, "")
	page, err := c.List(context.Background(), c.ListURL(ListQuery{Author: "acme", Search: "tiny-chat"}))
	if err != nil || len(page.Entries) != 1 || page.Next != "" {
		t.Fatalf("page %+v, %v", page, err)
	}
	e := page.Entries[0]
	if e.ID != "acme/tiny-chat" || e.SHA != commit("acme/tiny-chat") || e.Downloads != 1400 || e.Likes != 14 ||
		e.CreatedAt != "2024-06-01T00:00:00.000Z" || e.LastModified != "2025-01-02T03:04:05.000Z" {
		t.Errorf("entry %+v", e)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"cardData", "config", "safetensors", "siblings", "tags", "pipeline_tag", "library_name", "gated"} {
		if _, ok := raw[f]; !ok {
			t.Errorf("field %s missing from the entry", f)
		}
	}
	if _, ok := raw["baseModels"]; ok {
		t.Error("baseModels came back though ListExpand does not ask for it")
	}
}

func TestListHostile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		set  func(h *fakeHub)
		want string
	}{
		{"repeated cursor", func(h *fakeHub) { h.Hostile.RepeatCursor = true }, "repeated a page cursor"},
		{"cross origin", func(h *fakeHub) { h.Hostile.NextOrigin = "http://127.0.0.1:9" }, "another origin (http://127.0.0.1:9)"},
		{"over the cap", func(h *fakeHub) { h.Hostile.ListBytes = 3 << 20 }, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newFakeHub(t, fixtures(t)...)
			tc.set(h)
			c, _ := clientFor(h, "")
			c.MaxListAnswer = 2 << 20
			_, _, _, err := listAll(t, c, ListQuery{PageSize: 5})
			if !errors.Is(err, ErrListing) || !errors.Is(err, source.ErrUnreadable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrListing saying %q", err, tc.want)
			}
			if n := c.Requests(); n > 2 {
				t.Errorf("%d requests before refusing", n)
			}
		})
	}
}

func TestListSkipsBadEntries(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t, fixtures(t)...)
	h.Hostile.ListEntries = []any{
		map[string]any{"id": "../../etc", "sha": commit("x")},
		map[string]any{"id": "acme/short", "sha": "main"},
		map[string]any{"id": "acme/nosha"},
		"not an object",
		map[string]any{"id": "acme/root", "sha": commit("acme/root")},
		map[string]any{"id": "acme/odd-counters", "sha": commit("odd"), "downloads": "many", "likes": -3},
	}
	c, _ := clientFor(h, "")
	ids, skipped, _, err := listAll(t, c, ListQuery{PageSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(publicModels), "acme/odd-counters")
	if !slices.Equal(ids, want) {
		t.Errorf("ids %v", ids)
	}
	wantSkips := []string{
		`entry 14: repository id "../../etc" is not ORG/NAME`,
		`entry 15: acme/short: sha "main" is not 40 hex digits`,
		`entry 16: acme/nosha: sha "" is not 40 hex digits`,
		"entry 1: not a JSON object with string fields id, sha, createdAt, lastModified",
		"acme/root: listed again on a later page",
	}
	if !slices.Equal(skipped, wantSkips) {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(wantSkips, "\n"))
	}
}

func TestListRefusesForeignStart(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	c, _ := clientFor(h, "")
	_, err := c.List(context.Background(), "http://127.0.0.1:9/api/models")
	if !errors.Is(err, ErrListing) || c.Requests() != 0 {
		t.Fatalf("err %v after %d requests", err, c.Requests())
	}
}
