package store_test

import (
	"context"
	"reflect"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// TestAllVendorsMatchesOneByOne: the bulk read gives every vendor, in the list's name order,
// with exactly the services, networks and contacts FindVendorByID gives, on both databases.
func TestAllVendorsMatchesOneByOne(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mk := func(name string, svcs int, asns ...uint32) {
			v := &rw.Vendor{LegalName: name, Country: "DE"}
			for i := range svcs {
				v.Services = append(v.Services, &rw.Service{Name: name + " service", Type: "S10", ProviderType: rw.ProviderTransit,
					Critical: i == 0, Regulations: []string{"DORA"}})
			}
			for _, a := range asns {
				v.Networks = append(v.Networks, &rw.Network{ASN: a})
			}
			v.Contacts = []*rw.Contact{{Name: "NOC", Email: "noc@example.net", Role: "technical"}}
			if err := db.CreateVendor(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		mk("bravo Networks", 2, 64500, 4200000000)
		mk("Alpha Transit", 1, 64501)
		mk("Charlie Cloud", 0)
		all, err := db.AllVendors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, _, err := db.FindVendors(ctx, rw.VendorFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || len(list) != 3 {
			t.Fatalf("%d vendors at once, %d listed", len(all), len(list))
		}
		for i, v := range all {
			if v.ID != list[i].ID {
				t.Errorf("position %d: %s, the list has %s", i, v.LegalName, list[i].LegalName)
			}
			one, err := db.FindVendorByID(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(v.Services, one.Services) || !reflect.DeepEqual(v.Networks, one.Networks) ||
				!reflect.DeepEqual(v.Contacts, one.Contacts) || v.Critical != one.Critical || v.ServiceCount != one.ServiceCount {
				t.Errorf("%s differs:\n at once %+v\n one     %+v", v.LegalName, v, one)
			}
		}
	})
}
