package server

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/source/hub/hubtest"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// chromium is Debian's Chromium, which .ci/run installs.
const chromium = "/usr/bin/chromium"

// browser starts headless Chromium for one test. Without Chromium the test skips, saying so,
// except in CI (CI or GLASSBOX_REQUIRE_CHROMIUM set, as .ci/run does), where it fails.
func browser(t *testing.T) (context.Context, *pageLog) {
	t.Helper()
	if _, err := exec.LookPath(chromium); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("GLASSBOX_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("Chromium is missing (%v); .ci/run installs it with apt-get install -y chromium", err)
		}
		t.Skipf("Chromium is not installed at %s (apt-get install -y chromium); the UI tests need it", chromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	pl := &pageLog{}
	ctx, cancelB := chromedp.NewContext(actx, chromedp.WithListener(pl.dialog))
	ctx, cancelC := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			pl.console(m)
		}
	}()
	return ctx, pl
}

// pageLog collects console errors and warnings, uncaught exceptions, CSP violations (browser
// log entries) and JavaScript dialogs (which hostile content would open).
type pageLog struct {
	mu      sync.Mutex
	errors  []string
	dialogs []string
}

func (p *pageLog) console(m chromedp.ConsoleMessage) {
	if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleWarning && m.Type != chromedp.ConsoleException {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errors = append(p.errors, m.String())
}

func (p *pageLog) dialog(ev any) {
	if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.dialogs = append(p.dialogs, d.Message)
	}
}

// take returns and clears what was collected.
func (p *pageLog) take() (errs, dialogs []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	errs, dialogs = p.errors, p.dialogs
	p.errors, p.dialogs = nil, nil
	return errs, dialogs
}

// screenshot writes the page as NAME.png under $GLASSBOX_SCREENSHOTS/serve (default a
// temporary folder of the test).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := t.TempDir()
	if d := os.Getenv("GLASSBOX_SCREENSHOTS"); d != "" {
		dir = filepath.Join(d, "serve")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// eval runs a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// smallestText is the smallest font size of an element holding text, in CSS pixels.
const smallestText = `Math.min(...[...document.querySelectorAll('body *')].filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())).map(e => parseFloat(getComputedStyle(e).fontSize)))`

// widest names the elements that reach past the window's right edge, outside scroll boxes.
const widest = `[...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll') && (e.getBoundingClientRect().right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1) && getComputedStyle(e).overflowX === 'visible').map(e => e.tagName + '.' + e.className + ' [' + e.textContent.slice(0, 60) + ']').slice(0, 5).join(' | ')`

// checkPage fails on anything the browser reported, on live script the server did not send,
// and on a page wider than the window at 320 px or text smaller than 12 px there.
func checkPage(t *testing.T, ctx context.Context, pl *pageLog, name string) {
	t.Helper()
	inline := eval[int](t, ctx, `document.querySelectorAll('script:not([src])').length`)
	live := eval[int](t, ctx, `document.querySelectorAll('a[href^="javascript:" i], [onerror], [onclick], [onload]').length`)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	overflow := eval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`)
	smallest := eval[float64](t, ctx, smallestText)
	wide := eval[string](t, ctx, widest)
	screenshot(t, ctx, name+"-320")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, name)
	errs, dialogs := pl.take()
	if len(errs) > 0 || len(dialogs) > 0 {
		t.Errorf("%s: browser reported %q, dialogs %q", name, errs, dialogs)
	}
	if inline > 0 || live > 0 {
		t.Errorf("%s: %d inline scripts, %d javascript: links or handlers in the DOM", name, inline, live)
	}
	if overflow || smallest < 12 {
		t.Errorf("%s at 320 px: wider than the window %v (%s), smallest text %.1f px (want ≥ 12)", name, overflow, wide, smallest)
	}
}

func TestBrowserPages(t *testing.T) {
	srv, st, _, _ := setup(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	save(t, st, "evil", hostileReport, t0)
	save(t, st, "evil", openReport, t0.Add(time.Hour))
	save(t, st, "good", strings.ReplaceAll(openReport, "acme/evil", "acme/good"), t0)
	save(t, st, "shut", strings.ReplaceAll(strings.ReplaceAll(hostileReport, "acme/evil", "acme/shut"), `"weights-available"`, `"closed"`), t0)
	ctx, pl := browser(t)

	// The leaderboard, filtered through its form.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('tbody tr').length`); n != 3 {
		t.Errorf("leaderboard lists %d models, want 3", n)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.SetValue(chromedp.CSS(`select[name="min_tier"]`), "open-weights"),
		chromedp.Click(chromedp.CSS(`form.filters button`))); err != nil {
		t.Fatal(err)
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	if n := eval[int](t, ctx, `document.querySelectorAll('tbody tr').length`); n != 2 || !strings.Contains(url, "min_tier=open-weights") {
		t.Errorf("filtered leaderboard: %d rows at %s; want evil and good, not the closed one", n, url)
	}
	checkPage(t, ctx, pl, "leaderboard")

	// The model page, whose first audit's card text tries to run script, with its history.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/models/acme/evil")); err != nil {
		t.Fatal(err)
	}
	if h := eval[string](t, ctx, `document.querySelector('table.history').innerText`); !strings.Contains(h, "tier: weights-available → open-weights") {
		t.Errorf("history shows %q, want the tier change", h)
	}
	checkPage(t, ctx, pl, "model")

	// A model whose latest report holds the hostile text: shown as text, run never.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/models/acme/shut")); err != nil {
		t.Fatal(err)
	}
	if text := eval[string](t, ctx, `document.body.innerText`); !strings.Contains(text, "<script>alert(1)</script>") || !strings.Contains(text, `<a href="javascript:alert(3)">click</a>`) {
		t.Errorf("the card's script and link are not shown as text")
	}
	checkPage(t, ctx, pl, "model-hostile")

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/compare?m=acme/evil&m=acme/good&m=acme/shut")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('table.compare thead th').length`); n != 4 {
		t.Errorf("comparison has %d header cells, want 4 (the label and three models)", n)
	}
	checkPage(t, ctx, pl, "compare")
}

