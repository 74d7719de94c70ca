package censustest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
)

// get fetches a URL and decodes its JSON body into out, returning the response.
func get(t testing.TB, rawURL string, out any) *http.Response {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s: %v", rawURL, err)
		}
	}
	return resp
}

// nextLink is the URL of a Link rel="next" header, "" when there is none.
func nextLink(t testing.TB, resp *http.Response) string {
	t.Helper()
	l := resp.Header.Get("Link")
	if l == "" {
		return ""
	}
	if !strings.HasPrefix(l, "<") || !strings.HasSuffix(l, `>; rel="next"`) {
		t.Fatalf("Link %q", l)
	}
	return l[1 : len(l)-len(`>; rel="next"`)]
}

// listAll follows the Link cursor from the first page and returns every entry, failing on a
// page larger than max.
func listAll(t testing.TB, first string, max int) []map[string]any {
	t.Helper()
	var all []map[string]any
	for u := first; u != ""; {
		var page []map[string]any
		resp := get(t, u, &page)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", u, resp.Status)
		}
		if len(page) > max || len(page) == 0 {
			t.Fatalf("%s: page of %d entries", u, len(page))
		}
		all = append(all, page...)
		next := nextLink(t, resp)
		if next != "" {
			nu, _ := url.Parse(next)
			if nu.Query().Get("cursor") == "" || nu.Host != strings.TrimPrefix(strings.Split(u, "/api")[0], "http://") {
				t.Fatalf("next page %q has no cursor or another host", next)
			}
		}
		u = next
	}
	return all
}

// idsOf lists the ids of entries.
func idsOf(entries []map[string]any) []string {
	out := make([]string, len(entries))
	for k, e := range entries {
		out[k] = e["id"].(string)
	}
	return out
}

func TestListingCoversEveryModelOnce(t *testing.T) {
	h := New(t, Config{Models: 2000, PageSize: 300, Seed: 1})
	want := h.IDs()
	if len(want) != 2000 || len(slicesCompact(want)) != 2000 {
		t.Fatalf("IDs: %d, %d distinct", len(want), len(slicesCompact(want)))
	}
	got := idsOf(listAll(t, h.URL()+"/api/models?limit=1000", 300))
	if !slices.Equal(got, want) {
		t.Fatalf("default order differs from IDs(): %d entries, first %v", len(got), got[:3])
	}
	if n := h.RequestsByKind()["list"]; n != 7 {
		t.Errorf("list requests = %d, want 7 pages of at most 300", n)
	}
	for _, sort := range []string{"downloads", "likes", "createdAt", "lastModified"} {
		for _, dir := range []string{"-1", "1"} {
			entries := listAll(t, h.URL()+"/api/models?limit=250&sort="+sort+"&direction="+dir+"&expand[]="+sort, 300)
			got := idsOf(entries)
			if !slices.Equal(slicesCompact(got), slicesCompact(want)) || len(got) != len(want) {
				t.Fatalf("sort=%s direction=%s: %d entries, not every id once", sort, dir, len(got))
			}
			checkSorted(t, entries, sort, dir == "-1")
		}
	}
}

// slicesCompact is the sorted distinct members of s.
func slicesCompact(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}

// checkSorted fails when entries are not ordered by key.
func checkSorted(t *testing.T, entries []map[string]any, key string, desc bool) {
	t.Helper()
	for k := 1; k < len(entries); k++ {
		a, b := entries[k-1][key], entries[k][key]
		var less bool
		switch a := a.(type) {
		case float64:
			less = a < b.(float64)
		case string:
			less = a < b.(string)
		default:
			t.Fatalf("%s: %T", key, a)
		}
		if less == desc && a != b {
			t.Fatalf("sort=%s desc=%v: entry %d (%v) then %v", key, desc, k, a, b)
		}
	}
}

