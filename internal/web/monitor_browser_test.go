package web_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"routewarden/internal/store/storetest"
)

// TestBrowserAlertsAndHistory drives real Chromium: the risk officer sees the open-alert badge,
// opens the alert list, follows an alert to its vendor's history and finds the step chart with
// its table view.
func TestBrowserAlertsAndHistory(t *testing.T) {
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but chromium is not installed")
		}
		t.Skip("chromium not installed")
	}
	e := newEnv(t, true)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900), chromedp.UserDataDir(t.TempDir()))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer allocCancel()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	step, stepCancel := context.WithTimeout(ctx, 60*time.Second)
	defer stepCancel()
	err = chromedp.Do(step,
		chromedp.Navigate(e.ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "risk@demo.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-badge")),
		chromedp.Click(chromedp.CSS(`a[href="/alerts"]`)),
		chromedp.WaitVisible(chromedp.CSS("table.alerts")),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("table.alerts")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, "critical") || !strings.Contains(list, "RPKI-invalid") {
		t.Fatalf("alert list:\n%s", list)
	}
	err = chromedp.Do(step,
		chromedp.Click(chromedp.CSS(`table.alerts a[href$="/history"]`)),
		chromedp.WaitVisible(chromedp.CSS("svg.spark")),
		chromedp.Click(chromedp.CSS(".spark-card summary")),
		chromedp.WaitVisible(chromedp.CSS(".spark-card table")),
	)
	if err != nil {
		t.Fatal(err)
	}
	label, err := chromedp.Run(step, chromedp.AttributeValue(chromedp.CSS("svg.spark"), "aria-label"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(label.Value, "ROA coverage") {
		t.Errorf("chart text alternative = %q", label.Value)
	}
	if dir := os.Getenv("ROUTEWARDEN_SCREENSHOTS"); dir != "" {
		for name, path := range map[string]string{"alerts": "/alerts", "history": "/vendors/3/history"} {
			if err := chromedp.Do(step, chromedp.Navigate(e.ts.URL+path), chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
				t.Fatal(err)
			}
			if png, err := chromedp.Run(step, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(dir+"/"+name+".png", png, 0o644)
			}
		}
	}
}
