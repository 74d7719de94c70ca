package server

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glassbox-dev/glassbox/internal/store"
)

// openReport is a later audit of acme/evil: open weights, the openwashing finding gone.
const openReport = `{"schema": "glassbox.report/v1", "target": "hf:acme/evil", "revision": "def",
 "tier": {"label": "open-weights", "reasons": []},
 "frameworks": {"mof": {"class": 3, "label": "Class III"}, "osaid": {"verdict": "fail"}, "osai": {"score": 0.5, "percent": "50%"}, "euaiact": {"exemption": "eligible"}},
 "weights": {"licenses": ["Apache-2.0"], "open": true, "restrictions": []},
 "licenses": [{"key": "apache-2.0", "expression": "Apache-2.0", "scope": "weights", "source": "card"}],
 "findings": [{"id": "gated", "severity": "info", "message": "downloads are gated"}]}`

func save(t *testing.T, st store.Store, name, report string, at time.Time) {
	t.Helper()
	if _, err := st.Save(context.Background(), &store.Audit{Model: store.Model{Org: "acme", Name: name}, Version: "test", Created: at, Report: []byte(report)}); err != nil {
		t.Fatal(err)
	}
}

func TestHistoryShowsWhatChanged(t *testing.T) {
	srv, st, _, _ := setup(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	save(t, st, "evil", hostileReport, t0)
	save(t, st, "evil", openReport, t0.Add(time.Hour))
	res, page := do(t, "GET", srv.URL+"/models/acme/evil", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("model page: %d", res.StatusCode)
	}
	for _, want := range []string{
		"<li>tier: weights-available → open-weights</li>",
		"<li>weights licence: LicenseRef-x → Apache-2.0</li>",
		"<li>EU AI Act 53(2): not-eligible → eligible</li>",
		"<li>finding added: gated</li>",
		"<li>finding removed: openwashing</li>",
		"first audit",
		`href="/models/acme/evil/report.json?revision=abc"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("model page lacks %q", want)
		}
	}
	res, body := do(t, "GET", srv.URL+"/models/acme/evil/report.json?revision=abc", "", "")
	if res.StatusCode != 200 || body != hostileReport || res.Header.Get("Content-Disposition") != `attachment; filename="acme_evil_abc.glassbox.json"` {
		t.Errorf("download at abc: %d %q, body is the stored report: %v", res.StatusCode, res.Header.Get("Content-Disposition"), body == hostileReport)
	}
	if res, body := do(t, "GET", srv.URL+"/models/acme/evil/report.json", "", ""); res.StatusCode != 200 || body != openReport {
		t.Errorf("download of the latest: %d, the later report: %v", res.StatusCode, body == openReport)
	}
	if res, _ := do(t, "GET", srv.URL+"/models/acme/none/report.json", "", ""); res.StatusCode != 404 {
		t.Errorf("download of an unaudited model: %d, want 404", res.StatusCode)
	}
}

func TestCompare(t *testing.T) {
	srv, st, _, _ := setup(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	save(t, st, "evil", hostileReport, t0)
	save(t, st, "good", strings.ReplaceAll(openReport, "acme/evil", "acme/good"), t0)
	q := url.Values{"m": {"acme/evil", "acme/good", "acme/ghost", "acme/evil"}}
	res, page := do(t, "GET", srv.URL+"/compare?"+q.Encode(), "", "")
	if res.StatusCode != 200 {
		t.Fatalf("compare: %d %s", res.StatusCode, page)
	}
	for _, want := range []string{
		`<th scope="row">Tier</th><td>weights-available</td><td>open-weights</td><td>not audited</td></tr>`,
		`<td>Apache-2.0 (open)</td>`,
		`<td>LicenseRef-x</td>`,
		`&lt;a href=&#34;javascript:alert(3)&#34;&gt;click&lt;/a&gt;`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	if strings.Count(page, `<th scope="col"><a href="/models/acme/evil">`) != 1 || strings.Contains(page, `href="javascript:`) {
		t.Errorf("a model named twice is compared twice, or a finding's link is live")
	}
	for _, bad := range []string{"m=../etc", "m=acme", "m=a/b/c", "m=a/1&m=a/2&m=a/3&m=a/4&m=a/5&m=a/6&m=a/7&m=a/8&m=a/9"} {
		if res, _ := do(t, "GET", srv.URL+"/compare?"+bad, "", ""); res.StatusCode != 400 {
			t.Errorf("compare?%s: %d, want 400", bad, res.StatusCode)
		}
	}
}

// TestCompareAPI: /api/v1/compare gives each model's latest audit, null for one never audited.
func TestCompareAPI(t *testing.T) {
	srv, st, _, _ := setup(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	save(t, st, "evil", hostileReport, t0)
	save(t, st, "open", openReport, t0)
	res, body := do(t, "GET", srv.URL+"/api/v1/compare?m=acme/open&m=acme/evil&m=acme/none&m=acme/open", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("compare: %d %s", res.StatusCode, body)
	}
	var doc struct {
		Models []struct {
			Model store.Model
			Audit *struct {
				Index struct{ Tier string }
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range doc.Models {
		tier := "none"
		if m.Audit != nil {
			tier = m.Audit.Index.Tier
		}
		got = append(got, m.Model.String()+"="+tier)
	}
	if strings.Join(got, " ") != "acme/open=open-weights acme/evil=weights-available acme/none=none" {
		t.Errorf("compare gave %v", got)
	}
	if res, _ := do(t, "GET", srv.URL+"/api/v1/compare?m="+url.QueryEscape("../etc"), "", ""); res.StatusCode != 400 {
		t.Errorf("a bad model name: %d, want 400", res.StatusCode)
	}
}

// TestLineageGraph: the model page draws the base models above the model, one arrow each,
// labelled with the relation, the base's terms in words for screen readers too.
func TestLineageGraph(t *testing.T) {
	srv, st, _, _ := setup(t)
	report := strings.Replace(openReport, `"findings":`, `"lineage": [{"ref": "hf:meta-llama/Llama-3.1-8B", "relation": "finetune", "license": "LicenseRef-Llama-3.1-Community", "open": false}, {"ref": "hf:acme/<b>base</b>", "relation": "", "open": true}], "findings":`, 1)
	save(t, st, "child", report, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	res, page := do(t, "GET", srv.URL+"/models/acme/child", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("model page: %d", res.StatusCode)
	}
	for _, want := range []string{
		`<svg class="lineage" viewBox="0 0 460 168"`,
		`aria-label="acme/child is a finetune of meta-llama/Llama-3.1-8B (LicenseRef-Llama-3.1-Community); derived of acme/&lt;b&gt;base&lt;/b&gt; (terms unknown)"`,
		`>finetune</text>`, `stroke="#b42318"`, `stroke="#1a7f37"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("model page lacks %q", want)
		}
	}
	if strings.Contains(page, "<b>base") {
		t.Error("a base's name reached the page unescaped")
	}
	save(t, st, "plain", openReport, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	res, plain := do(t, "GET", srv.URL+"/models/acme/plain", "", "")
	if res.StatusCode != 200 || strings.Contains(plain, `class="lineage"`) {
		t.Error("a model without bases has a lineage picture")
	}
}

// TestFamilyTaskFiltersAndDatasets: the leaderboard filters by licence family and task, and the
// model page lists the datasets.
func TestFamilyTaskFiltersAndDatasets(t *testing.T) {
	srv, st, _, _ := setup(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	llama := strings.Replace(openReport, `"licenses": [{"key": "apache-2.0"`, `"task": "text-generation", "datasets": [{"ref": "hf:datasets/acme/<i>web</i>", "license": "ODC-By-1.0", "open": true}], "licenses": [{"key": "llama3.1"`, 1)
	save(t, st, "llm", llama, at)
	save(t, st, "other", openReport, at)
	for query, want := range map[string]string{
		"family=llama":         `"total": 1`,
		"task=text-generation": `"total": 1`,
		"family=gemma":         `"total": 0`,
	} {
		if res, body := do(t, "GET", srv.URL+"/api/v1/models?"+query, "", ""); res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %s in %s", query, res.StatusCode, want, body)
		}
	}
	if _, board := do(t, "GET", srv.URL+"/?family=llama", "", ""); !strings.Contains(board, `href="/models/acme/llm"`) || strings.Contains(board, `href="/models/acme/other"`) {
		t.Error("the leaderboard's family filter does not keep only acme/llm")
	}
	_, page := do(t, "GET", srv.URL+"/models/acme/llm", "", "")
	if !strings.Contains(page, "hf:datasets/acme/&lt;i&gt;web&lt;/i&gt; <span class=\"muted\">(ODC-By-1.0, open terms)</span>") {
		t.Error("the model page does not list the dataset with its terms, escaped")
	}
}
