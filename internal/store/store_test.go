package store_test

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// forEachBackend runs fn against a fresh SQLite database and a fresh PostgreSQL schema.
func forEachBackend(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.Open(t)) })
	}
}

func sampleVendor() *rw.Vendor {
	start, end := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
	return &rw.Vendor{LegalName: "Société Générale des Réseaux, Zürich/Łódź", LEI: "5493001KJTIIGC8Y1R12", Country: "fr", Website: "https://sgr.example",
		Services: []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true, Regulations: []string{"nis2", "DORA"},
			Substitutability: "highly_complex", ContractRef: "C-1", ContractStart: &start, ContractEnd: &end}},
		Networks: []*rw.Network{{ASN: 4200000001, Name: "private"}, {ASN: 3333, ASSet: "as-ripencc",
			ExpectedPrefixes: []netip.Prefix{netip.MustParsePrefix("193.0.0.0/21"), netip.MustParsePrefix("2001:67c:2e8::/48")}}},
		Contacts: []*rw.Contact{{Name: "NOC", Email: "NOC@Example.net", Role: "NOC"}}}
}

func TestMigrations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		again, err := db.MigrateUp(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate up applied %d, err %v; want 0, nil", len(again), err)
		}
		st, err := db.MigrationStatus(ctx)
		if err != nil || len(st) == 0 {
			t.Fatalf("status: %v %v", st, err)
		}
		for _, m := range st {
			if m.AppliedAt == nil {
				t.Errorf("migration %d not applied", m.Version)
			}
		}
	})
}

func TestVendorRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := sampleVendor()
		if err := db.CreateVendor(ctx, v); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindVendorByID(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LegalName != v.LegalName || got.Country != "FR" || got.LEI != v.LEI || got.Version != 1 || !got.Critical {
			t.Errorf("vendor = %+v", got)
		}
		if len(got.Services) != 1 || len(got.Networks) != 2 || len(got.Contacts) != 1 {
			t.Fatalf("parts: %d services, %d networks, %d contacts", len(got.Services), len(got.Networks), len(got.Contacts))
		}
		s := got.Services[0]
		if strings.Join(s.Regulations, ",") != "DORA,NIS2" || s.ContractEnd == nil || s.ContractEnd.Format("2006-01-02") != "2027-06-30" || !s.Critical {
			t.Errorf("service = %+v", s)
		}
		n := got.Networks[0] // ordered by ASN
		if n.ASN != 3333 || n.ASSet != "AS-RIPENCC" || len(n.ExpectedPrefixes) != 2 || n.ExpectedPrefixes[1].String() != "2001:67c:2e8::/48" {
			t.Errorf("network = %+v", n)
		}
		if got.Networks[1].ASN != 4200000001 {
			t.Errorf("4-byte ASN round trip: %d", got.Networks[1].ASN)
		}
		if got.Contacts[0].Email != "noc@example.net" {
			t.Errorf("contact e-mail not normalised: %q", got.Contacts[0].Email)
		}
	})
}

func TestVendorCreateIsAllOrNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := sampleVendor()
		v.Networks = append(v.Networks, &rw.Network{ASN: 3333}) // duplicate ASN in one vendor
		err := db.CreateVendor(ctx, v)
		if rw.ErrorCode(err) != rw.EINVALID || !strings.Contains(rw.ErrorField(err), "networks[2].asn") {
			t.Fatalf("err = %v (field %q), want invalid networks[2].asn", err, rw.ErrorField(err))
		}
		if _, total, _ := db.FindVendors(ctx, rw.VendorFilter{}); total != 0 {
			t.Fatalf("%d vendors stored after a refused create", total)
		}
	})
}

