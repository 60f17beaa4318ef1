package store

import (
	"context"
	"fmt"
	"os"
	"time"

	rw "routewarden/internal/routewarden"
)

type signingKeyRow struct {
	Name           string `gorm:"primaryKey"`
	CertificatePEM string `gorm:"column:certificate_pem"`
	PrivateKeyPEM  string `gorm:"column:private_key_pem"`
	CreatedAt      time.Time
}

func (signingKeyRow) TableName() string { return "signing_keys" }

// EnsureSigningKey returns the key pair stored under name, storing the one create makes when
// there is none. Instances starting together may each call create, but the primary key lets
// exactly one insert win and every caller reads back that one pair. created reports whether
// this call's pair was stored. On SQLite the database file is made readable by its owner only.
func (db *DB) EnsureSigningKey(ctx context.Context, name string, create func() (certPEM, keyPEM []byte, err error)) ([]byte, []byte, bool, error) {
	if r, err := db.findSigningKey(ctx, name); err == nil {
		return []byte(r.CertificatePEM), []byte(r.PrivateKeyPEM), false, nil
	} else if rw.ErrorCode(err) != rw.ENOTFOUND {
		return nil, nil, false, err
	}
	certPEM, keyPEM, err := create()
	if err != nil {
		return nil, nil, false, err
	}
	res := db.q(ctx).Exec(`INSERT INTO signing_keys (name, certificate_pem, private_key_pem, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, string(certPEM), string(keyPEM), db.Now())
	if res.Error != nil {
		return nil, nil, false, translate(res.Error, "signing key")
	}
	if err := db.ownerOnly(); err != nil {
		return nil, nil, false, err
	}
	r, err := db.findSigningKey(ctx, name)
	if err != nil {
		return nil, nil, false, err
	}
	return []byte(r.CertificatePEM), []byte(r.PrivateKeyPEM), res.RowsAffected == 1, nil
}

// SigningCertificate returns the certificate stored under name (PEM), for verification.
func (db *DB) SigningCertificate(ctx context.Context, name string) ([]byte, error) {
	r, err := db.findSigningKey(ctx, name)
	if err != nil {
		return nil, err
	}
	return []byte(r.CertificatePEM), nil
}

func (db *DB) findSigningKey(ctx context.Context, name string) (*signingKeyRow, error) {
	var r signingKeyRow
	if err := db.q(ctx).Where("name = ?", name).Take(&r).Error; err != nil {
		return nil, translate(err, "signing key")
	}
	return &r, nil
}

// ownerOnly removes group and other permissions from a SQLite database that now holds a
// private key (files created by earlier versions may be readable by others).
func (db *DB) ownerOnly() error {
	if db.Dialect != SQLite {
		return nil
	}
	for _, p := range []string{db.path, db.path + "-wal", db.path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, st.Mode().Perm()&0o700); err != nil {
			return fmt.Errorf("restrict %s to its owner: %w", p, err)
		}
	}
	return nil
}
