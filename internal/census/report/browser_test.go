package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserIndex opens the written index.html in headless Chromium: nothing reported in the
// console, no script run by the hostile organisation's name, no horizontal overflow at 320 px.
// Without Chromium it skips, saying so, except where GLASSBOX_REQUIRE_CHROMIUM or CI is set.
func TestBrowserIndex(t *testing.T) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("GLASSBOX_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("Chromium is missing (%v); apt-get install -y chromium", err)
		}
		t.Skipf("Chromium is not installed (apt-get install -y chromium); the census page's browser test needs it")
	}
	dir := t.TempDir()
	if _, err := WriteAll(dir, fixtureMeta(), rowsOf(fixture(), nil)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var reported []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			reported = append(reported, "dialog: "+e.Message)
		case *runtime.EventExceptionThrown:
			reported = append(reported, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			reported = append(reported, "console "+string(e.Type))
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx, chromedp.WithListener(listen))
	ctx, cancelC := context.WithTimeout(ctx, 2*time.Minute)
	defer func() { cancelC(); cancelB(); cancelA() }()
	messages := chromedp.Console(ctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.Type == chromedp.ConsoleException {
				mu.Lock()
				reported = append(reported, m.String())
				mu.Unlock()
			}
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, HTMLFile))); err != nil {
		t.Fatal(err)
	}
	checks, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`({
		overflow: document.documentElement.scrollWidth > window.innerWidth,
		charts: document.querySelectorAll('svg.census-svg').length,
		scripts: document.querySelectorAll('script').length,
		hostile: document.body.innerText.includes('<script>alert(1)</script>'),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let late console events arrive
	mu.Lock()
	defer mu.Unlock()
	if len(reported) > 0 {
		t.Errorf("the browser reported %q", reported)
	}
	if checks["overflow"] != false || checks["charts"] != float64(len(sections(NewSummary()))) || checks["scripts"] != float64(0) || checks["hostile"] != true {
		t.Errorf("at 320 px: %v; want no overflow, %d charts, no script element, the hostile name shown as text", checks, len(sections(NewSummary())))
	}
}
