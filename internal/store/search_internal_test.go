package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
	"routewarden/migrations"
)

// TestVendorSearchArmsUseIndexesPostgres: each arm of the vendor search can be answered from
// an index — the name arm from the trigram index of migration 0013 — so the search does not
// have to read every vendor as the number of vendors grows. (At a few thousand rows the
// planner may still prefer a scan; sequential scans are switched off here to ask whether an
// index can serve the query at all.)
func TestVendorSearchArmsUseIndexesPostgres(t *testing.T) {
	dsn := os.Getenv("ROUTEWARDEN_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("ROUTEWARDEN_REQUIRE_ALL") == "1" {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but ROUTEWARDEN_TEST_POSTGRES is not set")
		}
		t.Skip("ROUTEWARDEN_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	admin, err := Open(ctx, dsn, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	admin.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rwsearch_" + hex.EncodeToString(b)
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := Open(ctx, u.String(), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateVendor(ctx, &rw.Vendor{LegalName: "Nordic Transit 00042 AB", Country: "SE", Networks: []*rw.Network{{ASN: 64500}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, index string }{
		{"nordic tr", "vendors_legal_name_trgm"},
		{"AS64500", "networks_asn"},
		{"5493001KJTIIGC8Y1R12", "vendors_lei"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var plan []string
			err := db.tx(ctx, func(tx *gorm.DB) error {
				if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
					return err
				}
				return tx.Raw("EXPLAIN "+db.searchArms(tc.query), searchArgs(tc.query)...).Scan(&plan).Error
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(plan, "\n"), tc.index) {
				t.Errorf("search for %q does not use %s:\n%s", tc.query, tc.index, strings.Join(plan, "\n"))
			}
		})
	}
}
