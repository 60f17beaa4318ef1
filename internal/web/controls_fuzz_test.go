package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"

	"routewarden/controls"
	"routewarden/internal/control"
)

// FuzzControlQuery feeds arbitrary query strings to the control and obligation filters: they
// never panic, accept only values the library knows, and an accepted filter selects controls
// that all satisfy it.
func FuzzControlQuery(f *testing.F) {
	gin.SetMode(gin.ReleaseMode) // as New sets it; no debug banner from CreateTestContext
	set, err := controls.Shipped()
	if err != nil {
		f.Fatal(err)
	}
	l, _ := set.Library(defaultLibrary, "")
	for _, seed := range []string{"", "family=ROV", "provider=ixp&basis=measured", "manrs=cdn-6&obligation=DORA-28.4.d",
		"family=%00", "obligation=DORA-28.4.d&obligation=x", "regulation=nis2", "regulation=GDPR", "basis=%E2%80%8B", "family=rov", "%zz=1&family"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, "/controls", nil)
		c.Request.URL.RawQuery = query
		flt, err := parseControlFilter(c, l, set.Catalogue)
		if err == nil {
			if _, ok := l.Family(flt.Family); flt.Family != "" && !ok {
				t.Fatalf("accepted unknown family %q", flt.Family)
			}
			if flt.Basis != "" && !slices.Contains(control.Bases, flt.Basis) {
				t.Fatalf("accepted unknown basis %q", flt.Basis)
			}
			for _, ctl := range l.Select(flt.Match) {
				if flt.Obligation != "" && !slices.Contains(ctl.Obligations, flt.Obligation) ||
					flt.Provider != "" && !slices.Contains(ctl.AppliesTo, flt.Provider) ||
					flt.MANRS != "" && !slices.Contains(ctl.MANRS, flt.MANRS) {
					t.Fatalf("%s selected by %+v", ctl.ID, flt)
				}
			}
		}
		reg, err := regulationFilter(c, set.Catalogue)
		if err == nil && reg != "" && !slices.Contains(set.Catalogue.RegulationIDs(), reg) {
			t.Fatalf("accepted unknown regulation %q", reg)
		}
	})
}
