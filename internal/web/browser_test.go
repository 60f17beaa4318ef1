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

// TestBrowserCreateVendor drives real Chromium: log in, create a vendor with a network, find it
// in the list.
func TestBrowserCreateVendor(t *testing.T) {
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
	if err := chromedp.Do(ctx); err != nil { // the browser belongs to this context
		t.Fatal(err)
	}
	step, stepCancel := context.WithTimeout(ctx, 60*time.Second)
	defer stepCancel()
	name := "Browser Test Carrier GmbH"
	err = chromedp.Do(step,
		chromedp.Navigate(e.ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "procurement@demo.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#vendor-table")),
		chromedp.Click(chromedp.CSS("a.button.primary")),
		chromedp.WaitVisible(chromedp.CSS("#legal_name")),
		chromedp.SendKeys(chromedp.CSS("#legal_name"), name),
		chromedp.SendKeys(chromedp.CSS("#lei"), "5493001KJTIIGC8Y1R12"),
		chromedp.SetValue(chromedp.CSS("#country"), "AT"),
		chromedp.SendKeys(chromedp.CSS("#asns"), "AS64511"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#networks")),
	)
	if err != nil {
		t.Fatal(err)
	}
	detail, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, name) || !strings.Contains(detail, "AS64511") || !strings.Contains(detail, "documentation") {
		t.Fatalf("detail page after create:\n%s", detail)
	}
	err = chromedp.Do(step,
		chromedp.Navigate(e.ts.URL+"/vendors"),
		chromedp.WaitVisible(chromedp.CSS("input[name=q]")),
		chromedp.SendKeys(chromedp.CSS("input[name=q]"), "64511"),
		chromedp.Submit(chromedp.CSS("input[name=q]")),
		// The unfiltered list had many rows; wait for the filtered page, not the old one.
		chromedp.WaitVisible(chromedp.CSS("#vendor-table tbody tr:only-child")),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("#vendor-table")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, name) || strings.Contains(list, "Northwind") {
		t.Fatalf("search for AS64511 shows:\n%s", list)
	}
	// ROUTEWARDEN_SCREENSHOTS=DIR keeps full-page screenshots of the main pages for review.
	if dir := os.Getenv("ROUTEWARDEN_SCREENSHOTS"); dir != "" {
		for name, path := range map[string]string{"vendors": "/vendors", "vendor": "/vendors/1", "asn": "/asn/AS64499", "data": "/data"} {
			if err := chromedp.Do(step, chromedp.Navigate(e.ts.URL+path), chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
				t.Fatal(err)
			}
			if png, err := chromedp.Run(step, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(dir+"/"+name+".png", png, 0o644)
			}
		}
	}
}
