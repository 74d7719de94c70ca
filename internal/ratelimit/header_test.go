package ratelimit

import (
	"net/url"
	"testing"
	"time"
)

func TestParseHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		h    string
		r, s int
		ok   bool
	}{
		{`"api";r=0;t=55`, 0, 55, true},
		{`"resolvers";r=12;t=3`, 12, 3, true},
		{` "pages" ; r = 7 ; t = 300 `, 7, 300, true},
		{`t=9;r=4`, 4, 9, true},
		{`"api"`, -1, -1, false},
		{`"api";r=5`, 5, -1, false},
		{`"api";r=-1;t=5`, -1, 5, false},
		{`"api";r=x;t=5`, -1, 5, false},
		{`r=1;t=99999999999999999999`, 1, -1, false},
		{`r=2147483649;t=1`, -1, 1, false},
		{``, 0, 0, false},
	}
	for _, tt := range tests {
		r, s, ok := ParseHeader(tt.h)
		if r != tt.r || s != tt.s || ok != tt.ok {
			t.Errorf("ParseHeader(%q) = %d, %d, %v; want %d, %d, %v", tt.h, r, s, ok, tt.r, tt.s, tt.ok)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v  string
		d  time.Duration
		ok bool
	}{
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"Thu, 01 Jan 2026 12:01:30 GMT", 90 * time.Second, true},
		{"Thu, 01 Jan 2026 11:00:00 GMT", 0, true},
		{"99999999999", (1 << 32) * time.Second, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		if d, ok := RetryAfter(tt.v, now); d != tt.d || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.v, d, ok, tt.d, tt.ok)
		}
	}
}

func TestBucketOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		u    string
		want Bucket
	}{
		{"https://huggingface.co/api/models/acme/tiny", API},
		{"https://huggingface.co/api/models?search=x", API},
		{"https://huggingface.co/api", API},
		{"https://huggingface.co/apis/x", Pages},
		{"https://huggingface.co/acme/tiny/resolve/main/config.json", Resolvers},
		{"https://huggingface.co/acme/tiny/resolve/abc123/sub/dir/model.safetensors", Resolvers},
		{"https://huggingface.co/datasets/acme/data/resolve/main/train.csv", Resolvers},
		{"https://huggingface.co/spaces/acme/demo/resolve/main/app.py", Resolvers},
		{"https://huggingface.co/gpt2/resolve/main/config.json", Resolvers},
		{"https://huggingface.co/acme/tiny/resolve/main", Pages},
		{"https://huggingface.co/acme/tiny/blob/main/config.json", Pages},
		{"https://huggingface.co/acme/tiny", Pages},
		{"https://huggingface.co//tiny/resolve/main/x", Pages},
		{"https://huggingface.co/", Pages},
		{"https://huggingface.co/datasets/acme/data", Pages},
		{"https://cdn-lfs.hf.co/repos/ab/cd/0123?X-Amz=1", Pages},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := BucketOf(u); got != tt.want {
			t.Errorf("BucketOf(%s) = %s, want %s", tt.u, got, tt.want)
		}
	}
	if got := BucketOf(nil); got != Pages {
		t.Errorf("BucketOf(nil) = %s", got)
	}
}

// FuzzParseHeader: any RateLimit and Retry-After values parse or are refused, never to a
// negative count or wait.
func FuzzParseHeader(f *testing.F) {
	f.Add(`"api";r=0;t=55`, "")
	f.Add(`"api";r=5;t=30`, "7")
	f.Add("", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(`r=0;t=99999999999999999999`, "-5")
	f.Add(`r=;t==;;=`, "18446744073709551615")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, h, ra string) {
		r, s, ok := ParseHeader(h)
		if ok && (r < 0 || s < 0 || r > maxHeaderNumber || s > maxHeaderNumber) {
			t.Fatalf("ParseHeader(%q) = %d, %d", h, r, s)
		}
		if d, ok := RetryAfter(ra, now); d < 0 || (!ok && d != 0) {
			t.Fatalf("RetryAfter(%q) = %v, %v", ra, d, ok)
		}
	})
}

// FuzzBucketOf: any URL path falls in exactly one of the three buckets.
func FuzzBucketOf(f *testing.F) {
	f.Add("/api/models/acme/tiny")
	f.Add("/acme/tiny/resolve/main/config.json")
	f.Add("/datasets/acme/data/resolve/main/a/b.csv")
	f.Add("//resolve///")
	f.Fuzz(func(t *testing.T, p string) {
		switch b := BucketOf(&url.URL{Path: p}); b {
		case API, Resolvers, Pages:
		default:
			t.Fatalf("BucketOf(%q) = %q", p, b)
		}
	})
}
