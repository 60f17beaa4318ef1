package web_test

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"routewarden/internal/store/storetest"
)

// chromiumPath returns the Chromium binary the browser tests drive, or skips the test when it is
// not installed (fails instead under ROUTEWARDEN_REQUIRE_ALL=1).
func chromiumPath(t *testing.T) string {
	t.Helper()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but chromium is not installed")
		}
		t.Skip("chromium not installed")
	}
	return exe
}

// newBrowser starts Chromium exe headless with its own profile and a width×900 window, and
// returns a context for its first tab that ends after timeout; the browser closes when the test
// ends.
func newBrowser(t *testing.T, exe string, width int, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(width, 900), chromedp.UserDataDir(t.TempDir()))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel := chromedp.NewContext(allocCtx)
	ctx, stepCancel := context.WithTimeout(bctx, timeout)
	t.Cleanup(func() { stepCancel(); cancel(); allocCancel() })
	return ctx
}

// axeSource is axe-core (the npm package's axe.min.js), read once.
var axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("testdata/axe/axe.min.js") })

// axeFindings injects axe-core into the page shown and returns its serious and critical WCAG 2
// A/AA violations (axeRun), one line each.
func axeFindings(t *testing.T, ctx context.Context) []string {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return found
}
