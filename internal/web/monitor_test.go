package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
)

// TestAlertsAPI: the demo's history leaves open alerts; the API filters them, validates its
// filters, and lets the risk officer (not procurement or the auditor) acknowledge one.
func TestAlertsAPI(t *testing.T) {
	e := newEnv(t, true)
	code, body := e.api("GET", "/api/v1/alerts?state=open&severity=critical", rw.RoleAuditor, "")
	alerts, _ := body["alerts"].([]any)
	if code != http.StatusOK || len(alerts) == 0 {
		t.Fatalf("open critical alerts: %d %v", code, body)
	}
	var id float64
	for _, a := range alerts {
		m := a.(map[string]any)
		if m["severity"] != "critical" || m["state"] != "open" || m["rule"] == "" || m["opened_at"] == "" {
			t.Errorf("alert %v does not match the filter or lacks fields", m)
		}
		if strings.Contains(fmt.Sprint(m["summary"]), "RPKI-invalid") {
			id = m["id"].(float64)
		}
	}
	if id == 0 {
		t.Fatal("no RPKI-invalid alert in the demo")
	}
	code, body = e.api("GET", "/api/v1/alerts?state=sleeping", rw.RoleAuditor, "")
	if code != http.StatusBadRequest || body["error"].(map[string]any)["field"] != "state" {
		t.Errorf("bad state filter: %d %v", code, body)
	}
	path := fmt.Sprintf("/api/v1/alerts/%d/acknowledge", int64(id))
	for _, r := range []rw.Role{rw.RoleProcurement, rw.RoleAuditor} {
		if code, _ := e.api("POST", path, r, `{"comment":"x"}`); code != http.StatusForbidden {
			t.Errorf("%s acknowledged: %d", r, code)
		}
	}
	code, body = e.api("POST", path, rw.RoleRiskOfficer, `{"comment":"Vendor informed; fix due Friday"}`)
	if code != http.StatusOK || body["state"] != "acknowledged" || body["acknowledged_by"] != "risk@demo.example" {
		t.Fatalf("acknowledge: %d %v", code, body)
	}
	if code, _ := e.api("POST", path, rw.RoleRiskOfficer, `{"comment":"again"}`); code != http.StatusConflict {
		t.Errorf("second acknowledgement: %d, want 409", code)
	}
	if code, _ := e.api("POST", path, rw.RoleRiskOfficer, `{"comment":"x","extra":1}`); code != http.StatusBadRequest {
		t.Errorf("unknown field: %d, want 400", code)
	}
}

// TestWebhookAPI: admins create webhooks; private targets are refused at save time; the secret
// never comes back except when the server generated it.
func TestWebhookAPI(t *testing.T) {
	e := newEnv(t, true)
	for _, target := range []string{"http://127.0.0.1:8080/hook", "http://169.254.169.254/latest", "http://[::1]/x", "ftp://hooks.example.com/"} {
		code, body := e.api("POST", "/api/v1/webhooks", rw.RoleAdmin, fmt.Sprintf(`{"url":%q,"secret":"0123456789abcdef","events":["alert.opened"]}`, target))
		if code != http.StatusBadRequest || body["error"].(map[string]any)["field"] != "url" {
			t.Errorf("%s: %d %v, want 400 naming url", target, code, body)
		}
	}
	if code, body := e.api("POST", "/api/v1/webhooks", rw.RoleAdmin, `{"url":"https://hooks.example.com/rw","events":["alert.maybe"]}`); code != http.StatusBadRequest {
		t.Errorf("unknown event: %d %v", code, body)
	}
	if code, _ := e.api("POST", "/api/v1/webhooks", rw.RoleRiskOfficer, `{"url":"https://hooks.example.com/rw","events":["alert.opened"]}`); code != http.StatusForbidden {
		t.Errorf("risk officer created a webhook: %d", code)
	}
	code, body := e.api("POST", "/api/v1/webhooks", rw.RoleAdmin, `{"url":"https://hooks.example.com/rw","events":["alert.opened","alert.resolved"]}`)
	if code != http.StatusCreated || !strings.HasPrefix(fmt.Sprint(body["secret"]), "whsec_") {
		t.Fatalf("create: %d %v", code, body)
	}
	id := int64(body["id"].(float64))
	code, body = e.api("GET", "/api/v1/webhooks", rw.RoleAdmin, "")
	if code != http.StatusOK || strings.Contains(fmt.Sprint(body), "whsec_") {
		t.Errorf("list shows a secret: %v", body)
	}
	if code, body := e.api("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", id), rw.RoleAdmin, ""); code != http.StatusOK || body["deliveries"] == nil {
		t.Errorf("deliveries: %d %v", code, body)
	}
	if code, _ := e.api("DELETE", fmt.Sprintf("/api/v1/webhooks/%d", id), rw.RoleAdmin, ""); code != http.StatusNoContent {
		t.Errorf("delete: %d", code)
	}
	if code, _ := e.api("DELETE", fmt.Sprintf("/api/v1/webhooks/%d", id), rw.RoleAdmin, ""); code != http.StatusNotFound {
		t.Errorf("second delete: %d", code)
	}
}

