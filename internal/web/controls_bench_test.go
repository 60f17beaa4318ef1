package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"routewarden/controls"
	"routewarden/static"
	"routewarden/templates"
)

// BenchmarkControlPages renders each control-library page and API answer (handler only,
// without sign-in): go test ./internal/web -run XXX -bench ControlPages -benchmem
func BenchmarkControlPages(b *testing.B) {
	set, err := controls.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Version: "bench"}, Deps{Templates: templates.FS, Static: static.FS, Library: set,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, target string
		handler      gin.HandlerFunc
		params       gin.Params
	}{
		{"controls", "/controls", s.controlList, nil},
		{"controls-filtered", "/controls?provider=ixp&basis=measured", s.controlList, nil},
		{"control", "/controls/RS-ROV-01", s.controlShow, gin.Params{{Key: "id", Value: "RS-ROV-01"}}},
		{"obligations", "/obligations", s.obligationList, nil},
		{"obligation", "/obligations/DORA-28.4.d", s.obligationShow, gin.Params{{Key: "id", Value: "DORA-28.4.d"}}},
		{"coverage", "/coverage", s.coverage, nil},
		{"api-controls", "/api/v1/controls", s.apiControlList, nil},
		{"api-obligations", "/api/v1/obligations", s.apiObligationList, nil},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				w := httptest.NewRecorder()
				c, _ := gin.CreateTestContext(w)
				c.Request = httptest.NewRequest(http.MethodGet, tc.target, nil)
				c.Params = tc.params
				tc.handler(c)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", tc.target, w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
