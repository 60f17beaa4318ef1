package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/evidence"
	"routewarden/internal/report"
)

type concentrationView struct {
	C     *report.Concentration
	Graph template.HTML
	Alt   string
}

func (concentrationView) PageTitle() string { return "Concentration risk" }

func (s *Server) concentration(c *gin.Context) (*report.Concentration, error) {
	ctx := c.Request.Context()
	var d *evidence.Data
	if s.deps.Evidence != nil {
		var err error
		if d, err = s.deps.Evidence.Data(ctx); err != nil {
			return nil, err
		}
	}
	var as report.AnswerSource
	if s.deps.Assessments != nil {
		as = s.deps.Assessments
	}
	return report.ConcentrationFrom(ctx, s.deps.Vendors, as, d)
}

func (s *Server) concentrationPage(c *gin.Context) {
	r, err := s.concentration(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	svg, alt := concentrationGraph(r)
	s.render(c, http.StatusOK, "concentration", concentrationView{C: r, Graph: svg, Alt: alt})
}

func (s *Server) apiConcentration(c *gin.Context) {
	r, err := s.concentration(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// maxGraphServices bounds the graph; the tables always list everything.
const maxGraphServices = 60

// concentrationGraph draws services → vendor ASNs → upstream ASNs as three columns of nodes,
// upstreams shared by two or more services highlighted, with a text alternative.
func concentrationGraph(r *report.Concentration) (template.HTML, string) {
	shared := map[uint32]bool{}
	var sharedTxt []string
	for _, u := range r.Upstreams {
		if u.Shared {
			shared[u.ASN] = true
			sharedTxt = append(sharedTxt, fmt.Sprintf("AS%d carries %d services (%d critical)", u.ASN, len(u.Services), u.CriticalServices))
		}
	}
	alt := "Graph of services, their vendors' networks and the observed upstream networks. "
	if len(sharedTxt) > 0 {
		alt += "Shared upstreams: " + strings.Join(sharedTxt, "; ") + "."
	} else {
		alt += "No upstream is shared by two or more services."
	}
	// Columns.
	var svcs []report.ServiceUpstreams
	for _, s := range r.Services {
		if len(s.Upstreams) > 0 && len(svcs) < maxGraphServices {
			svcs = append(svcs, s)
		}
	}
	if len(svcs) == 0 {
		return "", alt
	}
	inGraph := map[int64]bool{}
	for _, s := range svcs {
		inGraph[s.VendorID] = true
	}
	type node struct {
		y     float64
		label string
		class string
	}
	const rowH, w = 22.0, 760.0
	colX := [3]float64{4, 300, 520}
	svcY := map[int]float64{}
	vasY := map[uint32]float64{}
	upY := map[uint32]float64{}
	var b, edges strings.Builder
	var vasOrder []report.VendorASN
	for _, va := range r.VendorASNs {
		if inGraph[va.VendorID] && len(va.Upstreams) > 0 {
			vasOrder = append(vasOrder, va)
		}
	}
	n := max(len(svcs), len(vasOrder), len(r.Upstreams))
	h := rowH*float64(n) + 10
	fmt.Fprintf(&b, `<svg class="graph" viewBox="0 0 %.0f %.0f" width="100%%" role="group" aria-label="%s"><title>%s</title>`, w, h, template.HTMLEscapeString(alt), template.HTMLEscapeString(alt))
	for i := range svcs {
		svcY[i] = float64(i)*rowH + 14
	}
	for i, va := range vasOrder {
		vasY[va.ASN] = float64(i)*rowH + 14
	}
	for i, u := range r.Upstreams {
		upY[u.ASN] = float64(i)*rowH + 14
	}
	for i, s := range svcs {
		for _, va := range vasOrder {
			if va.VendorID == s.VendorID {
				fmt.Fprintf(&edges, `<path class="edge" d="M%.0f %.1f C%.0f %.1f %.0f %.1f %.0f %.1f"/>`, colX[0]+250, svcY[i], colX[1]-30, svcY[i], colX[0]+280, vasY[va.ASN], colX[1], vasY[va.ASN])
			}
		}
	}
	for _, va := range vasOrder {
		for _, u := range va.Upstreams {
			fmt.Fprintf(&edges, `<path class="edge" d="M%.0f %.1f C%.0f %.1f %.0f %.1f %.0f %.1f"/>`, colX[1]+160, vasY[va.ASN], colX[2]-30, vasY[va.ASN], colX[1]+190, upY[u], colX[2], upY[u])
		}
	}
	b.WriteString(edges.String())
	box := func(x, y, bw float64, label, class, href string) {
		fmt.Fprintf(&b, `<a href="%s"><rect class="node %s" x="%.0f" y="%.1f" width="%.0f" height="%.0f" rx="3"/><text x="%.0f" y="%.1f">%s</text></a>`,
			template.HTMLEscapeString(href), class, x, y-8, bw, rowH-6, x+4, y+4, template.HTMLEscapeString(label))
	}
	for i, s := range svcs {
		cl := ""
		if s.Critical {
			cl = "critical"
		}
		box(colX[0], svcY[i], 250, clip(s.Vendor+": "+s.Name, 44), cl, fmt.Sprintf("/vendors/%d", s.VendorID))
	}
	for _, va := range vasOrder {
		box(colX[1], vasY[va.ASN], 160, clip(fmt.Sprintf("AS%d %s", va.ASN, va.Vendor), 28), "", fmt.Sprintf("/asn/AS%d", va.ASN))
	}
	for _, u := range r.Upstreams {
		cl := ""
		if shared[u.ASN] {
			cl = "shared"
		}
		box(colX[2], upY[u.ASN], 230, clip(fmt.Sprintf("AS%d %s (%d)", u.ASN, u.Name, len(u.Services)), 40), cl, fmt.Sprintf("/asn/AS%d", u.ASN))
	}
	return template.HTML(b.String() + `</svg>`), alt
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
