package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
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

// BenchmarkObligationsPage renders /reports/obligations over 1,000 and 10,000 suppliers in
// SQLite, each under DORA and NIS2 with an approved assessment whose per-control results are
// kept (every control met, not met, partly met or unknown in turn), through the whole HTTP
// stack. The quality bar is milliseconds at 10,000 suppliers.
func BenchmarkObligationsPage(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("suppliers=%d", n), func(b *testing.B) {
			db := storetest.SQLite(b)
			hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
			if _, err := demo.Seed(context.Background(), demo.Stores{Users: db, Vendors: db}, hash); err != nil {
				b.Fatal(err)
			}
			seedCoverageSuppliers(b, db, n)
			get := benchPages(b, db, hash, "risk@demo.example")
			cpu0 := dashCPU()
			for b.Loop() {
				get(b, "/reports/obligations")
			}
			b.ReportMetric((dashCPU()-cpu0).Seconds()/float64(b.N)*1000, "cpu-ms/op")
		})
	}
}

// coverageTemplates is how many suppliers seedCoverageSuppliers creates through the store: every
// combination of the critical (i%4) and result (i%5) patterns once. The others are copies.
const coverageTemplates = 20

// seedCoverageSuppliers creates n suppliers (Supplier 00000 Networks, …): the first
// coverageTemplates through the store, as an operator would, and the rest as row copies of the
// template with the same patterns (i % coverageTemplates) in one transaction, so that 10,000
// suppliers take seconds rather than minutes to seed.
func seedCoverageSuppliers(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	lib, err := demo.Library()
	if err != nil {
		b.Fatal(err)
	}
	statuses := []string{"met", "not_met", "partially_met", "unknown", "met"}
	decided := db.Now().AddDate(0, -1, 0)
	digest := lib.Digest()
	type tmpl struct{ vendor, assessment int64 }
	var tmpls []tmpl
	for i := range min(n, coverageTemplates) {
		v := &rw.Vendor{LegalName: fmt.Sprintf("Supplier %05d Networks", i), Country: "DE",
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
		tmpls = append(tmpls, tmpl{v.ID, a.ID})
	}
	if n <= coverageTemplates {
		return
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	vendor := copyRowReturning(b, tx, "vendors", "id", "legal_name")
	service := copyRowStmt(b, tx, "services", "vendor_id", "vendor_id")
	network := copyRowStmt(b, tx, "networks", "vendor_id", "vendor_id", "asn")
	assessment := copyRowReturning(b, tx, "assessments", "id", "vendor_id")
	outcomes := copyRowStmt(b, tx, "assessment_outcomes", "assessment_id", "assessment_id")
	for i := coverageTemplates; i < n; i++ {
		t := tmpls[i%coverageTemplates]
		var vid, aid int64
		if err := vendor.QueryRowContext(ctx, fmt.Sprintf("Supplier %05d Networks", i), t.vendor).Scan(&vid); err != nil {
			b.Fatalf("copy vendor %d: %v", i, err)
		}
		if _, err := service.ExecContext(ctx, vid, t.vendor); err != nil {
			b.Fatalf("copy services of vendor %d: %v", i, err)
		}
		if _, err := network.ExecContext(ctx, vid, 100000+i, t.vendor); err != nil {
			b.Fatalf("copy networks of vendor %d: %v", i, err)
		}
		if err := assessment.QueryRowContext(ctx, vid, t.assessment).Scan(&aid); err != nil {
			b.Fatalf("copy assessment of vendor %d: %v", i, err)
		}
		if _, err := outcomes.ExecContext(ctx, aid, t.assessment); err != nil {
			b.Fatalf("copy outcomes of vendor %d: %v", i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	var approved int
	if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_outcomes o JOIN assessments a ON a.id = o.assessment_id JOIN vendors v ON v.id = a.vendor_id WHERE a.state = 'approved' AND v.legal_name LIKE 'Supplier %'").Scan(&approved); err != nil || approved != n {
		b.Fatalf("seeded %d approved assessments with kept results, want %d (%v)", approved, n, err)
	}
}

// copyRowStmt prepares "copy the rows of table whose key is ? with the columns set given new
// values" (SQLite): every other column but id keeps the template's value, whatever the schema
// holds. The statement's arguments are the set columns' values in order, then the key; a
// statement of copyRowReturning returns the new row's id (one row copied), the others nothing.
func copyRowStmt(b *testing.B, tx *sql.Tx, table, key string, set ...string) *sql.Stmt {
	return prepareCopy(b, tx, table, key, "", set)
}

// copyRowReturning is copyRowStmt returning the copy's id.
func copyRowReturning(b *testing.B, tx *sql.Tx, table, key string, set ...string) *sql.Stmt {
	return prepareCopy(b, tx, table, key, " RETURNING id", set)
}

func prepareCopy(b *testing.B, tx *sql.Tx, table, key, returning string, set []string) *sql.Stmt {
	b.Helper()
	rows, err := tx.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		b.Fatal(err)
	}
	var cols, vals []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			b.Fatal(err)
		}
		if c != "id" {
			cols = append(cols, c)
			vals = append(vals, c)
		}
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	for k, s := range set {
		i := slices.Index(cols, s)
		if i < 0 {
			b.Fatalf("table %s has no column %s", table, s)
		}
		vals[i] = fmt.Sprintf("?%d", k+1)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s = ?%d%s",
		table, strings.Join(cols, ", "), strings.Join(vals, ", "), table, key, len(set)+1, returning)
	st, err := tx.Prepare(q)
	if err != nil {
		b.Fatalf("prepare %s: %v", q, err)
	}
	return st
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
