package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	rw "routewarden/internal/routewarden"
)

// uxPage is one page the usability test visits.
type uxPage struct{ name, path string }

// uxMeasure is what the test reads from a page at one width.
type uxMeasure struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	NavHidden   []string `json:"navHidden"` // main navigation entries outside the viewport
	Wide        []string `json:"wide"`      // the outermost elements that stick out of the viewport
	// Detached: tick boxes and radio buttons set more than 24 px away from their label's words
	// (the assessment filter's "Overdue only" box once sat in the middle of a 10rem input).
	Detached []string `json:"detached"`
}

const uxMeasureJS = `(() => {
  const w = window.innerWidth;
  const hidden = Array.from(document.querySelectorAll('header.top nav a, header.top .who button')).filter(a => {
    const r = a.getBoundingClientRect();
    return r.width === 0 || r.right > w + 0.5 || r.left < -0.5;
  }).map(a => a.textContent.trim());
  const wide = Array.from(document.querySelectorAll('body *')).filter(el => {
    const r = el.getBoundingClientRect(), p = el.parentElement.getBoundingClientRect();
    if (r.right <= w + 1 || p.right > w + 1 && el.parentElement !== document.body) return false;
    for (let a = el.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
    return true;
  }).slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className.trim().replace(/\s+/g, '.') : '') + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  const detached = Array.from(document.querySelectorAll('label input[type=checkbox], label input[type=radio]')).filter(i => {
    const rr = i.getBoundingClientRect();
    if (rr.width === 0) return false;
    const range = document.createRange(); range.selectNodeContents(i.closest('label'));
    const words = Array.from(range.getClientRects()).filter(c => c.width > 0 && c.left >= rr.right - 1 && c.top < rr.bottom && c.bottom > rr.top);
    // A box wider than itself is drawn in the middle of its width, away from the words.
    return rr.width > 32 || !words.length || words[0].left - rr.right > 24;
  }).slice(0, 4).map(i => (i.name || i.id) + '=' + i.value + ' "' + i.closest('label').textContent.trim().slice(0, 40) + '"');
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, navHidden: hidden, wide: wide, detached: detached};
})()`

// axeRun returns the serious and critical WCAG 2 A/AA violations axe-core finds on the page,
// one line each with the rule and the first offending elements.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') + (v.nodes.length > 3 ? ' (+' + (v.nodes.length - 3) + ')' : '')))`