func TestListingFiltersAndSearch(t *testing.T) {
	h := New(t, Config{Models: 3000, PageSize: 200, Seed: 1})
	all := listAll(t, h.URL()+"/api/models?expand[]=author&expand[]=tags", 200)
	counts := map[string]int{}
	for _, e := range all {
		counts[e["author"].(string)]++
	}
	big := ""
	for org, n := range counts {
		if n > counts[big] {
			big = org
		}
	}
	if counts[big] < 50 {
		t.Fatalf("largest organisation %s has %d models; want some with many", big, counts[big])
	}
	cases := map[string]func(map[string]any) bool{
		"author=" + big: func(e map[string]any) bool { return e["author"] == big },
		"filter=license:apache-2.0": func(e map[string]any) bool {
			return slices.Contains(toStrings(e["tags"]), "license:apache-2.0")
		},
		"filter=gguf,license:llama3.1": func(e map[string]any) bool {
			tags := toStrings(e["tags"])
			return slices.Contains(tags, "gguf") && slices.Contains(tags, "license:llama3.1")
		},
		"search=llama": func(e map[string]any) bool { return strings.Contains(strings.ToLower(e["id"].(string)), "llama") },
	}
	for params, keep := range cases {
		var want []string
		for _, e := range all {
			if keep(e) {
				want = append(want, e["id"].(string))
			}
		}
		got := idsOf(listAll(t, h.URL()+"/api/models?limit=50&expand[]=author&"+params, 50))
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: %d ids, want %d", params, len(got), len(want))
		}
	}
}

// toStrings converts a decoded JSON array of strings.
func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestCursorIsOpaqueAndBound(t *testing.T) {
	h := New(t, Config{Models: 100, PageSize: 10, Seed: 1})
	resp := get(t, h.URL()+"/api/models?sort=likes", nil)
	next := nextLink(t, resp)
	nu, _ := url.Parse(next)
	cursor := nu.Query().Get("cursor")
	if cursor == "" || strings.Contains(cursor, "10") {
		t.Fatalf("cursor %q should not show the offset", cursor)
	}
	for _, u := range []string{
		h.URL() + "/api/models?sort=likes&cursor=" + cursor + "x",
		h.URL() + "/api/models?sort=downloads&cursor=" + cursor,
		h.URL() + "/api/models?cursor=MTA",
	} {
		if resp := get(t, u, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %s, want 400", u, resp.Status)
		}
	}
	var page []map[string]any
	if resp := get(t, next, &page); resp.StatusCode != http.StatusOK || len(page) != 10 {
		t.Fatalf("next page: %s, %d entries", resp.Status, len(page))
	}
}

func TestExpandGivesOnlyWhatIsAsked(t *testing.T) {
	h := New(t, Config{Models: 100, Seed: 1})
	id := llamaBase
	var info map[string]any
	get(t, h.URL()+"/api/models/"+id+"?expand=cardData&expand=sha&expand=gated&expand=safetensors", &info)
	if got := keys(info); !slices.Equal(got, []string{"_id", "cardData", "gated", "id", "modelId", "safetensors", "sha"}) {
		t.Errorf("info keys %v", got)
	}
	if info["gated"] != "manual" || info["sha"] != h.Expected(id).SHA || info["cardData"].(map[string]any)["license"] != "llama3.1" {
		t.Errorf("info %v", info)
	}
	st := info["safetensors"].(map[string]any)
	if st["total"] != 256.0 {
		t.Errorf("safetensors %v", st)
	}
	var page []map[string]any
	get(t, h.URL()+"/api/models?limit=5&expand[]=siblings&expand[]=config", &page)
	for _, e := range page {
		if got := keys(e); !slices.Equal(got, []string{"_id", "config", "id", "modelId", "siblings"}) {
			t.Errorf("entry keys %v", got)
		}
	}
	if resp := get(t, h.URL()+"/api/models?expand[]=nonsense", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown expand: %s", resp.Status)
	}
	if resp := get(t, h.URL()+"/api/models/nobody/nothing", nil); resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Error-Code") != "RepoNotFound" {
		t.Errorf("unknown model: %s %q", resp.Status, resp.Header.Get("X-Error-Code"))
	}
}

// keys lists a map's keys in order.
func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestRateLimitCountsViolations(t *testing.T) {
	h := New(t, Config{Models: 50, Seed: 1, Limits: map[string]int{"api": 3}, Window: 400 * time.Millisecond})
	h.AllowViolations()
	var statuses []int
	var last *http.Response
	for range 5 {
		last = get(t, h.URL()+"/api/models?limit=1", nil)
		statuses = append(statuses, last.StatusCode)
	}
	if !slices.Equal(statuses, []int{200, 200, 200, 429, 429}) {
		t.Fatalf("statuses %v", statuses)
	}
	if got := last.Header.Get("RateLimit"); got != `"api";r=0;t=1` {
		t.Errorf("RateLimit %q", got)
	}
	if got := last.Header.Get("RateLimit-Policy"); got != `"fixed window";"api";q=3;w=1` {
		t.Errorf("RateLimit-Policy %q", got)
	}
	if h.Violations() != 2 || h.Requests("api") != 5 {
		t.Errorf("violations %d, api requests %d", h.Violations(), h.Requests("api"))
	}
	// Resolvers have no limit here, and the next window admits api calls again.
	if resp := get(t, h.URL()+"/"+llamaBase+"/resolve/main/README.md", nil); resp.StatusCode != 200 || resp.Header.Get("RateLimit") != "" {
		t.Errorf("resolve: %s %q", resp.Status, resp.Header.Get("RateLimit"))
	}
	time.Sleep(450 * time.Millisecond)
	if resp := get(t, h.URL()+"/api/models?limit=1", nil); resp.StatusCode != 200 || resp.Header.Get("RateLimit") != `"api";r=2;t=1` {
		t.Errorf("next window: %s %q", resp.Status, resp.Header.Get("RateLimit"))
	}
}

