package attest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DevKeyName is the name the shared development signer is stored under.
const DevKeyName = "development"

// KeyStore keeps signing keys in the database that every instance shares.
type KeyStore interface {
	// EnsureSigningKey returns the key pair stored under name. When there is none it stores the
	// pair that create makes, unless a concurrent caller stored one first: every caller gets
	// the one pair that was stored. created reports whether this call stored it.
	EnsureSigningKey(ctx context.Context, name string, create func() (certPEM, keyPEM []byte, err error)) (certPEM, keyPEM []byte, created bool, err error)
}

// EnsureSharedDevSigner returns the development signer kept in the database, so that several
// instances on one database sign with one key and verify each other's attestations. On first
// use it adopts the development certificate of legacyDir (where earlier versions kept it, so
// that attestations already issued stay valid) or makes a new one. The returned Signer has
// Dev set.
func EnsureSharedDevSigner(ctx context.Context, ks KeyStore, legacyDir string) (s Signer, created bool, err error) {
	certPEM, keyPEM, created, err := ks.EnsureSigningKey(ctx, DevKeyName, func() ([]byte, []byte, error) {
		return legacyOrNewDevSigner(legacyDir, time.Now())
	})
	if err != nil {
		return Signer{}, false, fmt.Errorf("attest: development signer: %w", err)
	}
	s, err = ParseDevSigner(certPEM, keyPEM)
	return s, created, err
}

// ParseDevSigner reads a stored development signer and refuses anything else.
func ParseDevSigner(certPEM, keyPEM []byte) (Signer, error) {
	const name = "stored development signer"
	certs, err := parseCertPEM(name, certPEM)
	if err != nil {
		return Signer{}, err
	}
	key, err := parseKeyPEM(name, keyPEM)
	if err != nil {
		return Signer{}, err
	}
	s, err := newSigner(name, key, certs)
	if err == nil && !s.Dev {
		err = errors.New("attest: the stored development signer is not a Routewarden development certificate")
	}
	return s, err
}

func legacyOrNewDevSigner(dir string, now time.Time) ([]byte, []byte, error) {
	if dir != "" {
		certPEM, certErr := os.ReadFile(filepath.Join(dir, DevCertFile))
		keyPEM, keyErr := os.ReadFile(filepath.Join(dir, DevKeyFile))
		if certErr == nil && keyErr == nil {
			if _, err := ParseDevSigner(certPEM, keyPEM); err != nil {
				return nil, nil, fmt.Errorf("%s in %s: %w", DevCertFile, dir, err)
			}
			return certPEM, keyPEM, nil
		}
		for _, err := range []error{certErr, keyErr} {
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, nil, err
			}
		}
	}
	return NewDevSignerPEM(now)
}
