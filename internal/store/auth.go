package store

import (
	"context"
	"time"

	rw "routewarden/internal/routewarden"
)

type sessionRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    int64
	CSRFToken string `gorm:"column:csrf_token"`
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type apiTokenRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

// CreateSession stores a new session and removes expired ones.
func (db *DB) CreateSession(ctx context.Context, s *rw.Session) error {
	now := db.Now()
	if err := db.q(ctx).Where("expires_at < ?", now).Delete(&sessionRow{}).Error; err != nil {
		return err
	}
	r := sessionRow{TokenHash: s.TokenHash, UserID: s.UserID, CSRFToken: s.CSRFToken, CreatedAt: now, ExpiresAt: s.ExpiresAt}
	s.CreatedAt = now
	return translate(db.q(ctx).Create(&r).Error, "session")
}

// FindSession returns the unexpired session with the given token hash and its (enabled) user.
func (db *DB) FindSession(ctx context.Context, tokenHash string, now time.Time) (*rw.Session, error) {
	var r sessionRow
	if err := db.q(ctx).Where("token_hash = ? AND expires_at > ?", tokenHash, now).First(&r).Error; err != nil {
		return nil, translate(err, "session")
	}
	u, err := db.FindUserByID(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, rw.Errorf(rw.EUNAUTHORIZED, "This account is disabled.")
	}
	return &rw.Session{TokenHash: r.TokenHash, UserID: r.UserID, CSRFToken: r.CSRFToken, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), User: u}, nil
}

// DeleteSession signs a session out.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.q(ctx).Where("token_hash = ?", tokenHash).Delete(&sessionRow{}).Error
}

// DeleteUserSessions signs a user out everywhere.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.q(ctx).Where("user_id = ?", userID).Delete(&sessionRow{}).Error
}

// CreateAPIToken stores a token's hash.
func (db *DB) CreateAPIToken(ctx context.Context, t *rw.APIToken) error {
	r := apiTokenRow{UserID: t.UserID, Name: t.Name, TokenHash: t.TokenHash, CreatedAt: db.Now()}
	if err := db.q(ctx).Create(&r).Error; err != nil {
		return translate(err, "API token")
	}
	t.ID, t.CreatedAt = r.ID, r.CreatedAt
	return nil
}

// FindAPIToken returns the token with the given hash and its (enabled) user.
func (db *DB) FindAPIToken(ctx context.Context, tokenHash string) (*rw.APIToken, error) {
	var r apiTokenRow
	if err := db.q(ctx).Where("token_hash = ?", tokenHash).First(&r).Error; err != nil {
		return nil, translate(err, "API token")
	}
	u, err := db.FindUserByID(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, rw.Errorf(rw.EUNAUTHORIZED, "This account is disabled.")
	}
	return &rw.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, TokenHash: r.TokenHash, CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt), User: u}, nil
}

// TouchAPIToken records the token's last use.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return db.q(ctx).Model(&apiTokenRow{}).Where("id = ?", id).Update("last_used_at", at).Error
}
