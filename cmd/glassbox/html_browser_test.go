package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds headless Chromium ($CHROMIUM, else Debian's chromium). Without it the
// browser tests skip saying how to get it, unless GLASSBOX_REQUIRE_CHROMIUM is set (CI sets
// it, after installing the package), where its absence fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GLASSBOX_REQUIRE_CHROMIUM") != "" {
		t.Fatal("GLASSBOX_REQUIRE_CHROMIUM is set but no Chromium was found (apt-get install chromium)")
	}
	t.Skip("no headless Chromium (apt-get install chromium, or set CHROMIUM): HTML browser tests skipped")
	return ""
}

// browser is one headless Chromium tab that records console errors, exceptions and dialogs.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{}
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	// The deadline bounds a hung browser; nothing waits on it to pass.
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	b.ctx = ctx
	enable := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, enable); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return b
}

func (b *browser) listen(ev any) {
	var p string
	switch e := ev.(type) {
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
			p = "log " + string(e.Entry.Level) + ": " + e.Entry.Text
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			p = "console " + string(e.Type)
		}
	case *runtime.EventExceptionThrown:
		p = "exception: " + e.ExceptionDetails.Text
	case *page.EventJavascriptDialogOpening:
		p = "dialog: " + e.Message
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// pageFacts are what the tests read from a rendered page.
type pageFacts struct {
	Title       string  `json:"title"`
	Rungs       int     `json:"rungs"`
	Scripts     int     `json:"scripts"`
	ScrollWidth int     `json:"scrollWidth"`
	FontSize    float64 `json:"fontSize"`
	Background  string  `json:"background"`
	Text        string  `json:"text"`
}

const factsJS = `({title: document.title, rungs: document.querySelectorAll('.rung').length,
  scripts: document.scripts.length, scrollWidth: document.documentElement.scrollWidth,
  fontSize: parseFloat(getComputedStyle(document.body).fontSize),
  background: getComputedStyle(document.body).backgroundColor, text: document.body.innerText})`

// render opens file at width (and dark colour scheme if asked), returns its facts and, when
// GLASSBOX_SCREENSHOTS names a folder, saves a full-page screenshot there.
func (b *browser) render(t *testing.T, file string, width int64, dark bool, shot string) pageFacts {
	t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	media := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 900), media, chromedp.Navigate("file://"+file)); err != nil {
		t.Fatal(err)
	}
	facts, err := chromedp.Run(b.ctx, chromedp.Evaluate[pageFacts](factsJS))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("GLASSBOX_SCREENSHOTS"); dir != "" && shot != "" {
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, shot), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return facts
}

// TestHTMLInChromium renders the HTML report of every bundled example in headless Chromium:
// it renders with no console errors, the spectrum has its five tiers, nothing overflows a
// 320 px screen and the text stays readable, and the dark scheme applies.
func TestHTMLInChromium(t *testing.T) {
	b := newBrowser(t)
	ex := examplesDir(t)
	dir := t.TempDir()
	for _, name := range exampleNames {
		file := filepath.Join(dir, name+".html")
		scanOut(t, "scan", filepath.Join(ex, name), "--format", "html", "-o", file)
		wide := b.render(t, file, 1200, false, name+".png")
		if !strings.HasPrefix(wide.Title, name+": ") || wide.Rungs != 5 || wide.Scripts != 0 {
			t.Errorf("%s: title %q, %d rungs, %d scripts; want the name and tier, 5 rungs, no script", name, wide.Title, wide.Rungs, wide.Scripts)
		}
		narrow := b.render(t, file, 320, false, name+"-320.png")
		if narrow.ScrollWidth > 320 || narrow.FontSize < 12 {
			t.Errorf("%s at 320 px: page %d px wide, body text %.1f px; want no horizontal scroll and at least 12 px", name, narrow.ScrollWidth, narrow.FontSize)
		}
		dark := b.render(t, file, 1200, true, name+"-dark.png")
		if dark.Background == wide.Background {
			t.Errorf("%s: the dark scheme keeps the light background %s", name, wide.Background)
		}
		if p := b.takeProblems(); len(p) > 0 {
			t.Errorf("%s: the browser reported %s", name, strings.Join(p, "; "))
		}
	}
}

// TestHTMLCardRunsNothing: a card holding a script and an image with an error handler is shown
// as text; neither runs.
func TestHTMLCardRunsNothing(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	rel := filepath.Join(dir, "evil")
	if err := os.MkdirAll(rel, 0o755); err != nil {
		t.Fatal(err)
	}
	card := "---\nlicense: \"<script>document.title='pwned';alert(1)</script>\"\n---\n# Evil\n\nThis tiny model is fully open source.\n"
	files := map[string]string{
		"README.md": card,
		"train<img src=x onerror=\"document.title='pwned'\">.py": "print('hello')\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(rel, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "evil.html")
	scanOut(t, "scan", rel, "--format", "html", "-v", "-o", file)
	facts := b.render(t, file, 1200, false, "card-with-script.png")
	if strings.Contains(facts.Title, "pwned") || facts.Scripts != 0 {
		t.Errorf("title %q, %d scripts: the card's markup ran", facts.Title, facts.Scripts)
	}
	if !strings.Contains(facts.Text, "<script>document.title=") {
		t.Errorf("the card's markup is not shown as text:\n%s", facts.Text)
	}
	if p := b.takeProblems(); len(p) > 0 {
		t.Errorf("the browser reported %s", strings.Join(p, "; "))
	}
}
