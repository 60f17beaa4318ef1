package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// layoutView wraps every page's own view with what the layout needs.
type layoutView struct {
	Title   string
	User    *rw.User
	CSRF    string
	Demo    bool
	Flash   string
	Nav     string
	Version string
	Page    any
	// OpenAlerts is the number of open monitoring alerts, shown as a badge in the navigation.
	OpenAlerts int
	// CSVURL is the current URL asking for the CSV export of a list (?format=csv).
	CSVURL string
}

// titled is implemented by views that name their page.
type titled interface{ PageTitle() string }

var funcs = template.FuncMap{
	"asn":        func(a uint32) string { return "AS" + rw.FormatASN(a) },
	"asnWarning": rw.ASNWarning,
	"date": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.Format("2006-01-02")
		case *time.Time:
			if v != nil {
				return v.Format("2006-01-02")
			}
		}
		return ""
	},
	"datetime":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"serviceType": rw.ServiceTypeLabel,
	"subst":       rw.SubstitutabilityLabel,
	"reliance":    rw.RelianceLabel,
	"join":        strings.Join,
	"hasPrefix":   strings.HasPrefix,
	"countryName": rw.CountryName,
	"can":         func(u *rw.User, p string) bool { return u != nil && u.Role.Can(rw.Permission(p)) },
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"prefixes": func(ps any) string { return fmt.Sprint(ps) },
	"pct":      func(f float64) float64 { return f * 100 },
	// deref reads a figure that may be absent (a nil one is guarded by {{with}} first).
	"deref": func(f *float64) float64 { return *f },
	// Obligations coverage: a cell's symbol and word, a control status's label.
	"covsym":      report.CoverageSymbol,
	"covlabel":    report.CoverageLabel,
	"statuslabel": func(s string) string { return score.Status(s).Label() },
}

// parseTemplates parses, once, every page under pages/ together with the layout and partials.
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	pages, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, "layout/*.html", "partials/*.html", p)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no page templates found")
	}
	return out, nil
}

// render executes a page into a buffer first, so a template error never sends half a page.
func (s *Server) render(c *gin.Context, status int, name string, view any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("missing template", "name", name)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	lv := layoutView{Title: name, User: currentUser(c), Demo: s.cfg.Demo, Version: s.cfg.Version, Page: view, Nav: navOf(c.Request.URL.Path),
		CSVURL: csvURL(c.Request.URL.Path, c.Request.URL.RawQuery)}
	if tv, ok := view.(titled); ok {
		lv.Title = tv.PageTitle()
	}
	if sess := currentSession(c); sess != nil {
		lv.CSRF = sess.CSRFToken
	}
	if lv.User != nil && s.deps.Monitor != nil {
		if n, err := s.deps.Monitor.CountActiveAlerts(c.Request.Context()); err == nil {
			for _, k := range n {
				lv.OpenAlerts += k
			}
		}
	}
	if f, err := c.Cookie("rw_flash"); err == nil && f != "" {
		lv.Flash, _ = url.QueryUnescape(f)
		s.setCookie(c, "rw_flash", "", -1)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", lv); err != nil {
		s.log.Error("render", "template", name, "request_id", c.GetString(ctxRequestID), "err", err)
		c.String(http.StatusInternalServerError, "internal error (request %s)", c.GetString(ctxRequestID))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func navOf(p string) string {
	switch {
	case p == "/":
		return "dashboard"
	case strings.HasPrefix(p, "/reports"):
		return "reports"
	case strings.HasPrefix(p, "/admin"):
		return "admin"
	case strings.HasPrefix(p, "/vendors"), strings.HasPrefix(p, "/asn"):
		return "vendors"
	case strings.HasPrefix(p, "/data"):
		return "data"
	case strings.HasPrefix(p, "/alerts"):
		return "alerts"
	case strings.HasPrefix(p, "/assessments"):
		return "assessments"
	case strings.HasPrefix(p, "/attestations"):
		return "attestations"
	case strings.HasPrefix(p, "/controls"), strings.HasPrefix(p, "/obligations"), strings.HasPrefix(p, "/coverage"):
		return "controls"
	}
	return ""
}

// flash stores a one-time message shown on the next page, then redirects there.
func (s *Server) redirectFlash(c *gin.Context, to, msg string) {
	s.setCookie(c, "rw_flash", url.QueryEscape(msg), 60)
	c.Redirect(http.StatusSeeOther, to)
}
