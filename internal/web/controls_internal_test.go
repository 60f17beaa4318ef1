package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// TestLibrarySelection checks ?library= and ?version= against a set with two versions: the
// default is the newest, links keep an older version selected, and unknown ones are 404s.
func TestLibrarySelection(t *testing.T) {
	gin.SetMode(gin.ReleaseMode) // as New sets it; no debug banner from CreateTestContext
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	newest, _ := set.Library(defaultLibrary, "")
	old := *newest
	old.Version = "2025.9"
	set.Libraries = []*control.Library{&old, newest}
	s := &Server{deps: Deps{Library: set}}
	tests := []struct {
		query, version, code, links string
	}{
		{"", newest.Version, "", ""},
		{"version=" + newest.Version, newest.Version, "", ""},
		{"version=2025.9", "2025.9", "", "?manrs=netops-1&version=2025.9"},
		{"version=1.0", "", rw.ENOTFOUND, ""},
		{"library=nope", "", rw.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest(http.MethodGet, "/controls?"+tt.query, nil)
			l, cat, err := s.library(c)
			if code := rw.ErrorCode(err); code != tt.code {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			if err != nil {
				return
			}
			if l.Version != tt.version || cat != set.Catalogue {
				t.Fatalf("version %s, want %s", l.Version, tt.version)
			}
			ref := s.ref(l)
			if len(ref.Versions) != 2 || ref.Newest != (tt.version == newest.Version) {
				t.Errorf("ref %+v", ref)
			}
			if got := ref.With("manrs", "netops-1"); tt.links != "" && got != tt.links {
				t.Errorf("With = %q, want %q", got, tt.links)
			}
			if ref.Newest && ref.Query() != "" {
				t.Errorf("Query of the newest version = %q, want none", ref.Query())
			}
		})
	}
	none := &Server{}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, "/controls", nil)
	if _, _, err := none.library(c); rw.ErrorCode(err) != rw.EINTERNAL {
		t.Errorf("no library loaded: %v, want an internal error", err)
	}
}
