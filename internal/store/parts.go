package store

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

const dateLayout = "2006-01-02"

type serviceRow struct {
	ID               int64 `gorm:"primaryKey"`
	VendorID         int64
	Name             string
	Type             string
	ProviderType     string
	Critical         bool
	Regulations      string // comma-separated
	Substitutability string
	ContractRef      string
	ContractStart    string // YYYY-MM-DD or ""
	ContractEnd      string
	FunctionName     string
	Reliance         string
	ExitPlan         string
	RTOHours         *int `gorm:"column:rto_hours"`
	RPOHours         *int `gorm:"column:rpo_hours"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (serviceRow) TableName() string { return "services" }

func (r *serviceRow) domain() *rw.Service {
	s := &rw.Service{ID: r.ID, VendorID: r.VendorID, Name: r.Name, Type: r.Type, ProviderType: rw.ProviderType(r.ProviderType),
		Critical: r.Critical, Substitutability: r.Substitutability, ContractRef: r.ContractRef,
		ContractStart: parseDate(r.ContractStart), ContractEnd: parseDate(r.ContractEnd), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		FunctionName: r.FunctionName, Reliance: r.Reliance, ExitPlan: r.ExitPlan, RTOHours: r.RTOHours, RPOHours: r.RPOHours}
	if r.Regulations != "" {
		s.Regulations = strings.Split(r.Regulations, ",")
	}
	return s
}

func serviceToRow(s *rw.Service) serviceRow {
	return serviceRow{ID: s.ID, VendorID: s.VendorID, Name: s.Name, Type: s.Type, ProviderType: string(s.ProviderType), Critical: s.Critical,
		Regulations: strings.Join(s.Regulations, ","), Substitutability: s.Substitutability, ContractRef: s.ContractRef,
		ContractStart: formatDate(s.ContractStart), ContractEnd: formatDate(s.ContractEnd), CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		FunctionName: s.FunctionName, Reliance: s.Reliance, ExitPlan: s.ExitPlan, RTOHours: s.RTOHours, RPOHours: s.RPOHours}
}

func parseDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return nil
	}
	return &t
}

func formatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(dateLayout)
}

type networkRow struct {
	ID               int64 `gorm:"primaryKey"`
	VendorID         int64
	ASN              int64 `gorm:"column:asn"`
	Name             string
	ExpectedPrefixes string // one per line
	ASSet            string `gorm:"column:as_set"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (networkRow) TableName() string { return "networks" }

func (r *networkRow) domain() *rw.Network {
	n := &rw.Network{ID: r.ID, VendorID: r.VendorID, ASN: uint32(r.ASN), Name: r.Name, ASSet: r.ASSet, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	for _, f := range strings.Fields(r.ExpectedPrefixes) {
		if p, err := netip.ParsePrefix(f); err == nil {
			n.ExpectedPrefixes = append(n.ExpectedPrefixes, p)
		}
	}
	return n
}

func networkToRow(n *rw.Network) networkRow {
	ps := make([]string, len(n.ExpectedPrefixes))
	for i, p := range n.ExpectedPrefixes {
		ps[i] = p.String()
	}
	return networkRow{ID: n.ID, VendorID: n.VendorID, ASN: int64(n.ASN), Name: n.Name, ExpectedPrefixes: strings.Join(ps, "\n"),
		ASSet: n.ASSet, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
}

type contactRow struct {
	ID        int64 `gorm:"primaryKey"`
	VendorID  int64
	Name      string
	Email     string
	Phone     string
	Role      string
	CreatedAt time.Time
}

func (contactRow) TableName() string { return "contacts" }

func (r *contactRow) domain() *rw.Contact {
	return &rw.Contact{ID: r.ID, VendorID: r.VendorID, Name: r.Name, Email: r.Email, Phone: r.Phone, Role: r.Role, CreatedAt: r.CreatedAt.UTC()}
}

func insertService(tx *gorm.DB, s *rw.Service, now time.Time) error {
	s.CreatedAt, s.UpdatedAt = now, now
	r := serviceToRow(s)
	if err := tx.Create(&r).Error; err != nil {
		return translate(err, "service")
	}
	s.ID = r.ID
	return nil
}

func insertNetwork(tx *gorm.DB, n *rw.Network, now time.Time) error {
	n.CreatedAt, n.UpdatedAt = now, now
	r := networkToRow(n)
	if err := tx.Create(&r).Error; err != nil {
		return asnConflict(translate(err, "network"), n.ASN)
	}
	n.ID = r.ID
	return nil
}

func asnConflict(err error, asn uint32) error {
	if rw.ErrorCode(err) == rw.ECONFLICT {
		return &rw.Error{Code: rw.ECONFLICT, Message: "This vendor already has AS" + rw.FormatASN(asn) + ".", Field: "asn"}
	}
	return err
}

func insertContact(tx *gorm.DB, c *rw.Contact, now time.Time) error {
	c.CreatedAt = now
	r := contactRow{VendorID: c.VendorID, Name: c.Name, Email: c.Email, Phone: c.Phone, Role: c.Role, CreatedAt: now}
	if err := tx.Create(&r).Error; err != nil {
		return translate(err, "contact")
	}
	c.ID = r.ID
	return nil
}

// CreateService adds a service to an existing vendor.
func (db *DB) CreateService(ctx context.Context, s *rw.Service) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.touchVendor(tx, s.VendorID); err != nil {
			return err
		}
		return insertService(tx, s, db.Now())
	})
}

