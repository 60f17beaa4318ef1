package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserVendorOnboarding fills the new-vendor form in Chromium: the country is chosen by
// name, "add another contact" brings a third row and keeps what was typed, and Enter in a
// field saves the vendor (not "add another").
func TestBrowserVendorOnboarding(t *testing.T) {
	exe := chromiumPath(t)
	e := newEnv(t, true)
	ctx := newBrowser(t, exe, 1440, 120*time.Second)
	u := e.ts.URL
	signIn(t, ctx, u, "procurement@demo.example")

	err := chromedp.Do(ctx, chromedp.Navigate(u+"/vendors/new"), chromedp.WaitVisible(chromedp.CSS("#legal_name")),
		chromedp.SendKeys(chromedp.CSS("#legal_name"), "Browser Onboarded GmbH"),
		chromedp.SetValue(chromedp.CSS("#country"), "AT"),
		chromedp.SendKeys(chromedp.CSS(`[id="services.0.name"]`), "Transit Vienna"),
		chromedp.SetValue(chromedp.CSS(`[id="services.0.type"]`), "S10"),
		chromedp.SetValue(chromedp.CSS(`[id="services.0.provider_type"]`), "transit"),
		chromedp.SendKeys(chromedp.CSS(`[id="contacts.0.name"]`), "NOC"),
		chromedp.SendKeys(chromedp.CSS(`[id="contacts.0.email"]`), "noc@onboarded.example"))
	if err != nil {
		t.Fatal(err)
	}
	if label, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#country').selectedOptions[0].textContent`)); label != "Austria" {
		t.Errorf("country AT is shown as %q", label)
	}
	pageStep(t, ctx, `button[name=add][value=contact]`)
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelectorAll('#contact-rows .row').length + '',
	  document.getElementById('services.0.name').value, document.querySelector('#country').value]`))
	if err != nil || strings.Join(rows, "|") != "3|Transit Vienna|AT" {
		t.Fatalf("after add another: %v %v", rows, err)
	}
	// Enter in the name field submits with the default button: the vendor is created.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("(document.body.dataset.stale = '1', true)")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#legal_name"), "\r")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	var loc string
	for time.Now().Before(deadline) {
		loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string]("document.body.dataset.stale ? '' : location.pathname"))
		if loc != "" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.HasPrefix(loc, "/vendors/") || loc == "/vendors/new" {
		t.Fatalf("Enter led to %q, not the new vendor's page", loc)
	}
	v := e.vendorByName("Browser Onboarded GmbH")
	if v == nil || v.Country != "AT" || len(v.Services) != 1 || len(v.Contacts) != 1 {
		t.Fatalf("saved: %+v", v)
	}
}