// TestHistoryAndAlertPages: the vendor history shows a step chart with a text alternative and
// the change that made a route RPKI-invalid; the alert list acknowledges from the page.
func TestHistoryAndAlertPages(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	nets, err := e.db.FindNetworksByASN(ctx, 64499)
	if err != nil || len(nets) == 0 {
		t.Fatal("demo vendor with AS64499 missing", err)
	}
	b, _ := e.login("risk@demo.example", "demo")
	code, page := b.get(fmt.Sprintf("/vendors/%d/history", nets[0].VendorID))
	if code != http.StatusOK {
		t.Fatalf("history page: %d", code)
	}
	for _, want := range []string{`<svg class="spark"`, `role="img"`, "show as table", "203.0.113.0/25 AS64499", "became RPKI-invalid", "ROA coverage"} {
		if !strings.Contains(page, want) {
			t.Errorf("history page lacks %q", want)
		}
	}
	code, body := e.api("GET", fmt.Sprintf("/api/v1/vendors/%d/history", nets[0].VendorID), rw.RoleAuditor, "")
	if code != http.StatusOK || !strings.Contains(fmt.Sprint(body), "rpki.roa-coverage") {
		t.Errorf("history API: %d %v", code, body)
	}
	code, page = b.get("/alerts")
	if code != http.StatusOK || !strings.Contains(page, "Acknowledge") || !strings.Contains(page, "alert-badge") {
		t.Fatalf("alert list: %d", code)
	}
	open, _ := e.db.FindAlerts(ctx, rw.AlertFilter{State: "open", ASN: 64499})
	if len(open) == 0 {
		t.Fatal("no open alert for AS64499")
	}
	code, _ = b.post(fmt.Sprintf("/alerts/%d/acknowledge", open[0].ID), b.form(url.Values{"comment": {"seen"}, "back": {"state=open"}}))
	if code != http.StatusSeeOther {
		t.Errorf("acknowledge form: %d", code)
	}
	if a, _ := e.db.FindAlertByID(ctx, open[0].ID); a.State != rw.AlertAcknowledged || a.AckComment != "seen" {
		t.Errorf("after the form: %+v", a)
	}
	if code, _ := b.post(fmt.Sprintf("/alerts/%d/acknowledge", open[0].ID), url.Values{"comment": {"no csrf"}}); code != http.StatusForbidden {
		t.Errorf("acknowledge without CSRF token: %d", code)
	}
	admin, _ := e.login("admin@demo.example", "demo")
	if code, page := admin.get("/admin/jobs"); code != http.StatusOK || !strings.Contains(page, "Background jobs") {
		t.Errorf("jobs page: %d", code)
	}
	if code, _ := b.get("/admin/jobs"); code != http.StatusForbidden {
		t.Errorf("risk officer saw the job queue: %d", code)
	}
}

// TestChangedSinceAttestation: a critical alert that opened after the vendor's attestation was
// issued marks the vendor page "changed since attestation"; an earlier one does not.
func TestChangedSinceAttestation(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	nets, _ := e.db.FindNetworksByASN(ctx, 64499)
	vid := nets[0].VendorID
	crit, _ := e.db.FindAlerts(ctx, rw.AlertFilter{VendorID: vid, State: "active", Severity: "critical"})
	if len(crit) == 0 {
		t.Fatal("demo vendor AS64499 has no critical alert")
	}
	opened := crit[len(crit)-1].OpenedAt
	b, _ := e.login("risk@demo.example", "demo")
	for _, tc := range []struct {
		name    string
		issued  time.Time
		changed bool
		sha     string
	}{{"attested after the alert", opened.Add(time.Hour), false, "cd"}, {"attested before the alert", opened.Add(-time.Hour), true, "ef"}} {
		t.Run(tc.name, func(t *testing.T) {
			a := &rw.Attestation{DocumentID: "RW-2026-" + strings.ToUpper(fmt.Sprintf("%012x", tc.issued.UnixNano()))[:12], SHA256: strings.Repeat(tc.sha, 32),
				AssessmentID: 1, VendorID: vid, VendorName: "Meridian", IssuedBy: "cli", IssuedAt: tc.issued, PDF: []byte("%PDF-1.7")}
			if err := e.db.CreateAttestation(ctx, a); err != nil {
				t.Fatal(err)
			}
			_, page := b.get(fmt.Sprintf("/vendors/%d", vid))
			if got := strings.Contains(page, "Changed since attestation "+a.DocumentID); got != tc.changed {
				t.Errorf("changed-since banner shown = %v, want %v", got, tc.changed)
			}
			if !strings.Contains(page, `id="monitoring"`) {
				t.Error("vendor page lacks the monitoring panel")
			}
			e.db.RevokeAttestation(ctx, a.ID, "test", "next case")
		})
	}
}

// TestJobMetrics: /metrics exports the job queue's size per state.
func TestJobMetrics(t *testing.T) {
	e := newEnv(t, true)
	hook := &rw.Webhook{URL: "https://hooks.example.com/rw", Secret: "0123456789abcdef", Events: []string{"test"}, Enabled: true}
	if err := e.db.CreateWebhook(context.Background(), hook); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateDeliveries(context.Background(), hook.ID, "test", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(e.ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `routewarden_jobs{state="available"} 1`) {
		t.Errorf("/metrics %d lacks the queued delivery:\n%.2000s", resp.StatusCode, b)
	}
}
