package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  *time.Time
}

func (userRow) TableName() string { return "users" }

func (r *userRow) domain() *rw.User {
	return &rw.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: rw.Role(r.Role), PasswordHash: r.PasswordHash,
		Disabled: r.Disabled, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), LastLoginAt: utcPtr(r.LastLoginAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// FindUserByID returns the user with the given ID.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*rw.User, error) {
	var r userRow
	if err := db.q(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err, "user")
	}
	return r.domain(), nil
}

// FindUserByEmail returns the user with the given e-mail address (case-insensitive).
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*rw.User, error) {
	var r userRow
	if err := db.q(ctx).Where("email = ?", rw.NormalizeEmail(email)).First(&r).Error; err != nil {
		return nil, translate(err, "user")
	}
	return r.domain(), nil
}

// FindUsers returns users matching f, ordered by e-mail, and the total count.
func (db *DB) FindUsers(ctx context.Context, f rw.UserFilter) ([]*rw.User, int, error) {
	q := db.q(ctx).Model(&userRow{})
	if f.Email != "" {
		q = q.Where("email = ?", rw.NormalizeEmail(f.Email))
	}
	if f.Role != "" {
		q = q.Where("role = ?", string(f.Role))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []userRow
	if err := q.Order("email").Offset(f.Offset).Limit(limit(f.Limit)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]*rw.User, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, int(total), nil
}

func limit(n int) int {
	if n <= 0 || n > 1000 {
		return 1000
	}
	return n
}

// CreateUser inserts u and sets its ID and timestamps.
func (db *DB) CreateUser(ctx context.Context, u *rw.User) error {
	if !u.Role.Valid() {
		return rw.FieldError("role", "Role must be one of admin, procurement, risk_officer, auditor.")
	}
	u.Email = rw.NormalizeEmail(u.Email)
	if !rw.ValidEmail(u.Email) {
		return rw.FieldError("email", "E-mail must be an address such as analyst@example.com.")
	}
	now := db.Now()
	r := userRow{Email: u.Email, Name: u.Name, Role: string(u.Role), PasswordHash: u.PasswordHash, Disabled: u.Disabled, CreatedAt: now, UpdatedAt: now}
	if err := db.q(ctx).Create(&r).Error; err != nil {
		return translate(err, "user")
	}
	*u = *r.domain()
	return nil
}

// UpdateUser changes the set fields of upd. It refuses to demote or disable the last active
// administrator, and signs the user out everywhere when the password, role or status changes;
// a new password also revokes the user's API tokens.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd rw.UserUpdate) (*rw.User, error) {
	var out *rw.User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var r userRow
		if err := tx.First(&r, id).Error; err != nil {
			return translate(err, "user")
		}
		wasAdmin := r.Role == string(rw.RoleAdmin) && !r.Disabled
		if upd.Name != nil {
			r.Name = *upd.Name
		}
		if upd.Role != nil {
			if !upd.Role.Valid() {
				return rw.FieldError("role", "Role must be one of admin, procurement, risk_officer, auditor.")
			}
			r.Role = string(*upd.Role)
		}
		if upd.Disabled != nil {
			r.Disabled = *upd.Disabled
		}
		if upd.PasswordHash != nil {
			r.PasswordHash = *upd.PasswordHash
		}
		if wasAdmin && (r.Role != string(rw.RoleAdmin) || r.Disabled) {
			var admins int64
			if err := tx.Model(&userRow{}).Where("role = ? AND disabled = ? AND id <> ?", "admin", false, id).Count(&admins).Error; err != nil {
				return err
			}
			if admins == 0 {
				return rw.Errorf(rw.ECONFLICT, "This is the last active administrator; make someone else an administrator first.")
			}
		}
		r.UpdatedAt = db.Now()
		if err := tx.Save(&r).Error; err != nil {
			return translate(err, "user")
		}
		if upd.Role != nil || upd.Disabled != nil || upd.PasswordHash != nil {
			if err := tx.Where("user_id = ?", id).Delete(&sessionRow{}).Error; err != nil {
				return err
			}
		}
		if upd.PasswordHash != nil {
			// A new password is a reset: whoever held the old one may have made tokens with it.
			if _, err := deleteUserAPITokens(tx, id); err != nil {
				return err
			}
		}
		out = r.domain()
		return nil
	})
	return out, err
}

// TouchUserLogin records a successful sign-in.
func (db *DB) TouchUserLogin(ctx context.Context, id int64, at time.Time) error {
	return db.q(ctx).Model(&userRow{}).Where("id = ?", id).Update("last_login_at", at).Error
}

// CountAdmins returns the number of active administrators.
func (db *DB) CountAdmins(ctx context.Context) (int, error) {
	var n int64
	err := db.q(ctx).Model(&userRow{}).Where("role = ? AND disabled = ?", "admin", false).Count(&n).Error
	return int(n), err
}