// UpdateService replaces a service's fields; s.ID and s.VendorID select it.
func (db *DB) UpdateService(ctx context.Context, s *rw.Service) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		var old serviceRow
		if err := tx.Where("id = ? AND vendor_id = ?", s.ID, s.VendorID).First(&old).Error; err != nil {
			return translate(err, "service")
		}
		s.CreatedAt, s.UpdatedAt = old.CreatedAt.UTC(), db.Now()
		r := serviceToRow(s)
		if err := tx.Save(&r).Error; err != nil {
			return translate(err, "service")
		}
		return db.touchVendor(tx, s.VendorID)
	})
}

// DeleteService removes one service of a vendor.
func (db *DB) DeleteService(ctx context.Context, vendorID, id int64) error {
	return db.deletePart(ctx, &serviceRow{}, vendorID, id, "service")
}

// CreateNetwork adds a network to an existing vendor.
func (db *DB) CreateNetwork(ctx context.Context, n *rw.Network) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.touchVendor(tx, n.VendorID); err != nil {
			return err
		}
		return insertNetwork(tx, n, db.Now())
	})
}

// UpdateNetwork replaces a network's fields; n.ID and n.VendorID select it.
func (db *DB) UpdateNetwork(ctx context.Context, n *rw.Network) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		var old networkRow
		if err := tx.Where("id = ? AND vendor_id = ?", n.ID, n.VendorID).First(&old).Error; err != nil {
			return translate(err, "network")
		}
		n.CreatedAt, n.UpdatedAt = old.CreatedAt.UTC(), db.Now()
		r := networkToRow(n)
		if err := tx.Save(&r).Error; err != nil {
			return asnConflict(translate(err, "network"), n.ASN)
		}
		return db.touchVendor(tx, n.VendorID)
	})
}

// DeleteNetwork removes one network of a vendor.
func (db *DB) DeleteNetwork(ctx context.Context, vendorID, id int64) error {
	return db.deletePart(ctx, &networkRow{}, vendorID, id, "network")
}

// CreateContact adds a contact to an existing vendor.
func (db *DB) CreateContact(ctx context.Context, c *rw.Contact) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.touchVendor(tx, c.VendorID); err != nil {
			return err
		}
		return insertContact(tx, c, db.Now())
	})
}

// DeleteContact removes one contact of a vendor.
func (db *DB) DeleteContact(ctx context.Context, vendorID, id int64) error {
	return db.deletePart(ctx, &contactRow{}, vendorID, id, "contact")
}

func (db *DB) deletePart(ctx context.Context, row any, vendorID, id int64, what string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND vendor_id = ?", id, vendorID).Delete(row)
		if res.Error != nil {
			return translate(res.Error, what)
		}
		if res.RowsAffected == 0 {
			return rw.Errorf(rw.ENOTFOUND, "The %s does not exist.", what)
		}
		return db.touchVendor(tx, vendorID)
	})
}

// FindNetworksByASN returns every vendor network with the given ASN.
func (db *DB) FindNetworksByASN(ctx context.Context, asn uint32) ([]*rw.Network, error) {
	var rows []networkRow
	if err := db.q(ctx).Where("asn = ?", int64(asn)).Order("vendor_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Network, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// FindNetworks returns every network of every vendor in one query, ordered by vendor and ASN.
func (db *DB) FindNetworks(ctx context.Context) ([]*rw.Network, error) {
	var rows []networkRow
	if err := db.q(ctx).Order("vendor_id, asn").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Network, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