func TestLatencyHonoursContext(t *testing.T) {
	h := New(t, Config{Models: 10, Seed: 1, Latency: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.URL()+"/api/models", nil)
	start := time.Now()
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("request outlived its context")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled request took %v", d)
	}
}

// treeEntry is one entry of a tree listing.
type treeEntry struct {
	Path string `json:"path"`
	OID  string `json:"oid"`
	Size int    `json:"size"`
	LFS  struct {
		OID  string `json:"oid"`
		Size int    `json:"size"`
	} `json:"lfs"`
}

func TestBlobsAreSharedWithinATemplate(t *testing.T) {
	h := New(t, Config{Models: 2000, Seed: 1})
	T := len(h.c.templates)
	ids := h.IDs()
	a, b := ids[5], ids[5+T]
	if h.Expected(a).Template != h.Expected(b).Template || h.Expected(a).SHA == h.Expected(b).SHA {
		t.Fatalf("%s and %s should share a template, not a commit", a, b)
	}
	var ta, tb []treeEntry
	get(t, h.URL()+"/api/models/"+a+"/tree/main?recursive=true", &ta)
	get(t, h.URL()+"/api/models/"+b+"/tree/"+h.Expected(b).SHA+"?recursive=true", &tb)
	if len(ta) < 3 || !slices.Equal(ta, tb) {
		t.Fatalf("trees differ:\n%v\n%v", ta, tb)
	}
	readme := func(id string) ([]byte, *http.Response) {
		resp, err := http.Get(h.URL() + "/" + id + "/resolve/main/README.md")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return body, resp
	}
	ra, respA := readme(a)
	rb, respB := readme(b)
	if string(ra) != string(rb) || hubtest.GitOID(ra) != ta[slices.IndexFunc(ta, func(e treeEntry) bool { return e.Path == "README.md" })].OID {
		t.Errorf("README bytes or oid differ")
	}
	if respA.Header.Get("ETag") != respB.Header.Get("ETag") || respA.Header.Get("X-Repo-Commit") != h.Expected(a).SHA {
		t.Errorf("headers %v / %v", respA.Header, respB.Header)
	}
	checkWeightsRange(t, h, b, tb)
}

// checkWeightsRange reads the first 8 bytes of a model's weights through the CDN redirect.
func checkWeightsRange(t *testing.T, h *Hub, id string, tree []treeEntry) {
	t.Helper()
	k := slices.IndexFunc(tree, func(e treeEntry) bool { return e.LFS.OID != "" })
	req, _ := http.NewRequest(http.MethodGet, h.URL()+"/"+id+"/resolve/main/"+tree[k].Path, nil)
	req.Header.Set("Range", "bytes=0-7")
	req.Header.Set("Authorization", "Bearer hf_test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusPartialContent || len(body) != 8 || resp.Header.Get("ETag") != `"`+tree[k].LFS.OID+`"` {
		t.Errorf("weights range: %s, %d bytes, ETag %q, want %s", resp.Status, len(body), resp.Header.Get("ETag"), tree[k].LFS.OID)
	}
	if h.RequestsByKind()["cdn"] != 1 {
		t.Errorf("cdn requests %d", h.RequestsByKind()["cdn"])
	}
}

