package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
)

// BenchmarkVendorListPage renders the vendor list (search, filter, page 50) over 10,000 vendors
// in SQLite, through the whole HTTP stack with a signed-in session.
func BenchmarkVendorListPage(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := context.Background()
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db}, hash); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 10_000; i++ {
		v := &rw.Vendor{LegalName: fmt.Sprintf("Vendor %05d Networks", i), Country: []string{"DE", "NL", "FR", "US"}[i%4],
			Services: []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: i%7 == 0}},
			Networks: []*rw.Network{{ASN: uint32(100000 + i)}}}
		if err := db.CreateVendor(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := web.New(web.Config{}, fullDeps(b, db, hash))
	if err != nil {
		b.Fatal(err)
	}
	u, _ := db.FindUserByEmail(ctx, "auditor@demo.example")
	raw := secret.NewToken("")
	if err := db.CreateSession(ctx, &rw.Session{TokenHash: secret.HashToken(raw), UserID: u.ID, CSRFToken: "x", ExpiresAt: db.Now().AddDate(0, 0, 1)}); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/vendors", "/vendors?page=50", "/vendors?q=Vendor+0999&country=US", "/vendors?critical=yes&type=S10&page=3"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				req.AddCookie(&http.Cookie{Name: "rw_session", Value: raw})
				w := httptest.NewRecorder()
				srv.Handler().ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
		})
	}
}
