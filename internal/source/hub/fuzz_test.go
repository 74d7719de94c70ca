package hub

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/ratelimit"
)

// FuzzDecodeInfo: any info answer decodes or fails cleanly, and what it accepts carries a 40-hex
// commit, a valid repository id and only paths that pass CheckPath.
func FuzzDecodeInfo(f *testing.F) {
	f.Add([]byte(`{"id":"acme/x","sha":"0123456789abcdef0123456789abcdef01234567","siblings":[{"rfilename":"README.md"},{"rfilename":"../x"}],"baseModels":{"relation":"merge","models":[{"id":"a/b"},"c/d"]},"cardData":{"license":"mit"},"gated":"manual"}`))
	f.Add([]byte(`{"sha":"../../etc","siblings":[]}`))
	f.Add([]byte(`{"id":"../..","sha":"0123456789abcdef0123456789abcdef01234567","safetensors":{"parameters":{"BF16":5},"total":5},"gguf":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		info, err := decodeInfo(raw, Target{Kind: KindModel, Repo: "acme/x"})
		if err != nil {
			return
		}
		if !IsCommit(info.SHA) || checkRepo(info.ID) != nil {
			t.Fatalf("accepted sha %q id %q", info.SHA, info.ID)
		}
		for _, s := range info.Siblings {
			if CheckPath(s.RFilename) != nil {
				t.Fatalf("accepted path %q", s.RFilename)
			}
		}
		h := info.hubInfo(KindModel)
		if h.SHA != info.SHA {
			t.Fatalf("hubInfo sha %q", h.SHA)
		}
		filesFromSiblings(info.Siblings)
	})
}

// FuzzDecodeTreePage: any tree page decodes or fails cleanly, keeping only files with paths that
// pass CheckPath.
func FuzzDecodeTreePage(f *testing.F) {
	f.Add([]byte(`[{"type":"directory","path":"a","oid":"x","size":0},{"type":"file","path":"a/b.safetensors","size":3,"lfs":{"oid":"ab","size":3,"pointerSize":134}},{"type":"file","path":"../../etc/passwd"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"path":"x"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		page, err := decodeTreePage(raw)
		if err != nil {
			return
		}
		if len(page.files)+page.refused > page.entries {
			t.Fatalf("%d files, %d refused of %d entries", len(page.files), page.refused, page.entries)
		}
		for _, e := range page.files {
			if e.Type != "file" || CheckPath(e.Path) != nil {
				t.Fatalf("kept %+v", e)
			}
		}
		filesFromTree(page.files)
	})
}

// FuzzNextLink: a Link header gives a URL or nothing, never a panic.
func FuzzNextLink(f *testing.F) {
	f.Add(`<https://huggingface.co/api/models/x/tree/main?cursor=abc>; rel="next"`)
	f.Add(`<?cursor=2>; rel="next", <http://other:1/>; rel="prev"`)
	f.Add(`<http://[::1`)
	f.Add(`;;;,,<>;rel="next"`)
	base, _ := url.Parse("https://huggingface.co/api/models/x/tree/main")
	f.Fuzz(func(t *testing.T, h string) {
		u := nextLink(h, base)
		if u == "" {
			return
		}
		if _, err := url.Parse(u); err != nil {
			t.Fatalf("nextLink gave %q: %v", u, err)
		}
	})
}

// FuzzRateLimit: RateLimit and Retry-After headers give a wait that is never negative.
func FuzzRateLimit(f *testing.F) {
	f.Add(`"api";r=0;t=55`, "")
	f.Add(`"api";r=5;t=30`, "7")
	f.Add("", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(`r=0;t=99999999999999999999`, "-5")
	f.Add(`r=0;t=-1`, "18446744073709551615")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, rl, ra string) {
		if r, s, ok := ratelimit.ParseHeader(rl); ok && (r < 0 || s < 0) {
			t.Fatalf("ratelimit.ParseHeader(%q) = %d, %d", rl, r, s)
		}
		h := http.Header{}
		h.Set("RateLimit", strings.ToValidUTF8(rl, ""))
		h.Set("Retry-After", strings.ToValidUTF8(ra, ""))
		if d, ok := askedWait(h, now); ok && d < 0 {
			t.Fatalf("askedWait(%q, %q) = %v", rl, ra, d)
		}
	})
}

// FuzzDecodeListPage: any listing page decodes or fails cleanly; every entry kept has a valid
// id and a 40-hex commit, is listed once, and is accounted for with the skipped ones.
func FuzzDecodeListPage(f *testing.F) {
	f.Add([]byte(`[{"id":"acme/x","sha":"0123456789abcdef0123456789abcdef01234567","downloads":5,"likes":"x","cardData":{"license":"mit"}},{"id":"../x","sha":"0123456789abcdef0123456789abcdef01234567"},7,{"id":"acme/x","sha":"0123456789abcdef0123456789abcdef01234567"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"id":"acme/x"}`))
	f.Add([]byte(`[{"id":"a","sha":"main","createdAt":3}]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		page, n, err := decodeListPage(raw)
		if err != nil {
			return
		}
		if len(page.Entries)+len(page.Skipped) != n {
			t.Fatalf("%d kept and %d skipped of %d", len(page.Entries), len(page.Skipped), n)
		}
		seen := map[string]bool{}
		for _, e := range page.Entries {
			if checkRepo(e.ID) != nil || !IsCommit(e.SHA) || seen[strings.ToLower(e.ID)] || e.Downloads < 0 || e.Likes < 0 {
				t.Fatalf("kept %+v", e)
			}
			seen[strings.ToLower(e.ID)] = true
			if _, err := MetadataRelease(e); err != nil && !strings.Contains(err.Error(), "listing entry") {
				t.Fatalf("MetadataRelease: %v", err)
			}
		}
	})
}