// TestBrowserUsability opens the main pages in one real Chromium at 1440 and 390 px: no page may
// be wider than the phone screen, the navigation keeps every entry reachable, and axe-core finds
// no serious or critical WCAG 2 A/AA violation. ROUTEWARDEN_SCREENSHOTS=DIR keeps a full-page
// screenshot of every page at both widths (ux-<page>-<width>.png).
func TestBrowserUsability(t *testing.T) {
	exe := chromiumPath(t)
	e := newAssessEnv(t)
	approved := e.byState(rw.StateApproved)
	portalLink := e.invite(e.byState(rw.StateInProgress), "")

	ctx := newBrowser(t, exe, 1440, 240*time.Second)
	u := e.ts.URL
	shots := os.Getenv("ROUTEWARDEN_SCREENSHOTS")

	check := func(p uxPage) {
		t.Helper()
		for _, width := range []int64{1440, 390} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
				chromedp.Navigate(u+p.path), chromedp.WaitVisible(chromedp.CSS("footer")))
			if err != nil {
				t.Fatalf("%s at %d px: %v", p.name, width, err)
			}
			m, err := chromedp.Run(ctx, chromedp.Evaluate[uxMeasure](uxMeasureJS))
			if err != nil {
				t.Fatalf("%s: measure: %v", p.name, err)
			}
			t.Logf("%-11s %4d px: page %4d px wide", p.name, width, m.ScrollWidth)
			if m.ScrollWidth > m.InnerWidth {
				t.Errorf("%s at %d px: the page is %d px wide, wider than the screen (%d px); sticking out: %v", p.name, width, m.ScrollWidth, m.InnerWidth, m.Wide)
			}
			if len(m.Detached) > 0 {
				t.Errorf("%s at %d px: tick boxes or radio buttons set apart from their words: %v", p.name, width, m.Detached)
			}
			if len(m.NavHidden) > 0 {
				t.Errorf("%s at %d px: navigation entries off screen: %v", p.name, width, m.NavHidden)
			}
			if shots != "" {
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
					os.WriteFile(fmt.Sprintf("%s/ux-%s-%d.jpg", shots, p.name, width), png, 0o644)
				}
			}
			if width != 1440 { // axe-core once per page: the rules do not depend on the width
				continue
			}
			start := time.Now()
			found := axeFindings(t, ctx)
			t.Logf("%-11s axe-core took %v", p.name, time.Since(start).Round(time.Millisecond))
			for _, v := range found {
				t.Errorf("%s at %d px: axe %s", p.name, width, v)
			}
		}
	}

	if only := os.Getenv("ROUTEWARDEN_UX_ONLY"); only != "" { // while fixing one page
		inner := check
		check = func(p uxPage) {
			if strings.Contains(","+only+",", ","+p.name+",") {
				inner(p)
			}
		}
	}
	check(uxPage{"login", "/login"})
	signIn(t, ctx, u, "procurement@demo.example")
	for _, p := range []uxPage{
		{"vendors", "/vendors"},
		{"vendor", "/vendors/1"},
		{"vendor-new", "/vendors/new"},
		{"assessments", "/assessments"},
		{"assessment", fmt.Sprintf("/assessments/%d", approved.ID)},
		{"alerts", "/alerts"},
		{"controls", "/controls"},
		{"coverage", "/coverage"},
		{"data", "/data"},
		{"concentration", "/reports/concentration"},
		{"reports", "/reports"},
		{"obligations", "/reports/obligations"},
		{"roi", "/reports/roi"},
		{"board", "/reports/board"},
		{"dashboard", "/"},
		{"history", "/vendors/1/history"},
		{"asn", "/asn/AS64496"},
		{"verify", "/verify"},
		{"queue", "/assessments/queue"},
		{"obligation-cells", "/reports/obligations/DORA-28.4.d"},
	} {
		check(p)
	}
	check(uxPage{"portal", portalLink})

	// On a phone the vendor page's routing evidence is one card a network: what needs attention
	// gets the box's width, not a scrolled-away sliver of it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(u+"/vendors/1"), chromedp.WaitVisible(chromedp.CSS("#evidence-table"))); err != nil {
		t.Fatal(err)
	}
	share, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
	  const t = document.querySelector('#evidence-table'); const c = t.querySelector('td[data-label="Needs attention"]');
	  return c.getBoundingClientRect().width / t.parentElement.getBoundingClientRect().width; })()`))
	if err != nil || share < 0.8 {
		t.Errorf("at 390 px the evidence table's 'Needs attention' cell is %.0f%% of the section's width (%v); want the full width", share*100, err)
	}

	// A radio button sits next to its label, and clicking the label's words chooses it.
	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(u+portalLink), chromedp.WaitVisible(chromedp.CSS("#answers")))
	if err != nil {
		t.Fatal(err)
	}
	gap, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
	  const r = document.querySelector('#answers label input[type=radio]:not([disabled])');
	  const l = r.closest('label'); const rr = r.getBoundingClientRect();
	  const range = document.createRange(); range.selectNodeContents(l);
	  const words = Array.from(range.getClientRects()).filter(c => c.left >= rr.right - 1);
	  return words.length ? Math.round(words[0].left - rr.right) : 9999; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if gap > 24 {
		t.Errorf("a portal radio button is %d px away from its label's words", gap)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
	  const r = Array.from(document.querySelectorAll('#answers label input[type=radio]:not([disabled])')).find(r => !r.checked);
	  const l = r.closest('label'); const b = l.getBoundingClientRect();
	  const e = document.elementFromPoint(b.right - 4, b.top + b.height / 2);
	  (e || l).click(); return r.checked; })()`))
	if err != nil || !checked {
		t.Errorf("clicking the right end of a radio's label did not choose it (%v)", err)
	}
	if body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"))); strings.TrimSpace(body) == "" {
		t.Error("portal page is empty")
	}
}
