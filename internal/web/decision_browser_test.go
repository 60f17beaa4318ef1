package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store/storetest"
)

// TestBrowserHandoffPages opens the pages of hand-offs and decisions as the risk officer in a
// real Chromium: the review queue, the review page, the assessment in review and the approval
// confirmation. None is wider than a 390 px phone, and axe-core finds no serious or critical
// WCAG 2 A/AA violation. ROUTEWARDEN_SCREENSHOTS=DIR keeps a screenshot of each at both widths.
func TestBrowserHandoffPages(t *testing.T) {
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but chromium is not installed")
		}
		t.Skip("chromium not installed")
	}
	axeSrc, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	e := newAssessEnv(t)
	rev := e.byState(rw.StateInReview)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1440, 900), chromedp.UserDataDir(t.TempDir()))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer allocCancel()
	bctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, stepCancel := context.WithTimeout(bctx, 180*time.Second)
	defer stepCancel()
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
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(axeSrc)+";true")); err != nil {
				t.Fatalf("%s: inject axe-core: %v", p.name, err)
			}
			found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: axe-core: %v", p.name, err)
			}
			for _, v := range found {
				t.Errorf("%s: axe %s", p.name, v)
			}
		}
	}
}
