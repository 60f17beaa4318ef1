// Package secret hashes passwords (argon2id) and creates and hashes random tokens for sessions,
// API access and invitation links. Only hashes are ever stored.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters (RFC 9106 second recommended option, lowered memory).
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// Default are the parameters for new password hashes: about 50 ms on one core here.
var Default = Params{Time: 2, Memory: 64 * 1024, Threads: 2}

// Fast are cheap parameters for tests and demo seeding; never for real accounts.
var Fast = Params{Time: 1, Memory: 8 * 1024, Threads: 1}

// HashPassword returns an encoded argon2id hash ("$argon2id$v=19$m=..,t=..,p=..$salt$hash").
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the encoded hash, in constant time.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ErrWeakPassword is returned by CheckStrength.
var ErrWeakPassword = errors.New("password must be at least 12 characters")

// CheckStrength enforces the minimum password length for real accounts.
func CheckStrength(password string) error {
	if len([]rune(password)) < 12 {
		return ErrWeakPassword
	}
	return nil
}

// NewToken returns a random token with the given prefix (e.g. "rw_") and 32 bytes of entropy,
// URL-safe.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token, the form in which tokens are stored. Tokens carry
// 256 bits of entropy, so a fast hash suffices.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
