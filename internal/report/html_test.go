package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/report"
)

func htmlOf(t *testing.T, as ...*assess.Assessment) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.HTML(&b, as); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLContent: the page shows the tier, the spectrum with the release's place, what
// holds it back, every framework and the evidence, with links that resolve inside the page.
func TestHTMLContent(t *testing.T) {
	t.Parallel()
	out := htmlOf(t, run("weights-available"))
	for _, s := range []string{
		`<span class="tier tier-weights-available">Weights Available</span>`,
		`<li class="rung reached current"><span class="rung-name">Weights Available</span><span class="here">this release</span></li>`,
		`<li class="rung"><span class="rung-name">Open Weights</span></li>`,
		"<h3>What holds it back</h3>",
		"to fix: release the weights under an OSI-approved licence",
		"<h2>MOF (Model Openness Framework): Unclassified</h2>",
		"<h2>OSI Open Source AI Definition 1.0: fail</h2>",
		"<h2>European Open Source AI Index: ",
		"<h2>EU AI Act, Article 53(2) open-source exemption: not-eligible</h2>",
		`<tr id="r0-E1">`,
	} {
		if !strings.Contains(out, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(out, -1) {
		ids[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(out, -1) {
		if !ids[m[1]] {
			t.Errorf("link #%s has no target", m[1])
		}
	}
}

// TestHTMLSelfContained: no scripts, no external resources, and a policy that forbids both.
func TestHTMLSelfContained(t *testing.T) {
	t.Parallel()
	out := htmlOf(t, run("open-weights"), run("closed"))
	if !strings.Contains(out, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`) {
		t.Error("no Content-Security-Policy forbidding scripts and fetches")
	}
	for _, bad := range []string{"<script", "<link", " src=", `href="http`, "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if strings.Count(out, `<article class="report"`) != 2 || !strings.Contains(out, `id="r1-report"`) {
		t.Error("two reports do not give two articles with their own anchors")
	}
}

// TestHTMLEscapesCard: a card and a file name holding markup are shown as text.
func TestHTMLEscapesCard(t *testing.T) {
	t.Parallel()
	rel := build("evil<b>", map[string]string{
		"README.md": "---\nlicense: mit\nlibrary_name: transformers\n---\n# <script>alert(1)</script>\n\n<img src=x onerror=alert(2)> This tiny model is fully open source.\n",
		"LICENSE":   "SPDX-License-Identifier: MIT\n",
	}, "<script>x</script>.safetensors")
	out := htmlOf(t, assess.Run(rel, license.Default()))
	for _, bad := range []string{"<script", "<img", "<b>"} {
		if strings.Contains(out, bad) {
			t.Errorf("markup from the release reaches the page: %q", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;x&lt;/script&gt;.safetensors") || !strings.Contains(out, "evil&lt;b&gt;") {
		t.Error("the file name and release name are not shown escaped")
	}
}
