package routewarden

import (
	"context"
	"strings"
	"time"
)

// Role is what a user may do. Roles are fixed; their permissions are defined in Can.
type Role string

// The roles of Routewarden.
const (
	RoleAdmin       Role = "admin"
	RoleProcurement Role = "procurement"
	RoleRiskOfficer Role = "risk_officer"
	RoleAuditor     Role = "auditor" // read-only
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleProcurement, RoleRiskOfficer, RoleAuditor}

// Label returns the role's human name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administrator"
	case RoleProcurement:
		return "Procurement analyst"
	case RoleRiskOfficer:
		return "Risk officer"
	case RoleAuditor:
		return "Auditor (read-only)"
	}
	return string(r)
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Permission names one thing a role may do.
type Permission string

// Permissions checked by every route.
const (
	PermRead        Permission = "read"         // see vendors, networks, results
	PermVendorWrite Permission = "vendor:write" // create, edit, delete vendors and their parts
	PermUserAdmin   Permission = "user:admin"   // manage users and roles

	PermAssessmentWrite  Permission = "assessment:write"  // create, send, chase and review assessments
	PermAssessmentDecide Permission = "assessment:decide" // approve or reject assessments, waive risks
	PermAttest           Permission = "attest"            // sign attestations
	PermDataImport       Permission = "data:import"       // import routing-data snapshots
)

var rolePerms = map[Role][]Permission{
	RoleAdmin:       {PermRead, PermVendorWrite, PermUserAdmin, PermAssessmentWrite, PermAssessmentDecide, PermAttest, PermDataImport},
	RoleProcurement: {PermRead, PermVendorWrite, PermAssessmentWrite},
	RoleRiskOfficer: {PermRead, PermAssessmentDecide, PermAttest},
	RoleAuditor:     {PermRead},
}

// Can reports whether the role holds permission p.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePerms[r] {
		if x == p {
			return true
		}
	}
	return false
}

// User is a person who signs in to Routewarden.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	PasswordHash string // an encoded argon2id hash; never shown or logged
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  *time.Time
}

// NormalizeEmail lower-cases and trims an e-mail address for storage and lookup.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// UserFilter selects users.
type UserFilter struct {
	Email  string
	Role   Role
	Offset int
	Limit  int
}

// UserUpdate holds the fields of a user that may change; nil means unchanged.
type UserUpdate struct {
	Name         *string
	Role         *Role
	Disabled     *bool
	PasswordHash *string
}

// UserStore persists users.
type UserStore interface {
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	TouchUserLogin(ctx context.Context, id int64, at time.Time) error
	CountAdmins(ctx context.Context) (int, error)
}

// Session is a signed-in browser session. The raw token lives only in the cookie; the store keeps
// its SHA-256.
type Session struct {
	TokenHash string
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
	User      *User // filled on lookup
}

// APIToken is a bearer token for the REST API. Only its SHA-256 is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// ExpiresAt is when the token stops working; a token is refused from then on.
	ExpiresAt time.Time
	User      *User // filled on lookup
}

// AuthStore persists sessions and API tokens.
type AuthStore interface {
	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, tokenHash string, now time.Time) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPIToken(ctx context.Context, tokenHash string) (*APIToken, error)
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
}
