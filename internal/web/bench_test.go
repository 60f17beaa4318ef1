package web_test

import (
	"context"
	"fmt"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
)

// BenchmarkVendorListPage renders the vendor list (search, filter, page 50, sorted by the
// latest assessment's rating, state, due date and tier) over 10,000 vendors, two in three with
// an assessment, in SQLite, through the whole HTTP stack with a signed-in session.
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
	seedBenchAssessments(b, db)
	get := benchPages(b, db, hash, "auditor@demo.example")
	for _, path := range []string{"/vendors", "/vendors?page=50", "/vendors?q=Vendor+0999&country=US", "/vendors?critical=yes&type=S10&page=3",
		"/vendors?sort=rating&dir=desc&page=50", "/vendors?sort=due", "/vendors?sort=state&critical=yes", "/vendors?sort=tier&dir=desc&page=200"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				get(b, path)
			}
		})
	}
}

// seedBenchAssessments gives two in three vendors an assessment (directly in SQL: going through
// the assessment service for 6,700 of them would dominate the benchmark's set-up).
func seedBenchAssessments(b *testing.B, db *store.DB) {
	b.Helper()
	tx, err := db.SQL().Begin()
	if err != nil {
		b.Fatal(err)
	}
	ratings, tiers := rw.Ratings, rw.Tiers
	states := []string{"draft", "sent", "in_progress", "submitted", "in_review", "approved"}
	now := db.Now()
	for i := 0; i < 10_000; i++ {
		if i%3 == 0 {
			continue
		}
		sum := fmt.Sprintf(`{"rating":%q,"tier":%q,"compliance":0.5,"met":10,"controls":20,"open_discrepancies":0,"progress":1}`, ratings[i%4], tiers[i%7%4])
		_, err := tx.Exec(`INSERT INTO assessments (vendor_id, title, library, library_version, library_digest, scope, state, due_date, summary, created_at, updated_at)
			SELECT id, 'Routing', 'routewarden-manrs', '2026.1', 'x', 'transit', ?, ?, ?, ?, ? FROM vendors WHERE legal_name = ?`,
			states[i%len(states)], now.AddDate(0, 0, i%90).Format("2006-01-02"), sum, now, now, fmt.Sprintf("Vendor %05d Networks", i))
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
