package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// The CSV exports of the list pages (?format=csv): every row matching the list's current
// filters (not only the page shown), written through writeSafeCSV.

const csvPage = 1000

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return csvTime(*t)
}

func (s *Server) vendorCSV(c *gin.Context) {
	f, _ := vendorFilter(c)
	rows := [][]string{{"id", "legal_name", "lei", "country", "website", "critical", "services", "networks", "demo", "updated_at",
		"latest_assessment_id", "latest_state", "latest_due_date", "latest_rating", "latest_rating_provisional", "latest_tier"}}
	for off := 0; ; {
		f.Offset, f.Limit = off, csvPage
		vs, total, err := s.deps.Vendors.FindVendors(c.Request.Context(), f)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, v := range vs {
			rows = append(rows, append([]string{strconv.FormatInt(v.ID, 10), v.LegalName, v.LEI, v.Country, v.Website, strconv.FormatBool(v.Critical),
				strconv.Itoa(v.ServiceCount), strconv.Itoa(v.NetworkCount), strconv.FormatBool(v.Demo), csvTime(v.UpdatedAt)}, latestCSV(v.Latest)...))
		}
		off += len(vs)
		if len(vs) == 0 || off >= total {
			break
		}
	}
	s.sendCSV(c, "vendors", rows)
}

// latestCSV is the vendor CSV's columns for its latest assessment (empty when it has none).
func latestCSV(l *rw.LatestAssessment) []string {
	if l == nil {
		return []string{"", "", "", "", "", ""}
	}
	return []string{strconv.FormatInt(l.ID, 10), string(l.State), l.DueDate.Format("2006-01-02"), l.Rating, strconv.FormatBool(l.Provisional), l.Tier}
}

func (s *Server) assessmentCSV(c *gin.Context, f rw.AssessmentFilter) {
	if err := s.assessmentsConfigured(); err != nil {
		s.fail(c, err)
		return
	}
	rows := [][]string{{"id", "vendor_id", "vendor", "title", "state", "due_date", "rating", "tier", "compliance", "controls_met", "controls", "open_discrepancies", "created_by", "submitted_at", "decided_at"}}
	for off := 0; ; {
		f.Offset, f.Limit = off, csvPage
		list, total, err := s.deps.Assessments.FindAssessments(c.Request.Context(), f)
		if err != nil {
			s.fail(c, err)
			return
		}
		page := len(list)
		if c.Query("work") == rw.WorkRole { // "waiting for my role" is decided per row
			next, err := s.nextSteps(c.Request.Context(), list)
			if err != nil {
				s.fail(c, err)
				return
			}
			list = waitingFor(list, next, currentUser(c).Role)
		}
		for _, a := range list {
			rows = append(rows, []string{strconv.FormatInt(a.ID, 10), strconv.FormatInt(a.VendorID, 10), a.VendorName, a.Title, string(a.State),
				a.DueDate.Format("2006-01-02"), a.Summary.Rating, a.Summary.Tier, strconv.FormatFloat(a.Summary.Compliance, 'f', 3, 64),
				strconv.Itoa(a.Summary.Met), strconv.Itoa(a.Summary.Controls), strconv.Itoa(a.Summary.Discrepancies), a.CreatedBy,
				csvTimePtr(a.SubmittedAt), csvTimePtr(a.DecidedAt)})
		}
		off += page
		if page == 0 || off >= total {
			break
		}
	}
	s.sendCSV(c, "assessments", rows)
}

func (s *Server) attestationCSV(c *gin.Context) {
	reg, err := s.attestations()
	if err != nil {
		s.fail(c, err)
		return
	}
	f := attestationFilter(c)
	rows := [][]string{{"id", "document_id", "vendor_id", "vendor", "assessment_id", "issued_at", "issued_by", "valid_until", "signer", "sha256", "revoked_at", "revoked_by", "revocation_reason", "demo"}}
	for off := 0; ; {
		f.Offset, f.Limit = off, csvPage
		list, total, err := reg.FindAttestations(c.Request.Context(), f)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, a := range list {
			rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.DocumentID, strconv.FormatInt(a.VendorID, 10), a.VendorName,
				strconv.FormatInt(a.AssessmentID, 10), csvTime(a.IssuedAt), a.IssuedBy, csvTime(a.Expires()), a.SignerName, a.SHA256,
				csvTimePtr(a.RevokedAt), a.RevokedBy, a.RevocationReason, strconv.FormatBool(a.Demo)})
		}
		off += len(list)
		if len(list) == 0 || off >= total {
			break
		}
	}
	s.sendCSV(c, "attestations", rows)
}

func (s *Server) alertCSV(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	f, err := alertFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	q.Del("format")
	if len(q) == 0 {
		f.State = "active" // the page's default view
	}
	as, err := s.deps.Monitor.FindAlerts(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := [][]string{{"id", "severity", "state", "vendor_id", "vendor", "asn", "rule", "control", "subject", "summary", "opened_at", "last_seen_at", "resolved_at", "acknowledged_by", "ack_comment"}}
	for _, a := range as {
		asn := ""
		if a.ASN != 0 {
			asn = fmt.Sprint(a.ASN)
		}
		rows = append(rows, []string{strconv.FormatInt(a.ID, 10), string(a.Severity), string(a.State), strconv.FormatInt(a.VendorID, 10), a.VendorName,
			asn, a.Rule, a.Control, a.Subject, strings.TrimSpace(a.Summary), csvTime(a.OpenedAt), csvTime(a.LastSeenAt), csvTimePtr(a.ResolvedAt), a.AckBy, a.AckComment})
	}
	s.sendCSV(c, "alerts", rows)
}
