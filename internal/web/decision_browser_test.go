package web_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	rw "routewarden/internal/routewarden"
)

// TestBrowserHandoffPages opens the pages of hand-offs and decisions as the risk officer in a
// real Chromium: the review queue, the review page, the assessment in review and the approval
// confirmation. None is wider than a 390 px phone, and axe-core finds no serious or critical
// WCAG 2 A/AA violation. ROUTEWARDEN_SCREENSHOTS=DIR keeps a screenshot of each at both widths.
func TestBrowserHandoffPages(t *testing.T) {
	exe := chromiumPath(t)
	e := newAssessEnv(t)
	rev := e.byState(rw.StateInReview)
	ctx := newBrowser(t, exe, 1440, 180*time.Second)
	u := e.ts.URL
	shots := os.Getenv("ROUTEWARDEN_SCREENSHOTS")
	signIn(t, ctx, u, "risk@demo.example")
	pages := []uxPage{
		{"queue", "/assessments/queue"},
		{"in-review", fmt.Sprintf("/assessments/%d", rev.ID)},
		{"review", fmt.Sprintf("/assessments/%d/review", rev.ID)},
		{"approve", fmt.Sprintf("/assessments/%d/approve", rev.ID)},
	}
	for _, p := range pages {
		for _, width := range []int64{1440, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(u+p.path), chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
				t.Fatalf("%s at %d px: %v", p.name, width, err)
			}
			m, err := chromedp.Run(ctx, chromedp.Evaluate[uxMeasure](uxMeasureJS))
			if err != nil {
				t.Fatal(err)
			}
			if m.ScrollWidth > m.InnerWidth {
				t.Errorf("%s at %d px: the page is %d px wide; sticking out: %v", p.name, width, m.ScrollWidth, m.Wide)
			}
			if shots != "" {
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
					os.WriteFile(fmt.Sprintf("%s/handoff-%s-%d.jpg", shots, p.name, width), png, 0o644)
				}
			}
			if width != 1440 {
				continue
			}
			found := axeFindings(t, ctx)
			for _, v := range found {
				t.Errorf("%s: axe %s", p.name, v)
			}
		}
	}
}