func TestVendorConflicts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := sampleVendor()
		if err := db.CreateVendor(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := &rw.Vendor{LegalName: "Other", LEI: a.LEI, Country: "DE"}
		if err := db.CreateVendor(ctx, b); rw.ErrorCode(err) != rw.ECONFLICT || rw.ErrorField(err) != "lei" {
			t.Fatalf("duplicate LEI: %v", err)
		}
		// Optimistic locking: two editors read version 1; the second save must fail.
		n1, n2 := "First editor", "Second editor"
		if _, err := db.UpdateVendor(ctx, a.ID, rw.VendorUpdate{LegalName: &n1, Version: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := db.UpdateVendor(ctx, a.ID, rw.VendorUpdate{LegalName: &n2, Version: 1})
		if rw.ErrorCode(err) != rw.ECONFLICT {
			t.Fatalf("stale update: %v, want conflict", err)
		}
		got, _ := db.FindVendorByID(ctx, a.ID)
		if got.LegalName != n1 || got.Version != 2 {
			t.Fatalf("after conflict: %q v%d", got.LegalName, got.Version)
		}
		if err := db.CreateNetwork(ctx, &rw.Network{VendorID: a.ID, ASN: 3333}); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Fatalf("duplicate network: %v", err)
		}
		if err := db.CreateNetwork(ctx, &rw.Network{VendorID: 999999, ASN: 1}); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("network for missing vendor: %v", err)
		}
		if err := db.DeleteService(ctx, a.ID+1000, got.Services[0].ID); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("deleting another vendor's service: %v", err)
		}
	})
}

func TestFindVendorsFilters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.CreateVendor(ctx, sampleVendor()); err != nil {
			t.Fatal(err)
		}
		for i, name := range []string{"Alpha Cloud", "Beta CDN", "Gamma IX"} {
			v := &rw.Vendor{LegalName: name, Country: "NL", Networks: []*rw.Network{{ASN: uint32(64500 + i)}}}
			if i == 1 {
				v.Services = []*rw.Service{{Name: "cdn", Type: "S11", ProviderType: rw.ProviderCDN}}
			}
			if err := db.CreateVendor(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		yes := true
		cases := []struct {
			name string
			f    rw.VendorFilter
			want []string
		}{
			{"all sorted", rw.VendorFilter{}, []string{"Alpha Cloud", "Beta CDN", "Gamma IX", "Société Générale des Réseaux, Zürich/Łódź"}},
			{"name", rw.VendorFilter{Query: "cdn"}, []string{"Beta CDN"}},
			{"asn", rw.VendorFilter{Query: "AS64502"}, []string{"Gamma IX"}},
			{"4-byte asn", rw.VendorFilter{Query: "4200000001"}, []string{"Société Générale des Réseaux, Zürich/Łódź"}},
			{"country", rw.VendorFilter{Country: "fr"}, []string{"Société Générale des Réseaux, Zürich/Łódź"}},
			{"service type", rw.VendorFilter{ServiceType: "S11"}, []string{"Beta CDN"}},
			{"provider", rw.VendorFilter{ProviderType: rw.ProviderTransit}, []string{"Société Générale des Réseaux, Zürich/Łódź"}},
			{"critical", rw.VendorFilter{Critical: &yes}, []string{"Société Générale des Réseaux, Zürich/Łódź"}},
			{"page 2", rw.VendorFilter{Offset: 1, Limit: 2}, []string{"Beta CDN", "Gamma IX"}},
			{"like wildcards are literal", rw.VendorFilter{Query: "%"}, []string{"Alpha Cloud", "Beta CDN", "Gamma IX", "Société Générale des Réseaux, Zürich/Łódź"}},
		}
		for _, tc := range cases {
			got, total, err := db.FindVendors(ctx, tc.f)
			if err != nil {
				t.Fatal(tc.name, err)
			}
			var names []string
			for _, v := range got {
				names = append(names, v.LegalName)
			}
			if strings.Join(names, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%s: got %q, want %q", tc.name, names, tc.want)
			}
			if tc.f.Limit == 0 && total != len(tc.want) {
				t.Errorf("%s: total %d", tc.name, total)
			}
		}
	})
}

