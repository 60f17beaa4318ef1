package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
)

// BenchmarkDashboardPage renders the portfolio dashboard (/) over 10,000 vendors in SQLite,
// through the whole HTTP stack with a signed-in session.
func BenchmarkDashboardPage(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := context.Background()
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db}, hash); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 10_000; i++ {
		v := &rw.Vendor{LegalName: fmt.Sprintf("Vendor %05d Networks", i), Country: "DE",
			Services: []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: i%7 == 0}},
			Networks: []*rw.Network{{ASN: uint32(100000 + i)}}}
		if err := db.CreateVendor(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
	get := benchPages(b, db, hash, "risk@demo.example")
	cpu0 := dashCPU()
	for b.Loop() {
		get(b, "/")
	}
	// CPU time per page stays meaningful on a busy machine, where wall time does not (it
	// includes the benchmark's own goroutines, which are idle while the page renders).
	b.ReportMetric((dashCPU()-cpu0).Seconds()/float64(b.N)*1000, "cpu-ms/op")
}

func dashCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkObligationsPage renders /reports/obligations over 1,000 suppliers in SQLite, each
// under DORA and NIS2 with an approved assessment whose per-control results are kept (every
// control met, not met, partly met or unknown in turn), through the whole HTTP stack.
func BenchmarkObligationsPage(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := context.Background()
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db}, hash); err != nil {
		b.Fatal(err)
	}
	lib, err := demo.Library()
	if err != nil {
		b.Fatal(err)
	}
	statuses := []string{"met", "not_met", "partially_met", "unknown", "met"}
	decided := db.Now().AddDate(0, -1, 0)
	digest := lib.Digest()
	for i := range 1000 {
		v := &rw.Vendor{LegalName: fmt.Sprintf("Supplier %04d Networks", i), Country: "DE",
			Services: []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: i%4 == 0, Regulations: []string{"DORA", "NIS2"}}},
			Networks: []*rw.Network{{ASN: uint32(100000 + i)}}}
		if err := db.CreateVendor(ctx, v); err != nil {
			b.Fatal(err)
		}
		a := &rw.Assessment{VendorID: v.ID, Title: "Routing", Library: lib.Name, LibraryVersion: lib.Version, LibraryDigest: digest,
			Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: decided, Summary: rw.Summary{Tier: "Critical"}}
		if err := db.CreateAssessment(ctx, a, nil, nil, "bench"); err != nil {
			b.Fatal(err)
		}
		out := map[string]rw.ControlOutcome{}
		for j, c := range lib.Controls {
			out[c.ID] = rw.ControlOutcome{Status: statuses[(i+j)%len(statuses)], Basis: c.Basis}
		}
		if _, err := db.UpdateAssessment(ctx, a.ID, rw.AssessmentUpdate{Outcomes: out}, nil); err != nil {
			b.Fatal(err)
		}
		// Straight to approved: the lifecycle is not what is measured here.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE assessments SET state = 'approved', decided_at = ? WHERE id = ?", decided, a.ID); err != nil {
			b.Fatal(err)
		}
	}
	get := benchPages(b, db, hash, "risk@demo.example")
	cpu0 := dashCPU()
	for b.Loop() {
		get(b, "/reports/obligations")
	}
	b.ReportMetric((dashCPU()-cpu0).Seconds()/float64(b.N)*1000, "cpu-ms/op")
}

// benchPages serves the full web stack over db with a session of the user email, and returns a
// function that GETs a page through it and fails the (sub-)benchmark b unless it answers 200.
func benchPages(b *testing.B, db *store.DB, hash func(string) (string, error), email string) func(b *testing.B, path string) {
	b.Helper()
	ctx := context.Background()
	srv, err := web.New(web.Config{}, fullDeps(b, db, hash))
	if err != nil {
		b.Fatal(err)
	}
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		b.Fatal(err)
	}
	raw := secret.NewToken("")
	if err := db.CreateSession(ctx, &rw.Session{TokenHash: secret.HashToken(raw), UserID: u.ID, CSRFToken: "x", ExpiresAt: db.Now().AddDate(0, 0, 1)}); err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	return func(b *testing.B, path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "rw_session", Value: raw})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}
