package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// walkRadioGroups lists, for the portal page shown, one CSS selector per unanswered radio
// group: the label (which wraps the input) of "yes", else of the first option.
const walkRadioGroups = `(() => Array.from(document.querySelectorAll('#answers fieldset.question')).flatMap(fs => {
  const radios = Array.from(fs.querySelectorAll('input[type=radio]:not([disabled])'));
  if (!radios.length || radios.some(r => r.checked)) return [];
  const pick = radios.find(r => r.value === 'yes') || radios[0];
  return ['label:has(> input[type=radio][name=' + JSON.stringify(pick.name) + '][value=' + JSON.stringify(pick.value) + '])'];
}))()`

// walkOtherFields fills what is not a radio button the way TestBrowserAssessmentJourney does.
const walkOtherFields = `(() => {
  let n = 0;
  document.querySelectorAll('#answers fieldset.question').forEach(fs => {
    const boxes = fs.querySelectorAll('input[type=checkbox]:not([disabled])');
    if (boxes.length && !fs.querySelector('input[type=checkbox]:checked')) { boxes[0].checked = true; n++; }
    fs.querySelectorAll('input[type=number]:not([disabled])').forEach(i => { if (!i.value) { i.value = i.max || (i.min && +i.min > 1 ? i.min : '1'); n++; } });
    fs.querySelectorAll('input[type=date]:not([disabled])').forEach(i => { if (!i.value) { i.value = '2026-06-30'; n++; } });
    fs.querySelectorAll('textarea:not([disabled])').forEach(i => { if (!i.value) { i.value = 'Answered in the walk: documented in our routing policy.'; n++; } });
  });
  return n;
})()`

// walker is one walk through the product in one browser at one width.
type walker struct {
	t     *testing.T
	ctx   context.Context
	width int64
	dir   string
	step  int
	pages map[string]bool // pages already checked with axe at this width
	start time.Time
}

// check keeps a screenshot of the page, asserts it does not stick out of the screen, and runs
// axe-core on it (once per kind of page).
func (w *walker) check(name string) {
	w.t.Helper()
	w.step++
	w.t.Logf("%5.1fs %s", time.Since(w.start).Seconds(), name)
	png, err := chromedp.Run(w.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		w.t.Fatalf("%s: screenshot: %v", name, err)
	}
	shot := filepath.Join(w.dir, fmt.Sprintf("walk-%d-%02d-%s.png", w.width, w.step, name))
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		w.t.Fatal(err)
	}
	m, err := chromedp.Run(w.ctx, chromedp.Evaluate[uxMeasure](uxMeasureJS))
	if err != nil {
		w.t.Fatalf("%s: measure: %v", name, err)
	}
	if m.ScrollWidth > m.InnerWidth {
		w.t.Errorf("%s at %d px: page %d px wide (sticking out: %v)", name, w.width, m.ScrollWidth, m.Wide)
	}
	if len(m.Detached) > 0 {
		w.t.Errorf("%s at %d px: tick boxes or radio buttons set apart from their words: %v", name, w.width, m.Detached)
	}
	if w.pages[name] {
		return
	}
	w.pages[name] = true
	found := axeFindings(w.t, w.ctx)
	for _, v := range found {
		w.t.Errorf("%s at %d px: axe %s", name, w.width, v)
	}
}

// open loads url and waits for waitFor to show. A page that never shows it fails the walk within
// a minute, saying where the browser ended up and what it shows (a sign-in refused, a redirect),
// instead of using up the whole walk's time.
func (w *walker) open(url, waitFor string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(waitFor))); err != nil {
		loc, _ := chromedp.Run(w.ctx, chromedp.Location())
		main, _ := chromedp.Run(w.ctx, chromedp.Evaluate[string]("(document.querySelector('main') || document.body || {}).innerText || ''"))
		w.t.Fatalf("open %s, waiting for %s: %v\nthe browser is at %s showing:\n%.2000s", url, waitFor, err, loc, main)
	}
}