func TestDeleteVendorCascades(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := sampleVendor()
		if err := db.CreateVendor(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteVendor(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindVendorByID(ctx, v.ID); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("after delete: %v", err)
		}
		if err := db.DeleteVendor(ctx, v.ID); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("second delete: %v", err)
		}
		// A new vendor may take the same ASN and LEI: nothing of the old one is left.
		if err := db.CreateVendor(ctx, sampleVendor()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUsersSessionsTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		admin := &rw.User{Email: " Admin@Example.COM ", Role: rw.RoleAdmin, PasswordHash: "x"}
		if err := db.CreateUser(ctx, admin); err != nil {
			t.Fatal(err)
		}
		if admin.Email != "admin@example.com" {
			t.Errorf("email not normalised: %q", admin.Email)
		}
		if err := db.CreateUser(ctx, &rw.User{Email: "admin@example.com", Role: rw.RoleAuditor}); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Fatalf("duplicate user: %v", err)
		}
		if err := db.CreateUser(ctx, &rw.User{Email: "x@example.com", Role: "root"}); rw.ErrorCode(err) != rw.EINVALID {
			t.Fatalf("bad role: %v", err)
		}
		aud := rw.RoleAuditor
		if _, err := db.UpdateUser(ctx, admin.ID, rw.UserUpdate{Role: &aud}); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Fatalf("demoting the last admin: %v", err)
		}
		now := db.Now()
		if err := db.CreateSession(ctx, &rw.Session{TokenHash: "live", UserID: admin.ID, CSRFToken: "c", ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, &rw.Session{TokenHash: "old", UserID: admin.ID, CSRFToken: "c", ExpiresAt: now.Add(-time.Second)}); err != nil {
			t.Fatal(err)
		}
		if s, err := db.FindSession(ctx, "live", now); err != nil || s.User.Email != admin.Email {
			t.Fatalf("live session: %v %v", s, err)
		}
		if _, err := db.FindSession(ctx, "old", now); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("expired session: %v", err)
		}
		if err := db.CreateAPIToken(ctx, &rw.APIToken{UserID: admin.ID, Name: "t", TokenHash: "h1"}); err != nil {
			t.Fatal(err)
		}
		if tok, err := db.FindAPIToken(ctx, "h1"); err != nil || tok.User.ID != admin.ID {
			t.Fatalf("token: %v %v", tok, err)
		}
		// A password change signs the user out everywhere.
		h := "new"
		if _, err := db.UpdateUser(ctx, admin.ID, rw.UserUpdate{PasswordHash: &h}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindSession(ctx, "live", now); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("session after password change: %v", err)
		}
	})
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db": "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db":             "postgres://u@h/db",
		"data/routewarden.db":           "data/routewarden.db",
	} {
		if got := store.RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindNetworks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := sampleVendor(), &rw.Vendor{LegalName: "B", Country: "NL", Networks: []*rw.Network{{ASN: 3333}}}
		for _, v := range []*rw.Vendor{a, b} {
			if err := db.CreateVendor(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		nets, err := db.FindNetworks(ctx)
		if err != nil || len(nets) != 3 {
			t.Fatalf("%d networks, %v", len(nets), err)
		}
		if nets[0].VendorID != a.ID || nets[0].ASN != 3333 || nets[1].ASN != 4200000001 || nets[2].VendorID != b.ID {
			t.Errorf("order: %+v %+v %+v", nets[0], nets[1], nets[2])
		}
		byASN, err := db.FindNetworksByASN(ctx, 3333)
		if err != nil || len(byASN) != 2 {
			t.Errorf("AS3333 in %d vendors, %v", len(byASN), err)
		}
	})
}

// TestConcurrentMigrationsPostgres starts two "instances" on one empty PostgreSQL schema at
// once: the advisory lock makes them apply each migration exactly once, and both succeed.
func TestConcurrentMigrationsPostgres(t *testing.T) {
	dsn := os.Getenv("ROUTEWARDEN_TEST_POSTGRES")
	if dsn == "" {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but ROUTEWARDEN_TEST_POSTGRES is not set")
		}
		t.Skip("ROUTEWARDEN_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, dsn, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("rwmig_%d", time.Now().UnixNano())
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	var wg sync.WaitGroup
	applied := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		db, err := store.Open(ctx, u.String(), migrations.FS)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := db.MigrateUp(ctx)
			applied[i], errs[i] = len(done), err
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("concurrent migrate: %v / %v", errs[0], errs[1])
	}
	all, _ := admin.MigrationStatus(ctx) // the admin handle lists the files
	if applied[0]+applied[1] != len(all) || (applied[0] != 0 && applied[1] != 0) {
		t.Fatalf("applied %d and %d of %d migrations; want all by one instance", applied[0], applied[1], len(all))
	}
}
