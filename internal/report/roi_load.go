package report

import (
	"context"
	"time"

	"routewarden/internal/evidence"

	rw "routewarden/internal/routewarden"
)

// RegisterSource is what building the register reads.
type RegisterSource interface {
	FindVendors(ctx context.Context, f rw.VendorFilter) ([]*rw.Vendor, int, error)
	FindVendorByID(ctx context.Context, id int64) (*rw.Vendor, error)
	FindRegisterEntity(ctx context.Context) (*rw.RegisterEntity, error)
}

// LoadRegister reads the entity and every vendor with its services and builds the register.
// With the routing data d (nil: none) the supply chains of B_05.02 include the subcontractors
// of rank 2 and beyond that the observed upstreams identify.
func LoadRegister(ctx context.Context, src RegisterSource, d *evidence.Data, now time.Time) (*Register, error) {
	e, err := src.FindRegisterEntity(ctx)
	if err != nil {
		return nil, err
	}
	var vendors []*rw.Vendor
	if all, ok := src.(allVendors); ok {
		if vendors, err = all.AllVendors(ctx); err != nil {
			return nil, err
		}
	} else {
		for off := 0; ; {
			page, total, err := src.FindVendors(ctx, rw.VendorFilter{Offset: off, Limit: 500})
			if err != nil {
				return nil, err
			}
			for _, v := range page {
				full, err := src.FindVendorByID(ctx, v.ID)
				if err != nil {
					return nil, err
				}
				vendors = append(vendors, full)
			}
			off += len(page)
			if len(page) == 0 || off >= total {
				break
			}
		}
	}
	var up ObservedUpstreams
	if d != nil {
		up = ObservedUpstreamsOf(ComputeConcentration(ConcentrationInput{Vendors: vendors, Routes: d.Routes, ASRel: d.ASRel, PeeringDB: d.PeeringDB}))
	}
	return BuildRegisterWith(*e, vendors, up, now), nil
}
