package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const coverageProbeJS = `(() => {
  document.querySelectorAll('main details').forEach(d => d.open = true);
  const svg = document.querySelector('main svg.heatmap');
  const cells = svg ? Array.from(svg.querySelectorAll('a rect')) : [];
  const table = document.querySelector('main details table');
  return {
    alt: svg ? (svg.getAttribute('aria-label') || '') : '',
    cells: cells.length,
    titled: cells.filter(r => (r.querySelector('title') || {}).textContent).length,
    symbols: svg ? svg.querySelectorAll('text.sym').length : 0,
    tableCells: table ? table.querySelectorAll('tbody td').length : 0,
    tableVisible: !!table && table.getBoundingClientRect().height > 0,
  };
})()`

type coverageProbe struct {
	Alt          string `json:"alt"`
	Cells        int    `json:"cells"`
	Titled       int    `json:"titled"`
	Symbols      int    `json:"symbols"`
	TableCells   int    `json:"tableCells"`
	TableVisible bool   `json:"tableVisible"`
}

// TestBrowserObligationsCoverage opens the obligations heatmap and one obligation's drill-down
// as the risk officer in real Chromium at 1440 and 390 px: every cell is a titled link with its
// symbol (not colour alone), the table view opens with the same cells, the page does not stick
// out of a phone screen (the heatmap scrolls in its box), axe-core finds nothing serious, and a
// screenshot is kept.
func TestBrowserObligationsCoverage(t *testing.T) {
	exe := chromiumPath(t)
	dir := screenshotDir(t)
	e := newEnv(t, true)
	ctx := newBrowser(t, exe, 1440, 120*time.Second)
	signIn(t, ctx, e.ts.URL, "risk@demo.example")

	for _, path := range []string{"/reports/obligations", "/reports/obligations/DORA-28.4.d"} {
		for _, width := range []int64{1440, 390} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.ts.URL+path),
				chromedp.WaitVisible(chromedp.CSS("footer")))
			if err != nil {
				t.Fatalf("%s at %d px: %v", path, width, err)
			}
			if path == "/reports/obligations" {
				p, err := chromedp.Run(ctx, chromedp.Evaluate[coverageProbe](coverageProbeJS))
				if err != nil {
					t.Fatalf("probe: %v", err)
				}
				if p.Alt == "" || p.Cells == 0 || p.Titled != p.Cells || p.Symbols != p.Cells || !p.TableVisible || p.TableCells != p.Cells {
					t.Errorf("at %d px: heatmap %+v: want every cell titled with its symbol and the table view with the same cells", width, p)
				}
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				shot := filepath.Join(dir, fmt.Sprintf("obligations-coverage-%d.png", width))
				if err := os.WriteFile(shot, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot %s", shot)
			}
			m, err := chromedp.Run(ctx, chromedp.Evaluate[uxMeasure](uxMeasureJS))
			if err != nil {
				t.Fatalf("measure: %v", err)
			}
			if m.ScrollWidth > m.InnerWidth || len(m.NavHidden) > 0 {
				t.Errorf("%s at %d px: page %d px wide (sticking out: %v); navigation off screen: %v", path, width, m.ScrollWidth, m.Wide, m.NavHidden)
			}
			found := axeFindings(t, ctx)
			for _, v := range found {
				t.Errorf("%s at %d px: axe %s", path, width, v)
			}
		}
	}
}