func TestBumpChangesTheCommit(t *testing.T) {
	h := New(t, Config{Models: 1000, Seed: 1})
	k := 700
	for h.Expected(h.IDs()[k]).Gated != "" {
		k++
	}
	id := h.IDs()[k]
	old := h.Expected(id).SHA
	h.Bump(id)
	now := h.Expected(id).SHA
	if now == old {
		t.Fatal("Bump kept the sha")
	}
	var info map[string]any
	get(t, h.URL()+"/api/models/"+id+"?expand=sha", &info)
	var page []map[string]any
	get(t, h.URL()+"/api/models?limit=500&expand[]=sha&cursor="+h.encodeCursor(k, query{desc: true}), &page)
	if info["sha"] != now || page[0]["id"] != id || page[0]["sha"] != now {
		t.Errorf("info sha %v, listing %v %v; want %s", info["sha"], page[0]["id"], page[0]["sha"], now)
	}
	for rev, want := range map[string]int{old: 200, now: 200, "0123abcd": 404} {
		resp := get(t, h.URL()+"/"+id+"/resolve/"+rev+"/config.json", nil)
		if resp.StatusCode != want || (want == 200 && resp.Header.Get("X-Repo-Commit") != rev) {
			t.Errorf("rev %s: %s, X-Repo-Commit %q", rev, resp.Status, resp.Header.Get("X-Repo-Commit"))
		}
	}
	if resp := get(t, h.URL()+"/api/models/"+id+"/revision/"+old+"?expand=sha", &info); resp.StatusCode != 200 || info["sha"] != old {
		t.Errorf("revision %s: %s %v", old, resp.Status, info["sha"])
	}
}

func TestKnownCasesAndTheirBases(t *testing.T) {
	h := New(t, Config{Models: 5000, Seed: 1})
	kinds := map[string]int{}
	named, found := 0, 0
	for _, id := range h.IDs() {
		e := h.Expected(id)
		kinds[e.Template]++
		if e.Relabel {
			kinds["relabel"]++
		}
		for _, b := range e.BaseModels {
			named++
			if h.index(b) >= 0 {
				found++
			}
		}
	}
	if kinds["relabel"] < 6*10 || kinds["synthetic:no-card"] < 10 || kinds["synthetic:gguf-llama"] < 10 {
		t.Errorf("too few known cases: %v relabel, %d no-card", kinds["relabel"], kinds["synthetic:no-card"])
	}
	if float64(found) < 0.8*float64(named) {
		t.Errorf("%d of %d named base models are listed", found, named)
	}
	ft := h.Expected("chatsmith/Llama-3.1-8B-chat")
	if !ft.Relabel || !slices.Equal(ft.Licenses, []string{"apache-2.0"}) || !slices.Equal(ft.BaseModels, []string{llamaBase}) {
		t.Errorf("relabel fine-tune: %+v", ft)
	}
	base := h.Expected(llamaBase)
	if base.Relabel || base.Gated != "manual" || base.LicenseFile != "llama-3.1-license-2024.txt" {
		t.Errorf("base: %+v", base)
	}
	var info map[string]any
	get(t, h.URL()+"/api/models/silentlab/encoder-base?expand=cardData&expand=siblings", &info)
	if _, ok := info["cardData"]; ok || h.Expected("silentlab/encoder-base").HasCard {
		t.Errorf("a model without a card: %v", info)
	}
	get(t, h.URL()+"/api/models/typoshop/broken-yaml-7b?expand=cardData", &info)
	if _, ok := info["cardData"]; ok {
		t.Errorf("a card that does not parse has cardData: %v", info)
	}
}

func TestDatasetsNamedByCards(t *testing.T) {
	h := New(t, Config{Models: 100, Seed: 1})
	var ds map[string]any
	resp := get(t, h.URL()+"/api/datasets/glassbox-fake/instruct-mix", &ds)
	if resp.StatusCode != 200 || ds["id"] != "glassbox-fake/instruct-mix" || len(ds["sha"].(string)) != 40 {
		t.Fatalf("dataset: %s %v", resp.Status, ds)
	}
	lic := ds["cardData"].(map[string]any)["license"]
	if lic != datasetLicense("glassbox-fake/instruct-mix") || !slices.Contains(toStrings(ds["tags"]), "license:"+lic.(string)) {
		t.Errorf("dataset licence %v, tags %v", lic, ds["tags"])
	}
	if resp := get(t, h.URL()+"/api/datasets/nobody/nothing", nil); resp.StatusCode != 404 || resp.Header.Get("X-Error-Code") != "RepoNotFound" {
		t.Errorf("unknown dataset: %s", resp.Status)
	}
	if h.RequestsByKind()["dataset"] != 2 || h.TotalRequests() != 2 {
		t.Errorf("kinds %v", h.RequestsByKind())
	}
}
