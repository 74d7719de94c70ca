package githubtest

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, u string, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	repo := &Repo{Owner: "acme", Name: "x", License: "MIT", Truncated: true, Files: map[string]string{
		"LICENSE": "SPDX-License-Identifier: MIT\n", "README.md": "# x\n", "src/a.py": "pass\n",
	}}
	api := NewPrefixed(t, "/api/v3", repo)
	if !strings.HasSuffix(api.URL, "/api/v3") {
		t.Fatalf("URL %q lacks the prefix", api.URL)
	}
	var lic struct {
		Path, Content string
		License       struct {
			SPDX string `json:"spdx_id"`
		}
	}
	code, _, body := get(t, api.URL+"/repos/acme/x/license", nil)
	if json.Unmarshal(body, &lic); code != 200 || lic.Path != "LICENSE" || lic.License.SPDX != "MIT" {
		t.Errorf("license: %d %s", code, body)
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.ReplaceAll(lic.Content, "\n", ""))
	if string(raw) != repo.Files["LICENSE"] {
		t.Errorf("license content %q", raw)
	}
	if code, _, body := get(t, api.URL+"/repos/acme/x/readme", nil); code != 200 || !strings.Contains(string(body), `"path":"README.md"`) {
		t.Errorf("readme: %d %s", code, body)
	}
	var tree struct {
		Tree      []struct{ Path, Type string }
		Truncated bool
	}
	_, _, body = get(t, api.URL+"/repos/acme/x/git/trees/"+repo.SHA, nil)
	if json.Unmarshal(body, &tree); len(tree.Tree) != 3 || !tree.Truncated {
		t.Errorf("top-level tree: %s", body)
	}
	_, _, body = get(t, api.URL+"/repos/acme/x/git/trees/"+repo.SHA+"?recursive=1", nil)
	if json.Unmarshal(body, &tree); len(tree.Tree) != 4 {
		t.Errorf("recursive tree: %s", body)
	}
	code, hdr, body := get(t, api.URL+"/repos/acme/x/commits/main", map[string]string{"Accept": "application/vnd.github.sha"})
	if code != 200 || string(body) != repo.SHA {
		t.Errorf("commit: %d %s", code, body)
	}
	if code, _, _ := get(t, api.URL+"/repos/acme/x/commits/main", map[string]string{"Accept": "application/vnd.github.sha", "If-None-Match": hdr.Get("ETag")}); code != 304 {
		t.Errorf("conditional commit: %d, want 304", code)
	}
	if code, _, _ := get(t, api.URL+"/repos/acme/nope", nil); code != 404 {
		t.Errorf("missing repository: %d", code)
	}
	if code, _, _ := get(t, strings.TrimSuffix(api.URL, "/api/v3")+"/repos/acme/x", nil); code != 404 {
		t.Errorf("without the prefix: %d, want 404", code)
	}
	api.Fail("/repos/acme/x", Fault{Status: 403, Header: map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1700000000"}})
	if code, hdr, _ := get(t, api.URL+"/repos/acme/x", nil); code != 403 || hdr.Get("X-Ratelimit-Remaining") != "0" {
		t.Errorf("fault: %d %v", code, hdr)
	}
	if code, _, _ := get(t, api.URL+"/repos/acme/x", nil); code != 200 {
		t.Errorf("after the fault: %d", code)
	}
}
