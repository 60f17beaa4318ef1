package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

type registerEntityRow struct {
	ID                 int64  `gorm:"primaryKey"`
	LEI                string `gorm:"column:lei"`
	Name               string
	Country            string
	EntityType         string
	CompetentAuthority string
	Currency           string
	UpdatedAt          time.Time
}

func (registerEntityRow) TableName() string { return "register_entity" }

// FindRegisterEntity returns the entity maintaining the register of information, or an empty
// one (currency EUR) when none was saved yet.
func (db *DB) FindRegisterEntity(ctx context.Context) (*rw.RegisterEntity, error) {
	var r registerEntityRow
	err := db.q(ctx).First(&r, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &rw.RegisterEntity{Currency: "EUR"}, nil
	}
	if err != nil {
		return nil, translate(err, "register entity")
	}
	return &rw.RegisterEntity{LEI: r.LEI, Name: r.Name, Country: r.Country, EntityType: r.EntityType,
		CompetentAuthority: r.CompetentAuthority, Currency: r.Currency, UpdatedAt: r.UpdatedAt.UTC()}, nil
}

// SaveRegisterEntity validates and stores the entity maintaining the register (one row).
func (db *DB) SaveRegisterEntity(ctx context.Context, e *rw.RegisterEntity) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = db.Now()
	r := registerEntityRow{ID: 1, LEI: e.LEI, Name: e.Name, Country: e.Country, EntityType: e.EntityType,
		CompetentAuthority: e.CompetentAuthority, Currency: e.Currency, UpdatedAt: e.UpdatedAt}
	err := db.q(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, UpdateAll: true}).Create(&r).Error
	return translate(err, "register entity")
}
