package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"routewarden/controls"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// renderSlips are what a page shows when a template or a fmt verb was handed the wrong thing:
// fmt's complaints ("%!f(*float64=0xc000…)" for a pointer printed as a number) and the
// template's "<no value>".
var renderSlips = []string{"%!", "<no value>", "(MISSING)", "(BADPREC)"}

// portalSection finds the links to the portal's sections.
var portalSection = regexp.MustCompile(`href="(/portal/a/\d+\?section=[^"]+)"`)

// TestPagesRenderCleanly opens every staff page, for every demo vendor, assessment and
// obligation it can show, as the risk officer and the administrator, and fails on a server
// error or a rendering slip in the HTML. (It caught the concentration page printing its
// Herfindahl–Hirschman index as "%!f(*float64=0x…)".)
func TestPagesRenderCleanly(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	vendors, _, err := e.db.FindVendors(ctx, rw.VendorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	assessments, _, err := e.db.FindAssessments(ctx, rw.AssessmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib := set.Latest()[0]
	var obligations, ctrls []string
	for _, o := range set.Catalogue.Obligations() {
		obligations = append(obligations, o.ID)
	}
	for _, c := range lib.Controls {
		ctrls = append(ctrls, c.ID)
	}
	// paths expands a route into the pages it stands for in the demo.
	paths := func(route string) []string {
		var out []string
		switch {
		case strings.Contains(route, ":eid"), strings.HasPrefix(route, "/portal/"), strings.HasSuffix(route, "/pdf"),
			strings.Contains(route, "/admin/webhooks/:id"):
			return nil // evidence files, the vendor's portal and PDFs are not HTML pages of staff
		case strings.HasPrefix(route, "/vendors/:id"):
			for _, v := range vendors {
				full, err := e.db.FindVendorByID(ctx, v.ID)
				if err != nil {
					t.Fatal(err)
				}
				r := strings.NewReplacer(":id", fmt.Sprint(v.ID))
				p := r.Replace(route)
				if strings.Contains(p, ":sid") {
					if len(full.Services) == 0 {
						continue
					}
					p = strings.ReplaceAll(p, ":sid", fmt.Sprint(full.Services[0].ID))
				}
				if strings.Contains(p, ":nid") {
					if len(full.Networks) == 0 {
						continue
					}
					p = strings.ReplaceAll(p, ":nid", fmt.Sprint(full.Networks[0].ID))
				}
				out = append(out, p)
			}
		case strings.HasPrefix(route, "/assessments/:id"):
			for _, a := range assessments {
				out = append(out, strings.ReplaceAll(route, ":id", fmt.Sprint(a.ID)))
			}
		case strings.Contains(route, "obligations/:id"):
			for _, id := range obligations {
				out = append(out, strings.ReplaceAll(route, ":id", id))
			}
		case route == "/controls/:id":
			for _, id := range ctrls {
				out = append(out, "/controls/"+id)
			}
		case route == "/asn/:asn":
			for _, v := range vendors {
				full, _ := e.db.FindVendorByID(ctx, v.ID)
				for _, n := range full.Networks {
					out = append(out, fmt.Sprintf("/asn/%d", n.ASN))
				}
			}
		case strings.Contains(route, ":uid"):
			out = append(out, strings.ReplaceAll(route, ":uid", "2"))
		case strings.Contains(route, ":"):
			t.Errorf("route %s: no demo values to fill it with; teach this test", route)
		default:
			out = append(out, route)
		}
		return out
	}
	var pages []string
	for _, r := range e.srv.Routes() {
		if r.Method == "GET" && !r.API && r.Path != "/metrics" {
			pages = append(pages, paths(r.Path)...)
		}
	}
	if len(pages) < 150 {
		t.Fatalf("only %d pages to open", len(pages))
	}
	// The vendor's portal, for every assessment a vendor can still open, with its sections.
	portalPages := 0
	for _, a := range assessments {
		if a.State.Final() || a.State == rw.StateDraft {
			continue
		}
		b, code, page := e.vendor(e.invite(a, ""))
		if code != http.StatusOK {
			t.Errorf("portal of assessment %d (%s): %d", a.ID, a.State, code)
			continue
		}
		portal := []string{page}
		for _, p := range []string{fmt.Sprintf("/portal/a/%d/measurements", a.ID)} {
			_, body := b.get(p)
			portal = append(portal, body)
		}
		for _, m := range portalSection.FindAllStringSubmatch(page, -1) {
			_, body := b.get(strings.ReplaceAll(m[1], "&amp;", "&"))
			portal = append(portal, body)
		}
		portalPages += len(portal)
		for _, body := range portal {
			for _, slip := range renderSlips {
				if i := strings.Index(body, slip); i >= 0 {
					t.Errorf("portal of assessment %d shows %q: …%s…", a.ID, slip, body[max(0, i-80):min(len(body), i+80)])
				}
			}
		}
	}
	if portalPages < 12 {
		t.Errorf("only %d portal pages opened", portalPages)
	}
	for _, email := range []string{"risk@demo.example", "admin@demo.example"} {
		b, code := e.login(email, demo.Password)
		if code != http.StatusSeeOther {
			t.Fatalf("login %s: %d", email, code)
		}
		for _, p := range pages {
			code, body := b.get(p)
			if code >= 500 {
				t.Errorf("%s as %s: %d", p, email, code)
			}
			for _, slip := range renderSlips {
				if i := strings.Index(body, slip); i >= 0 {
					t.Errorf("%s as %s shows %q: …%s…", p, email, slip, body[max(0, i-80):min(len(body), i+80)])
				}
			}
		}
	}
}
