package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

// DefaultAPITokenTTL is the lifetime of an API token created without an explicit expiry.
const DefaultAPITokenTTL = 90 * 24 * time.Hour

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
	ExpiresAt  *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func (r *apiTokenRow) domain(u *rw.User) *rw.APIToken {
	t := &rw.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, TokenHash: r.TokenHash, CreatedAt: r.CreatedAt.UTC(),
		LastUsedAt: utcPtr(r.LastUsedAt), User: u}
	if r.ExpiresAt != nil {
		t.ExpiresAt = r.ExpiresAt.UTC()
	}
	return t
}

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

// CreateAPIToken stores a token's hash. A zero ExpiresAt means DefaultAPITokenTTL from now; an
// expiry in the past is refused.
func (db *DB) CreateAPIToken(ctx context.Context, t *rw.APIToken) error {
	now := db.Now()
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = now.Add(DefaultAPITokenTTL)
	}
	if !t.ExpiresAt.After(now) {
		return rw.FieldError("expires", "The token's expiry (%s) is not in the future.", t.ExpiresAt.Format(time.RFC3339))
	}
	exp := t.ExpiresAt.UTC()
	r := apiTokenRow{UserID: t.UserID, Name: t.Name, TokenHash: t.TokenHash, CreatedAt: now, ExpiresAt: &exp}
	if err := db.q(ctx).Create(&r).Error; err != nil {
		return translate(err, "API token")
	}
	t.ID, t.CreatedAt = r.ID, r.CreatedAt
	return nil
}

// FindAPIToken returns the unexpired token with the given hash and its (enabled) user.
func (db *DB) FindAPIToken(ctx context.Context, tokenHash string) (*rw.APIToken, error) {
	var r apiTokenRow
	if err := db.q(ctx).Where("token_hash = ?", tokenHash).First(&r).Error; err != nil {
		return nil, translate(err, "API token")
	}
	if r.ExpiresAt == nil || !r.ExpiresAt.After(db.Now()) {
		return nil, rw.Errorf(rw.EUNAUTHORIZED, "This API token has expired; create a new one with `routewarden token create`.")
	}
	u, err := db.FindUserByID(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, rw.Errorf(rw.EUNAUTHORIZED, "This account is disabled.")
	}
	return r.domain(u), nil
}

// TouchAPIToken records the token's last use.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return db.q(ctx).Model(&apiTokenRow{}).Where("id = ?", id).Update("last_used_at", at).Error
}

// FindAPITokens lists the API tokens of one user (userID 0: of everyone), oldest first, with
// their users; expired tokens are included so that they can be seen and revoked. Hashes are
// returned but never the tokens themselves, which are not stored.
func (db *DB) FindAPITokens(ctx context.Context, userID int64) ([]*rw.APIToken, error) {
	q := db.q(ctx).Order("id")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	var rows []apiTokenRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	users := map[int64]*rw.User{}
	out := make([]*rw.APIToken, len(rows))
	for i := range rows {
		u, ok := users[rows[i].UserID]
		if !ok {
			var err error
			if u, err = db.FindUserByID(ctx, rows[i].UserID); err != nil {
				return nil, err
			}
			users[rows[i].UserID] = u
		}
		out[i] = rows[i].domain(u)
	}
	return out, nil
}

// DeleteAPIToken revokes one token; an unknown ID is a not-found error.
func (db *DB) DeleteAPIToken(ctx context.Context, id int64) error {
	res := db.q(ctx).Where("id = ?", id).Delete(&apiTokenRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return rw.Errorf(rw.ENOTFOUND, "There is no API token with ID %d.", id)
	}
	return nil
}

// DeleteUserAPITokens revokes every token of a user and returns how many there were.
func (db *DB) DeleteUserAPITokens(ctx context.Context, userID int64) (int64, error) {
	return deleteUserAPITokens(db.q(ctx), userID)
}

func deleteUserAPITokens(tx *gorm.DB, userID int64) (int64, error) {
	res := tx.Where("user_id = ?", userID).Delete(&apiTokenRow{})
	return res.RowsAffected, res.Error
}
