package report

import (
	"context"
	"time"

	rw "routewarden/internal/routewarden"
)

// RegisterSource is what building the register reads.
type RegisterSource interface {
	FindVendors(ctx context.Context, f rw.VendorFilter) ([]*rw.Vendor, int, error)
	FindVendorByID(ctx context.Context, id int64) (*rw.Vendor, error)
	FindRegisterEntity(ctx context.Context) (*rw.RegisterEntity, error)
}

// LoadRegister reads the entity and every vendor with its services and builds the register.
func LoadRegister(ctx context.Context, src RegisterSource, now time.Time) (*Register, error) {
	e, err := src.FindRegisterEntity(ctx)
	if err != nil {
		return nil, err
	}
	var vendors []*rw.Vendor
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
	return BuildRegister(*e, vendors, now), nil
}
