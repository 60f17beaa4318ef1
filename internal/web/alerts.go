package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

type alertListView struct {
	Alerts   []rw.Alert
	Filter   rw.AlertFilter
	Rules    []alertRuleOption
	Counts   map[string]int
	CanAck   bool
	CSRF     string
	Query    string
	Since    string
	Severity []string
}

type alertRuleOption struct{ ID, Title, Control string }

func (alertListView) PageTitle() string { return "Alerts" }

// alertFilter reads the list filters from the query; invalid values are errors naming the field.
func alertFilter(c *gin.Context) (rw.AlertFilter, error) {
	f := rw.AlertFilter{State: c.Query("state"), Rule: c.Query("rule"), Severity: c.Query("severity"), Limit: queryInt(c, "limit", 500)}
	switch f.State {
	case "", "open", "acknowledged", "resolved", "active":
	default:
		return f, rw.FieldError("state", "state must be open, acknowledged, resolved or active")
	}
	if f.Severity != "" && !rw.ValidSeverity(f.Severity) {
		return f, rw.FieldError("severity", "severity must be critical, high, medium or low")
	}
	if v := c.Query("vendor"); v != "" {
		var id int64
		if _, err := fmtSscan(v, &id); err != nil || id <= 0 {
			return f, rw.FieldError("vendor", "vendor must be a vendor ID")
		}
		f.VendorID = id
	}
	if v := c.Query("asn"); v != "" {
		asn, err := rw.ParseASN(v)
		if err != nil {
			return f, rw.FieldError("asn", "asn must be an AS number such as AS64500")
		}
		f.ASN = asn
	}
	if v := c.Query("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			if t, err = time.Parse("2006-01-02", v); err != nil {
				return f, rw.FieldError("since", "since must be a date (2026-12-01) or an RFC 3339 time")
			}
		}
		f.Since = t
	}
	if f.Limit > 1000 {
		f.Limit = 1000
	}
	return f, nil
}

func (s *Server) alertList(c *gin.Context) {
	if wantsCSV(c) {
		s.alertCSV(c)
		return
	}
	if !s.monitoring(c) {
		return
	}
	f, err := alertFilter(c)
	if c.Request.URL.RawQuery == "" {
		f.State = "active"
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	as, err := s.deps.Monitor.FindAlerts(ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	counts, err := s.deps.Monitor.CountActiveAlerts(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	byName := map[string]int{}
	for k, n := range counts {
		byName[string(k)] = n
	}
	v := alertListView{Alerts: as, Filter: f, Counts: byName, CanAck: currentUser(c).Role.Can(rw.PermAssessmentDecide),
		Query: c.Request.URL.RawQuery, Severity: []string{"critical", "high", "medium", "low"}}
	if !f.Since.IsZero() {
		v.Since = f.Since.Format("2006-01-02")
	}
	if s.deps.AlertRules != nil {
		for _, r := range s.deps.AlertRules.Rules {
			v.Rules = append(v.Rules, alertRuleOption{r.ID, r.Title, r.Control})
		}
	}
	s.render(c, http.StatusOK, "alerts", v)
}

type ackForm struct {
	Comment string `form:"comment" json:"comment" validate:"max=2000"`
	Back    string `form:"back"`
}

func (s *Server) alertAcknowledge(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	var in ackForm
	_ = c.ShouldBind(&in)
	back := "/alerts"
	if in.Back != "" {
		back = "/alerts?" + url.Values(parseQuery(in.Back)).Encode()
	}
	id, err := idParam(c, "alert")
	if err == nil {
		err = s.check(&in)
	}
	if err == nil {
		_, err = s.deps.Monitor.AcknowledgeAlert(c.Request.Context(), id, currentUser(c).Email, in.Comment)
	}
	if err != nil {
		if code := rw.ErrorCode(err); code == rw.EINVALID || code == rw.ECONFLICT {
			s.redirectFlash(c, back, rw.ErrorMessage(err))
			return
		}
		s.fail(c, err)
		return
	}
	s.redirectFlash(c, back, "Alert acknowledged.")
}

func parseQuery(q string) map[string][]string {
	v, err := url.ParseQuery(q)
	if err != nil {
		return nil
	}
	return v
}

func (s *Server) apiAlertList(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	f, err := alertFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	as, err := s.deps.Monitor.FindAlerts(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]rw.AlertJSON, len(as))
	for i := range as {
		out[i] = as[i].JSON()
	}
	c.JSON(http.StatusOK, gin.H{"alerts": out, "total": len(out)})
}

func (s *Server) apiAlertAcknowledge(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	id, err := idParam(c, "alert")
	var in ackForm
	if err == nil {
		err = s.bindJSON(c, &in)
	}
	var a *rw.Alert
	if err == nil {
		a, err = s.deps.Monitor.AcknowledgeAlert(c.Request.Context(), id, currentUser(c).Email, in.Comment)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a.JSON())
}
