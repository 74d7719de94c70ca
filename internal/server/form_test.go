package server

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// postForm posts a form with an optional CSRF cookie, without following redirects.
func postForm(t *testing.T, target, cookie string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: cookie})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func TestAuditFormCSRF(t *testing.T) {
	srv, _, q, tok := setup(t)
	res, page := do(t, "GET", srv.URL+"/audit", "", "")
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == csrfCookie {
			cookie = c
		}
	}
	m := csrfField.FindStringSubmatch(page)
	if res.StatusCode != 200 || cookie == nil || m == nil || m[1] != cookie.Value {
		t.Fatalf("form page: %d, cookie %v, field %v: want the same token in both", res.StatusCode, cookie, m)
	}
	if cookie.SameSite != http.SameSiteStrictMode || !cookie.HttpOnly {
		t.Errorf("cookie %+v, want SameSite=Strict and HttpOnly", cookie)
	}
	// A second visit keeps the token, so a form open in another tab still posts.
	req, _ := http.NewRequest("GET", srv.URL+"/audit", nil)
	req.AddCookie(cookie)
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(again.Body)
	again.Body.Close()
	if m2 := csrfField.FindStringSubmatch(string(b)); m2 == nil || m2[1] != cookie.Value || len(again.Cookies()) != 0 {
		t.Errorf("second visit: field %v, new cookies %v; want the same token and no new cookie", m2, again.Cookies())
	}
	if !strings.Contains(page, `<label for="target">`) || !strings.Contains(page, `<label for="token">`) {
		t.Errorf("form fields are not labelled")
	}
	good := url.Values{"target": {"hf:acme/tiny"}, "token": {tok}, "csrf": {cookie.Value}}
	forged := []struct {
		name, cookie string
		form         url.Values
	}{
		{"no token at all", "", url.Values{"target": {"hf:acme/tiny"}, "token": {tok}}},
		{"cookie without field", cookie.Value, url.Values{"target": {"hf:acme/tiny"}, "token": {tok}}},
		{"field without cookie", "", good},
		{"wrong field", cookie.Value, url.Values{"target": {"hf:acme/tiny"}, "token": {tok}, "csrf": {newCSRF()}}},
		{"short equal pair", "x", url.Values{"target": {"hf:acme/tiny"}, "token": {tok}, "csrf": {"x"}}},
	}
	for _, f := range forged {
		if res, body := postForm(t, srv.URL+"/audit", f.cookie, f.form); res.StatusCode != 403 {
			t.Errorf("%s: %d %s, want 403", f.name, res.StatusCode, body)
		}
	}
	if len(q.jobs) != 0 {
		t.Fatalf("forged forms queued %v", q.jobs)
	}
	bad := url.Values{"target": {"hf:acme/tiny"}, "token": {"gbx_wrong"}, "csrf": {cookie.Value}}
	if res, body := postForm(t, srv.URL+"/audit", cookie.Value, bad); res.StatusCode != 401 || !strings.Contains(body, "not a write token") {
		t.Errorf("wrong write token: %d, want 401 and the form again with the reason", res.StatusCode)
	}
	notHub := url.Values{"target": {"https://169.254.169.254/"}, "token": {tok}, "csrf": {cookie.Value}}
	if res, _ := postForm(t, srv.URL+"/audit", cookie.Value, notHub); res.StatusCode != 400 {
		t.Errorf("a URL target: %d, want 400", res.StatusCode)
	}
	res, _ = postForm(t, srv.URL+"/audit", cookie.Value, good)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/audits/1" || len(q.jobs) != 1 || q.jobs[0].Target != "hf:acme/tiny" {
		t.Fatalf("right token: %d to %q, jobs %v; want 303 to /audits/1 and the job queued", res.StatusCode, res.Header.Get("Location"), q.jobs)
	}
	res, job := do(t, "GET", srv.URL+"/audits/1", "", "")
	if res.StatusCode != 200 || !strings.Contains(job, `<script src="/assets/progress.js" defer></script>`) ||
		!strings.Contains(job, `data-model="/models/acme/tiny"`) || !strings.Contains(job, `aria-live="polite">queued<`) {
		t.Errorf("progress page: %d %s", res.StatusCode, job)
	}
	if strings.Count(job, "<script") != 1 {
		t.Errorf("progress page has inline script")
	}
	if res, js := do(t, "GET", srv.URL+"/assets/progress.js", "", ""); res.StatusCode != 200 || !strings.Contains(js, "/api/v1/audits/") {
		t.Errorf("progress.js: %d", res.StatusCode)
	}
}

func TestAuditFormCrossOrigin(t *testing.T) {
	srv, _, q, tok := setup(t)
	tokCSRF := newCSRF()
	req, _ := http.NewRequest("POST", srv.URL+"/audit", strings.NewReader(url.Values{"target": {"hf:a/b"}, "token": {tok}, "csrf": {tokCSRF}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: tokCSRF})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 || len(q.jobs) != 0 {
		t.Errorf("a cross-site post: %d, jobs %v; want 403 and nothing queued", res.StatusCode, q.jobs)
	}
}
