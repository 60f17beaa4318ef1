package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// dashboardProbeJS reads what the dashboard test asserts: the charts with their text
// alternatives and table views (opened, as a reader clicking "show as table" would), and every
// figure on the page that is not a link.
const dashboardProbeJS = `(() => {
  document.querySelectorAll('main details').forEach(d => d.open = true);
  const charts = Array.from(document.querySelectorAll('main figure')).map(f => {
    const svg = f.querySelector('svg[role=img], svg[role=group]'), table = f.querySelector('details table');
    const rows = table ? Array.from(table.querySelectorAll('tbody tr')) : [];
    return {
      caption: (f.querySelector('figcaption') || {}).textContent || '',
      alt: svg ? (svg.getAttribute('aria-label') || '') : '',
      svgLinks: svg ? svg.querySelectorAll('a').length : 0,
      rows: rows.length,
      tableVisible: !!table && table.getBoundingClientRect().height > 0,
    };
  });
  const number = /^[0-9][0-9,.]*( ?%)?$/;
  const unlinked = [];
  const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const s = n.textContent.trim();
    if (!number.test(s)) continue;
    const el = n.parentElement;
    if (el.closest('a') || el.closest('title')) continue;
    unlinked.push(el.tagName.toLowerCase() + ': ' + s + ' in "' + (el.closest('figure, section, li, tr, p') || el).textContent.trim().slice(0, 80) + '"');
  }
  return {charts, unlinked};
})()`

type dashboardProbe struct {
	Charts []struct {
		Caption      string `json:"caption"`
		Alt          string `json:"alt"`
		SVGLinks     int    `json:"svgLinks"`
		Rows         int    `json:"rows"`
		TableVisible bool   `json:"tableVisible"`
	} `json:"charts"`
	Unlinked []string `json:"unlinked"`
}

// screenshotDir is where browser tests keep their screenshots: ROUTEWARDEN_SCREENSHOTS, else
// testdata/artefacts (git-ignored).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ROUTEWARDEN_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artefacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserDashboard opens the portfolio dashboard as the risk officer in real Chromium at
// 1440 and 390 px: the charts carry text alternatives and open into their tables, every figure
// is a link to the list behind it, nothing sticks out of the screen, axe-core finds no serious
// or critical violation, and a full-page screenshot is kept at each width.
func TestBrowserDashboard(t *testing.T) {
	exe := chromiumPath(t)
	dir := screenshotDir(t)
	e := newEnv(t, true)
	ctx := newBrowser(t, exe, 1440, 120*time.Second)
	signIn(t, ctx, e.ts.URL, "risk@demo.example")

	for _, width := range []int64{1440, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.ts.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS("footer")))
		if err != nil {
			t.Fatalf("/ at %d px: %v", width, err)
		}
		shot := filepath.Join(dir, fmt.Sprintf("dashboard-%d.png", width))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", shot)

		p, err := chromedp.Run(ctx, chromedp.Evaluate[dashboardProbe](dashboardProbeJS))
		if err != nil {
			t.Fatalf("probe: %v", err)
		}
		if len(p.Charts) < 4 {
			t.Errorf("at %d px: %d charts, want the ratings, readiness, states and alerts charts and the trend", width, len(p.Charts))
		}
		for _, c := range p.Charts {
			if c.Alt == "" || !c.TableVisible || c.Rows == 0 {
				t.Errorf("at %d px: chart %q: text alternative %q, table shown %v with %d rows", width, c.Caption, c.Alt, c.TableVisible, c.Rows)
			}
		}
		for _, s := range p.Unlinked {
			t.Errorf("at %d px: a figure is not a link: %s", width, s)
		}
		m, err := chromedp.Run(ctx, chromedp.Evaluate[uxMeasure](uxMeasureJS))
		if err != nil {
			t.Fatalf("measure: %v", err)
		}
		if m.ScrollWidth > m.InnerWidth || len(m.NavHidden) > 0 {
			t.Errorf("at %d px: page %d px wide on a %d px screen (sticking out: %v); navigation off screen: %v",
				width, m.ScrollWidth, m.InnerWidth, m.Wide, m.NavHidden)
		}
		// axe-core with the table views open, so that they are checked too.
		found := axeFindings(t, ctx)
		for _, v := range found {
			t.Errorf("at %d px: axe %s", width, v)
		}
	}

	// The pages behind the button: the registry of board reports (with one issued) and the
	// verification page as a signed-in user sees it.
	risk, _ := e.login("risk@demo.example", "demo")
	if code, _, _ := risk.postRaw("/reports/board", risk.form(nil)); code != 200 {
		t.Fatalf("issue a board report: %d", code)
	}
	for _, path := range []string{"/reports/board", "/verify"} {
		for _, width := range []int64{1440, 390} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.ts.URL+path),
				chromedp.WaitVisible(chromedp.CSS("footer")))
			if err != nil {
				t.Fatalf("%s at %d px: %v", path, width, err)
			}
			m, err := chromedp.Run(ctx, chromedp.Evaluate[uxMeasure](uxMeasureJS))
			if err != nil {
				t.Fatalf("measure: %v", err)
			}
			if m.ScrollWidth > m.InnerWidth || len(m.NavHidden) > 0 {
				t.Errorf("%s at %d px: page %d px wide (sticking out: %v); navigation off screen: %v", path, width, m.ScrollWidth, m.Wide, m.NavHidden)
			}
			if width == 390 {
				continue
			}
			found := axeFindings(t, ctx)
			for _, v := range found {
				t.Errorf("%s: axe %s", path, v)
			}
		}
	}
}
