package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/web"
)

// sendDraft creates a draft assessment and sends it through base with a forged Host header,
// returning the status and JSON answer.
func (e *env) sendDraft(base string) (int, map[string]any, int64) {
	e.t.Helper()
	ctx := context.Background()
	vendors, _, _ := e.db.FindVendors(ctx, rw.VendorFilter{Query: "Hanseatic"})
	due := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	code, body := e.api("POST", "/api/v1/assessments", rw.RoleProcurement, fmt.Sprintf(`{"vendor_id":%d,"due_date":%q,"contact_email":"noc@hanseatic-access.example"}`, vendors[0].ID, due))
	if code != 201 {
		e.t.Fatalf("create: %d %v", code, body)
	}
	id := int64(body["id"].(float64))
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/assessments/%d/send", base, id), nil)
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-Host", "evil.example")
	req.Header.Set("Authorization", "Bearer "+e.tokens[rw.RoleProcurement])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out, id
}

// TestInvitationLinksIgnoreHost: links never come from the request's Host header. Mail without
// a public URL is refused and changes nothing; with one, the mailed link uses it.
func TestInvitationLinksIgnoreHost(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	t.Run("by hand, no public URL", func(t *testing.T) {
		ts := e.serveVariant(web.Config{}, nil)
		code, out, _ := e.sendDraft(ts.URL)
		link, _ := out["invitation_url"].(string)
		if code != 200 || strings.Contains(link, "evil") || !strings.HasPrefix(link, "/portal/open?token=rwi_") {
			t.Errorf("send: %d, link %q", code, link)
		}
	})
	t.Run("mail, no public URL", func(t *testing.T) {
		ts := e.serveVariant(web.Config{}, func(d *web.Deps) { d.MailEnabled = true })
		code, out, id := e.sendDraft(ts.URL)
		if code != http.StatusConflict || !strings.Contains(fmt.Sprint(out), "ROUTEWARDEN_PUBLIC_URL") {
			t.Errorf("send: %d %v, want 409 naming ROUTEWARDEN_PUBLIC_URL", code, out)
		}
		a, _ := e.db.FindAssessmentByID(ctx, id)
		invs, _ := e.db.FindInvitations(ctx, id)
		mails, _ := e.db.FindMail(ctx, 100)
		if a.State != rw.StateDraft || len(invs) != 0 || len(mails) != 0 {
			t.Errorf("refused send changed things: state %s, %d invitations, %d mails", a.State, len(invs), len(mails))
		}
	})
	t.Run("mail, no public URL, invite page", func(t *testing.T) {
		page := *e
		page.ts = e.serveVariant(web.Config{}, func(d *web.Deps) { d.MailEnabled = true })
		analyst, _ := page.login("procurement@demo.example", demo.Password)
		draft := e.byState(rw.StateDraft)
		code, body := analyst.post(fmt.Sprintf("/assessments/%d/send", draft.ID), analyst.form(nil))
		if code == http.StatusOK || code == http.StatusSeeOther || !strings.Contains(body, "ROUTEWARDEN_PUBLIC_URL") {
			t.Errorf("send page: %d, want an error naming ROUTEWARDEN_PUBLIC_URL: %.300s", code, body)
		}
		if a, _ := e.db.FindAssessmentByID(ctx, draft.ID); a.State != rw.StateDraft {
			t.Errorf("refused send moved the assessment to %s", a.State)
		}
	})
	t.Run("mail, public URL", func(t *testing.T) {
		ts := e.serveVariant(web.Config{}, func(d *web.Deps) { d.MailEnabled, d.BaseURL = true, "https://rw.example/" })
		if code, out, _ := e.sendDraft(ts.URL); code != 200 {
			t.Fatalf("send: %d %v", code, out)
		}
		mails, _ := e.db.FindMail(ctx, 1)
		if len(mails) != 1 || strings.Contains(mails[0].Body, "evil") || !strings.Contains(mails[0].Body, "https://rw.example/portal/open?token=rwi_") {
			t.Errorf("queued mail: %+v", mails)
		}
	})
}
