package server

import (
	"context"
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
