package store

import (
	"context"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

// AllVendors returns every vendor with its services, networks and contacts, by name, in four
// queries whatever the number of vendors: what the portfolio reports read (concentration,
// register of information), where one query per vendor would cost seconds at 10,000 vendors.
// It reads in one transaction, so the parts match the vendors. The obligations coverage reads
// less, faster: CoverageVendors.
func (db *DB) AllVendors(ctx context.Context) ([]*rw.Vendor, error) {
	var out []*rw.Vendor
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []vendorRow
		if err := tx.Order("lower(legal_name), id").Find(&rows).Error; err != nil {
			return err
		}
		byID := make(map[int64]*rw.Vendor, len(rows))
		out = make([]*rw.Vendor, len(rows))
		for i := range rows {
			v := rows[i].domain()
			v.Services, v.Networks, v.Contacts = []*rw.Service{}, []*rw.Network{}, []*rw.Contact{}
			out[i], byID[v.ID] = v, v
		}
		var srows []serviceRow
		if err := tx.Order("vendor_id, id").Find(&srows).Error; err != nil {
			return err
		}
		for i := range srows {
			if v := byID[srows[i].VendorID]; v != nil {
				v.Services = append(v.Services, srows[i].domain())
				v.Critical = v.Critical || srows[i].Critical
			}
		}
		var nrows []networkRow
		if err := tx.Order("vendor_id, asn").Find(&nrows).Error; err != nil {
			return err
		}
		for i := range nrows {
			if v := byID[nrows[i].VendorID]; v != nil {
				v.Networks = append(v.Networks, nrows[i].domain())
			}
		}
		var crows []contactRow
		if err := tx.Order("vendor_id, id").Find(&crows).Error; err != nil {
			return err
		}
		for i := range crows {
			if v := byID[crows[i].VendorID]; v != nil {
				v.Contacts = append(v.Contacts, crows[i].domain())
			}
		}
		for _, v := range out {
			v.ServiceCount, v.NetworkCount = len(v.Services), len(v.Networks)
		}
		return nil
	})
	return out, err
}
