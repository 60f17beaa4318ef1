package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
)

// historyWindow is how far back the history page and API look by default.
const historyWindow = 180 * 24 * time.Hour

type historyChart struct {
	Label  string
	Check  string
	SVG    template.HTML // inline step chart, drawn server-side
	Alt    string        // text alternative: first and last value
	Points []historyPoint
	Last   string
}

type historyPoint struct{ At, Value, Status string }

type asnHistory struct {
	ASN     uint32
	Charts  []historyChart
	Changes []monitor.Change
	Alerts  []rw.Alert
}

type historyView struct {
	Vendor *rw.Vendor
	ASNs   []asnHistory
	Runs   int
	Since  time.Time
}

func (v historyView) PageTitle() string { return v.Vendor.LegalName + " — history" }

// history reads the recorded changes of every network of v since the window start.
func (s *Server) history(c *gin.Context, v *rw.Vendor) (*historyView, error) {
	ctx := c.Request.Context()
	now := s.now()
	since := now.Add(-historyWindow)
	runs, err := s.deps.Monitor.FindMonitorRuns(ctx, since)
	if err != nil {
		return nil, err
	}
	view := &historyView{Vendor: v, Runs: len(runs), Since: since}
	for _, n := range v.Networks {
		entries, err := s.deps.Monitor.FindHistory(ctx, n.ASN, since)
		if err != nil {
			return nil, err
		}
		alerts, err := s.deps.Monitor.FindAlerts(ctx, rw.AlertFilter{ASN: n.ASN, State: "active"})
		if err != nil {
			return nil, err
		}
		h := asnHistory{ASN: n.ASN, Changes: monitor.Changes(entries), Alerts: alerts}
		for _, hl := range monitor.Headline {
			h.Charts = append(h.Charts, stepChart(hl.Label, hl.Check, monitor.Series(entries, hl.Check), now))
		}
		view.ASNs = append(view.ASNs, h)
	}
	return view, nil
}

func (s *Server) vendorHistory(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	view, err := s.history(c, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "history", view)
}

func (s *Server) apiVendorHistory(c *gin.Context) {
	if !s.monitoring(c) {
		return
	}
	v, ok := s.loadVendor(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	since := s.now().Add(-historyWindow)
	type asnJSON struct {
		ASN     uint32                     `json:"asn"`
		Series  map[string][]monitor.Point `json:"series"`
		Changes []monitor.Change           `json:"changes"`
	}
	out := []asnJSON{}
	for _, n := range v.Networks {
		entries, err := s.deps.Monitor.FindHistory(ctx, n.ASN, since)
		if err != nil {
			s.fail(c, err)
			return
		}
		a := asnJSON{ASN: n.ASN, Series: map[string][]monitor.Point{}, Changes: monitor.Changes(entries)}
		for _, hl := range monitor.Headline {
			a.Series[hl.Check] = append([]monitor.Point{}, monitor.Series(entries, hl.Check)...)
		}
		if a.Changes == nil {
			a.Changes = []monitor.Change{}
		}
		out = append(out, a)
	}
	c.JSON(http.StatusOK, gin.H{"vendor_id": v.ID, "since": since, "asns": out})
}

// stepChart draws a figure's history as an inline SVG step line (the figure holds until the
// next change), with a text alternative and the values for the table view.
func stepChart(label, check string, pts []monitor.Point, now time.Time) historyChart {
	ch := historyChart{Label: label, Check: check}
	def, _ := rw.FindCheck(check)
	scale, unit := 1.0, ""
	if def.Figure == "ratio" {
		scale, unit = 100, " %"
	}
	val := func(p monitor.Point) string {
		if p.Figure == nil {
			return "unknown"
		}
		return strings.TrimSuffix(fmt.Sprintf("%.1f", *p.Figure*scale), ".0") + unit
	}
	for _, p := range pts {
		ch.Points = append(ch.Points, historyPoint{At: p.At.UTC().Format("2006-01-02 15:04"), Value: val(p), Status: p.Status})
	}
	if len(pts) == 0 {
		ch.Alt, ch.Last = label+": no history recorded yet", "—"
		return ch
	}
	ch.Last = val(pts[len(pts)-1])
	ch.Alt = fmt.Sprintf("%s: %s on %s, %s now (%d change(s))", label, val(pts[0]), pts[0].At.Format("2006-01-02"), ch.Last, len(pts)-1)
	const w, h, pad = 240.0, 48.0, 4.0
	t0, t1 := pts[0].At, now
	if !t1.After(t0) {
		t1 = t0.Add(time.Hour)
	}
	lo, hi := 0.0, 0.0
	for _, p := range pts {
		if p.Figure != nil {
			hi = max(hi, *p.Figure*scale)
			lo = min(lo, *p.Figure*scale)
		}
	}
	if scale == 100 {
		lo, hi = 0, 100
	}
	if hi == lo {
		hi = lo + 1
	}
	x := func(t time.Time) float64 { return pad + (w-2*pad)*float64(t.Sub(t0))/float64(t1.Sub(t0)) }
	y := func(f float64) float64 { return h - pad - (h-2*pad)*(f-lo)/(hi-lo) }
	var b strings.Builder
	var last float64
	started := false
	for _, p := range pts {
		if p.Figure == nil {
			continue
		}
		f := *p.Figure * scale
		if !started {
			fmt.Fprintf(&b, "M%.1f %.1f", x(p.At), y(f))
			started = true
		} else {
			fmt.Fprintf(&b, " H%.1f V%.1f", x(p.At), y(f))
		}
		last = f
	}
	if started {
		fmt.Fprintf(&b, " H%.1f", x(t1))
	}
	svg := fmt.Sprintf(`<svg class="spark" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s"><title>%s</title>`+
		`<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" class="axis"/><path d="%s" class="step"/>`,
		w, h, w, h, template.HTMLEscapeString(ch.Alt), template.HTMLEscapeString(ch.Alt), pad, h-pad, w-pad, h-pad, b.String())
	if started {
		svg += fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="2.5" class="dot"/>`, x(t1), y(last))
	}
	ch.SVG = template.HTML(svg + `</svg>`)
	return ch
}