// TestBrowserAuditForm: the audit form, submitted in Chromium, queues a real audit of a fake
// Hub model; the progress page follows it to done and links to the model's page.
func TestBrowserAuditForm(t *testing.T) {
	fake := hubtest.New(t, hubtest.Fixtures(t)...)
	t.Setenv("HF_ENDPOINT", fake.URL)
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_OFFLINE", "")
	bg := context.Background()
	db := filepath.Join(t.TempDir(), "g.db")
	st, err := store.Open(bg, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q, err := queue.Open(bg, db, queue.Config{Workers: 1, Audit: queue.Auditor(st, target.Options{Version: "test", NoCache: true})})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if err := q.Start(bg); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(bg)
	tok, err := st.CreateToken(bg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Config{Store: st, Queue: q}))
	defer srv.Close()
	ctx, pl := browser(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/audit")); err != nil {
		t.Fatal(err)
	}
	checkPage(t, ctx, pl, "audit-form")
	if _, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS("#target"), "hf:meta-llama/Llama-3.2-1B"),
		chromedp.SendKeys(chromedp.CSS("#token"), tok), chromedp.Click(chromedp.CSS("form.audit button"))); err != nil {
		t.Fatal(err)
	}
	if url, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(url, "/audits/1") {
		t.Fatalf("the form led to %s, want /audits/1", url)
	}
	// progress.js polls the job; the report link shows once it is done (bounded by ctx).
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#report"))); err != nil {
		t.Fatalf("the progress page never showed the report link: %v", err)
	}
	if s := eval[string](t, ctx, `document.getElementById('status').textContent`); s != "done" {
		t.Errorf("status reads %q, want done", s)
	}
	checkPage(t, ctx, pl, "audit-progress")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#report"))); err != nil {
		t.Fatal(err)
	}
	if h := eval[string](t, ctx, `document.querySelector('h1').textContent`); h != "meta-llama/Llama-3.2-1B" {
		t.Errorf("the report link led to a page titled %q", h)
	}
	if tier := eval[string](t, ctx, `document.querySelector('.spectrum .here').textContent`); tier != "weights-available" {
		t.Errorf("the model page places it at %q, want weights-available", tier)
	}
	checkPage(t, ctx, pl, "audit-model")
}

// TestBrowserCensus: the census dashboard and the page saying none has run load under the
// server's policy without a console error, a dialog or overflow at 320 px; the hostile
// organisation is shown as text.
func TestBrowserCensus(t *testing.T) {
	ctx, pl := browser(t)
	srv := censusServer(t, found)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/census")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('svg.census-svg').length`); n != 11 {
		t.Errorf("the dashboard draws %d charts, want 11", n)
	}
	if !eval[bool](t, ctx, `document.body.innerText.includes('<script>alert(1)</script>')`) {
		t.Error("the hostile organisation is not shown as text")
	}
	if grid := eval[string](t, ctx, `getComputedStyle(document.querySelector('.census-charts')).display`); grid != "grid" {
		t.Errorf("the charts are laid out as %q: census.css did not apply", grid)
	}
	checkPage(t, ctx, pl, "census")

	none := censusServer(t, nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(none.URL+"/census")); err != nil {
		t.Fatal(err)
	}
	checkPage(t, ctx, pl, "census-none")
}
