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

	rw "routewarden/internal/routewarden"
)

// pageStep clicks sel and waits until the next page has loaded (the old document is marked so
// that waiting cannot succeed on it).
func pageStep(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("(document.body.dataset.stale = '1', true)")); err != nil {
		t.Fatalf("mark page: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	// The document is replaced under the poll, which then fails; retry until the new one is there.
	deadline := time.Now().Add(60 * time.Second) // generous: CI machines are shared
	for time.Now().Before(deadline) {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(pctx, chromedp.Evaluate[bool]("document.readyState === 'complete' && !document.body.dataset.stale && !!document.querySelector('main')"))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no new page after clicking %s", sel)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// fillSection answers every open question of the portal page the way a person would pick:
// "yes", the first option, the highest allowed number, a date, a sentence.
const fillSection = `(() => {
  let n = 0;
  document.querySelectorAll('#answers fieldset.question').forEach(fs => {
    const radios = fs.querySelectorAll('input[type=radio]:not([disabled])');
    if (radios.length && !fs.querySelector('input[type=radio]:checked')) {
      (fs.querySelector('input[type=radio][value=yes]') || radios[0]).checked = true; n++;
    }
    const boxes = fs.querySelectorAll('input[type=checkbox]:not([disabled])');
    if (boxes.length && !fs.querySelector('input[type=checkbox]:checked')) { boxes[0].checked = true; n++; }
    fs.querySelectorAll('input[type=number]:not([disabled])').forEach(i => { if (!i.value) { i.value = i.max || (i.min && +i.min > 1 ? i.min : '1'); n++; } });
    fs.querySelectorAll('input[type=date]:not([disabled])').forEach(i => { if (!i.value) { i.value = '2026-06-30'; n++; } });
    fs.querySelectorAll('textarea:not([disabled])').forEach(i => { if (!i.value) { i.value = 'Answered in the browser: documented in our routing policy.'; n++; } });
  });
  return n;
})()`

// TestBrowserAssessmentJourney drives real Chromium through the whole journey: the analyst
// creates and sends an assessment; the vendor opens the link, answers every section, uploads
// the required documents and submits; the analyst requests changes on one question; the vendor
// fixes it and resubmits; the analyst resolves the discrepancy; the risk officer approves and
// sees the rating.
func TestBrowserAssessmentJourney(t *testing.T) {
	exe := chromiumPath(t)
	e := newAssessEnv(t)
	pdf := filepath.Join(t.TempDir(), "evidence.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o644)
	ctx := newBrowser(t, exe, 1280, 150*time.Second)
	u := e.ts.URL

	// 1. The analyst creates a draft for Hanseatic and sends it; SMTP is off, so the link shows.
	signIn(t, ctx, u, "procurement@demo.example")
	vendors, _, _ := e.db.FindVendors(ctx, rw.VendorFilter{Query: "Hanseatic"})
	err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/assessments/new?vendor=%d", u, vendors[0].ID)),
		chromedp.WaitVisible(chromedp.CSS("#contact_email")),
		chromedp.SendKeys(chromedp.CSS("#contact_email"), "noc@hanseatic-access.example"))
	if err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "form.form button[type=submit]")
	pageStep(t, ctx, "#send")
	link := text(t, ctx, "#invite-link")
	if !strings.Contains(link, "/portal/open?token=rwi_") {
		t.Fatalf("invite link = %q", link)
	}
	if strings.HasPrefix(link, "/") { // no public URL configured: the link is relative to this server
		link = u + link
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	assessmentURL := loc[:strings.LastIndex(loc, "/send")]

	// 2. The vendor opens the link, answers every section (conditions reveal follow-up
	// questions, hence the passes), uploads the required documents and submits.
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#answers"))); err != nil {
		t.Fatal(err)
	}
	portalURL, _ := chromedp.Run(ctx, chromedp.Location())
	portalURL = strings.SplitN(portalURL, "?", 2)[0]
	sections, err := chromedp.Run(ctx, chromedp.Evaluate[[]string]("Array.from(document.querySelectorAll('nav.sections a')).map(a => a.href)"))
	if err != nil || len(sections) < 3 {
		t.Fatalf("sections: %v %v", sections, err)
	}
	for pass := 0; pass < 3; pass++ {
		for _, s := range sections {
			answerSection(t, ctx, s, pdf)
		}
	}
	if p := text(t, ctx, "#progress"); p != "100 %" {
		t.Fatalf("progress after answering = %q", p)
	}
	if dir := os.Getenv("ROUTEWARDEN_SCREENSHOTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			os.WriteFile(dir+"/portal.png", png, 0o644)
		}
	}
	pageStep(t, ctx, "#submit")
	if st := text(t, ctx, "#state"); st != "Submitted" {
		t.Fatalf("state after submit = %q", st)
	}

	// 3. The analyst starts the review and sends one question back with a comment.
	if err := chromedp.Do(ctx, chromedp.Navigate(assessmentURL), chromedp.WaitVisible(chromedp.CSS("#start-review"))); err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "#start-review")
	q, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('div.question')).find(d => d.querySelector('.answer').textContent.includes('Answered in the browser')).id.slice(2)`))
	if err != nil {
		t.Fatalf("no text answer to send back: %v", err)
	}
	err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(idSel("decide-"+q))),
		chromedp.SetValue(chromedp.CSS(idSel("decision-"+q)), "request_changes"),
		chromedp.SendKeys(chromedp.CSS(idSel("comment-"+q)), "Please be more specific."))
	if err != nil {
		t.Fatalf("review form for %s: %v", q, err)
	}
	pageStep(t, ctx, idSel("decide-"+q))
	pageStep(t, ctx, "#return")
	if st := text(t, ctx, "#state"); st != "Changes requested" {
		t.Fatalf("state after return = %q", st)
	}

	// 4. The vendor sees exactly that question back, fixes it and resubmits.
	if err := chromedp.Do(ctx, chromedp.Navigate(portalURL), chromedp.WaitVisible(chromedp.CSS("#returned"))); err != nil {
		t.Fatal(err)
	}
	if r := text(t, ctx, "#returned"); !strings.Contains(r, "1 question") {
		t.Errorf("returned banner = %q", r)
	}
	fixQuestion(t, ctx, portalURL, q)
	pageStep(t, ctx, "#submit")

	// 5. The analyst reviews again and resolves the discrepancy with a reason.
	if err := chromedp.Do(ctx, chromedp.Navigate(assessmentURL), chromedp.WaitVisible(chromedp.CSS("#start-review"))); err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "#start-review")
	if err := chromedp.Do(ctx, chromedp.Navigate(assessmentURL), chromedp.WaitVisible(chromedp.CSS("#discrepancies"))); err != nil {
		t.Fatal(err)
	}
	n, _ := chromedp.Run(ctx, chromedp.Evaluate[int]("document.querySelectorAll('form.resolve').length"))
	if n == 0 {
		t.Fatalf("no open discrepancy to resolve:\n%s", text(t, ctx, "#discrepancies"))
	}
	for ; n > 0; n-- {
		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("form.resolve input[name=reason]"), "Measured data is current; vendor to fix its ROA."))
		if err != nil {
			t.Fatal(err)
		}
		pageStep(t, ctx, "form.resolve button")
	}

	// 6. The risk officer approves and sees the rating with how it was reached.
	pageStep(t, ctx, "header form.inline button")
	signIn(t, ctx, u, "risk@demo.example")
	if err := chromedp.Do(ctx, chromedp.Navigate(assessmentURL), chromedp.WaitVisible(chromedp.CSS("#approve"))); err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "#approve") // the confirmation page summarises what is signed off
	if sum := text(t, ctx, "#verdict"); !strings.Contains(sum, "Residual rating") || !strings.Contains(text(t, ctx, "#confirm-validity"), "until") {
		t.Fatalf("approval confirmation lacks the verdict or the validity:\n%s", text(t, ctx, "main"))
	}
	pageStep(t, ctx, "#confirm")
	if st := text(t, ctx, "#state"); st != "Approved" {
		t.Fatalf("state after approval = %q (%s)", st, text(t, ctx, "main"))
	}
	rating, tier := text(t, ctx, "#rating-value"), text(t, ctx, "#tier")
	how, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#rating"))) // the formulas sit in a closed <details>
	if err != nil {
		t.Fatal(err)
	}
	if rating == "" || tier == "" || !strings.Contains(how, "Weighted compliance") {
		t.Errorf("rating %q tier %q:\n%s", rating, tier, how)
	}
	if dir := os.Getenv("ROUTEWARDEN_SCREENSHOTS"); dir != "" {
		for _, sel := range []string{"#rating", "#readiness", "#discrepancies"} {
			if png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel))); err == nil {
				os.WriteFile(dir+"/assessment-"+sel[1:]+".png", png, 0o644)
			}
		}
	}
}

// idSel selects an element by an ID that contains dots (question IDs do).
func idSel(id string) string { return fmt.Sprintf("[id=%q]", id) }

func signIn(t *testing.T, ctx context.Context, u, email string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(u+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), "demo"))
	if err != nil {
		t.Fatal(err)
	}
	pageStep(t, ctx, "button[type=submit]")
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); strings.Contains(loc, "/login") {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("(document.querySelector('main') || document.body).innerText"))
		t.Fatalf("signing in as %s was refused: %s", email, msg)
	}
}

// answerSection fills and saves one portal section, then uploads a PDF for every open file
// question of it.
func answerSection(t *testing.T, ctx context.Context, section, pdf string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(section), chromedp.WaitVisible(chromedp.CSS("#answers"))); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](fillSection)); n > 0 {
		pageStep(t, ctx, "#save")
		if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("(document.getElementById('portal-error') || {}).textContent || ''")); msg != "" {
			t.Fatalf("saving %s: %s", section, msg)
		}
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('form.upload input[name=question]')).filter(i => !document.querySelector('#q-' + CSS.escape(i.value) + ' .file')).map(i => i.value)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		sel := idSel("file-" + id)
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{pdf})); err != nil {
			t.Fatalf("upload %s: %v", id, err)
		}
		pageStep(t, ctx, idSel("upload-"+id))
	}
}

// fixQuestion changes the answer of a question sent back: a new text, saved.
func fixQuestion(t *testing.T, ctx context.Context, portalURL, q string) {
	t.Helper()
	sel := idSel("a-" + q)
	err := chromedp.Do(ctx, chromedp.Navigate(portalURL+"?section="+strings.Split(q, "-")[1]), chromedp.WaitVisible(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const f = document.querySelector(%q);
	  if (f.tagName !== 'TEXTAREA' || f.disabled) return false; f.value = 'Escalation: NOC, then duty manager within 15 minutes, then CTO.'; return true; })()`, sel))); err != nil {
		t.Fatalf("fix %s: %v", q, err)
	}
	pageStep(t, ctx, "#save")
}