// TestBrowserAcceptanceWalk is issue 13's acceptance walk, in real Chromium at 1440 and at
// 390 px: the analyst signs in, records a new vendor with a service, drafts an assessment and
// sends it; the vendor answers in the portal, choosing every yes/no and single-choice answer by
// clicking its label, uploads the documents asked for and submits; the analyst reviews and
// settles the discrepancies; the risk officer approves through the confirmation page and issues
// the attestation through its own. Every page on the way is screenshotted
// (testdata/artefacts/walk-<width>-NN-<page>.png, or ROUTEWARDEN_SCREENSHOTS), may not be wider
// than the screen, and gets no serious or critical axe-core violation.
func TestBrowserAcceptanceWalk(t *testing.T) {
	exe := chromiumPath(t)
	dir := screenshotDir(t)
	e := newAssessEnv(t)
	pdf := filepath.Join(t.TempDir(), "evidence.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o644)
	for _, width := range []int64{1440, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := newBrowser(t, exe, int(width), 240*time.Second)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				t.Fatal(err)
			}
			walk(t, &walker{t: t, ctx: ctx, width: width, dir: dir, pages: map[string]bool{}, start: time.Now()}, e.ts.URL, pdf)
		})
	}
}

func walk(t *testing.T, w *walker, u, pdf string) {
	ctx := w.ctx
	name := fmt.Sprintf("Walkthrough Transit %d GmbH", w.width)

	// 1. Sign in as the analyst.
	w.open(u+"/login", "#email")
	w.check("login")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#email"), "procurement@demo.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo")); err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "button[type=submit]")
	w.check("dashboard")

	// 2. A new vendor, then the service it sells (the assessment's scope comes from it).
	w.open(u+"/vendors/new", "#legal_name")
	w.check("vendor-form")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#legal_name"), name),
		chromedp.SetValue(chromedp.CSS("#country"), "DE")); err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "form.form button[type=submit]")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(text(t, ctx, "h1"), name) {
		t.Fatalf("after creating the vendor: %s\n%s", loc, text(t, ctx, "main"))
	}
	vendorURL := strings.SplitN(loc, "?", 2)[0]
	w.check("vendor")
	w.open(vendorURL+"/services/new", "#name")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#name"), "IP transit"),
		chromedp.SetValue(chromedp.CSS("#type"), "S10"), chromedp.SetValue(chromedp.CSS("#provider_type"), "transit"),
		chromedp.Click(chromedp.CSS(`label:has(> input[name=critical])`)),
		chromedp.Click(chromedp.CSS(`label:has(> input[name=regulations][value=DORA])`))); err != nil {
		t.Fatal(err)
	}
	w.check("service-form")
	pageStep(t, ctx, "form.form button[type=submit]")

	// 3. The assessment: drafted for the vendor, sent; without SMTP the link is shown.
	vendorID := vendorURL[strings.LastIndex(vendorURL, "/")+1:]
	w.open(u+"/assessments/new?vendor="+vendorID, "#contact_email")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#contact_email"), "noc@walkthrough.example")); err != nil {
		t.Fatal(err)
	}
	w.check("assessment-new")
	pageStep(t, ctx, "form.form button[type=submit]")
	w.check("assessment-draft")
	pageStep(t, ctx, "#send")
	link := text(t, ctx, "#invite-link")
	if !strings.Contains(link, "/portal/open?token=rwi_") {
		t.Fatalf("invite link = %q", link)
	}
	if strings.HasPrefix(link, "/") {
		link = u + link
	}
	w.check("assessment-sent")
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	assessmentURL := loc[:strings.LastIndex(loc, "/send")]

	// 4. The vendor answers: radios by their labels, the rest typed, documents uploaded; the
	// passes reveal follow-up questions.
	pageStep(t, ctx, "header form.inline button") // the analyst logs out; the vendor has only the link
	w.open(link, "#answers")
	w.check("portal")
	if next := text(t, ctx, "#what-next"); !strings.HasPrefix(next, "After this section: ") {
		t.Errorf("fresh questionnaire: what next says %q", next)
	}
	portalURL, _ := chromedp.Run(ctx, chromedp.Location())
	sections, err := chromedp.Run(ctx, chromedp.Evaluate[[]string]("Array.from(document.querySelectorAll('nav.sections a')).map(a => a.href)"))
	if err != nil || len(sections) < 3 {
		t.Fatalf("sections: %v %v", sections, err)
	}
	clicked := 0
	for pass, changed := 0, true; pass < 4 && changed; pass++ {
		changed = false
		for _, s := range sections {
			w.open(s, "#answers")
			labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](walkRadioGroups))
			if err != nil {
				t.Fatal(err)
			}
			for _, sel := range labels {
				if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel))); err != nil {
					t.Fatalf("click %s: %v", sel, err)
				}
				checked, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).querySelector('input').checked`, sel)))
				if !checked {
					t.Fatalf("clicking the label %s did not choose its radio button", sel)
				}
				clicked++
			}
			n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](walkOtherFields))
			if len(labels)+n > 0 {
				changed = true
				pageStep(t, ctx, "#save")
				if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("(document.getElementById('portal-error') || {}).textContent || ''")); msg != "" {
					t.Fatalf("saving %s: %s", s, msg)
				}
			}
			ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('form.upload input[name=question]')).filter(i => !document.querySelector('#q-' + CSS.escape(i.value) + ' .file')).map(i => i.value)`))
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				changed = true
				if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(idSel("file-"+id)), []string{pdf})); err != nil {
					t.Fatalf("upload %s: %v", id, err)
				}
				pageStep(t, ctx, idSel("upload-"+id))
			}
		}
	}
	if clicked < 10 {
		t.Errorf("only %d answers chosen by clicking a label", clicked)
	}
	w.open(strings.SplitN(portalURL, "?", 2)[0], "#answers")
	if p := text(t, ctx, "#progress"); p != "100 %" {
		t.Fatalf("progress after answering = %q", p)
	}
	if next := text(t, ctx, "#what-next"); !strings.Contains(next, "Every required answer and document is in.") {
		t.Errorf("complete questionnaire: what next says %q", next)
	}
	w.check("portal-complete")
	pageStep(t, ctx, "#submit")
	if st := text(t, ctx, "#state"); st != "Submitted" {
		t.Fatalf("state after submit = %q", st)
	}

	// 5. The analyst starts the review and settles every discrepancy with a reason.
	signIn(t, ctx, u, "procurement@demo.example")
	w.open(assessmentURL, "#start-review")
	w.check("assessment-submitted")
	pageStep(t, ctx, "#start-review")
	w.check("review")
	w.open(assessmentURL, "main")
	for n := 0; n < 20; n++ {
		open, _ := chromedp.Run(ctx, chromedp.Evaluate[int]("document.querySelectorAll('form.resolve').length"))
		if open == 0 {
			break
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("form.resolve input[name=reason]"), "Measured data is current; the vendor fixes its ROA.")); err != nil {
			t.Fatal(err)
		}
		pageStep(t, ctx, "form.resolve button")
	}
	w.check("assessment-in-review")

	// 6. The risk officer approves after the summary of what is signed off, then issues the
	// attestation after its own confirmation.
	pageStep(t, ctx, "header form.inline button")
	signIn(t, ctx, u, "risk@demo.example")
	w.open(assessmentURL, "#approve")
	w.check("assessment-to-approve")
	pageStep(t, ctx, "#approve")
	if !strings.Contains(text(t, ctx, "#verdict"), "Residual rating") {
		t.Fatalf("approval confirmation lacks the verdict:\n%s", text(t, ctx, "main"))
	}
	w.check("confirm-approve")
	pageStep(t, ctx, "#confirm")
	if st := text(t, ctx, "#state"); st != "Approved" {
		t.Fatalf("state after approval = %q (%s)", st, text(t, ctx, "main"))
	}
	w.check("assessment-approved")
	pageStep(t, ctx, "#issue")
	w.check("confirm-issue")
	pageStep(t, ctx, "#confirm") // to the attestations issued for the assessment
	if main := text(t, ctx, "main"); !strings.Contains(main, "RW-") || !strings.Contains(main, name) {
		t.Fatalf("after issuing:\n%s", main)
	}
	w.check("attestation-issued")
}
