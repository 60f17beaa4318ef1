package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"routewarden/internal/control"
)

type libraryRow struct {
	Name         string `gorm:"primaryKey"`
	Version      string `gorm:"primaryKey"`
	Released     string
	Digest       string
	RegisteredAt time.Time
}

func (libraryRow) TableName() string { return "control_libraries" }

// RegisteredLibraries returns every control-library version registered in the database.
func (db *DB) RegisteredLibraries(ctx context.Context) ([]control.Version, error) {
	var rows []libraryRow
	if err := db.q(ctx).Order("name, version").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]control.Version, len(rows))
	for i, r := range rows {
		out[i] = control.Version{Name: r.Name, Version: r.Version, Released: r.Released, Digest: r.Digest}
	}
	return out, nil
}

// RegisterLibraries records library versions not registered yet; registered ones are left alone
// (their digests are checked by control.Set.VerifyRegistered before this is called).
func (db *DB) RegisterLibraries(ctx context.Context, vs []control.Version) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		for _, v := range vs {
			r := libraryRow{Name: v.Name, Version: v.Version, Released: v.Released, Digest: v.Digest, RegisteredAt: db.Now()}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
