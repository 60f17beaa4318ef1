package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type auditRow struct {
	ID           int64 `gorm:"primaryKey;autoIncrement:false"`
	AssessmentID int64
	Actor        string
	Action       string
	Detail       string
	At           time.Time
	PrevHash     string
	Hash         string
}

func (auditRow) TableName() string { return "audit_events" }

func (r *auditRow) domain() *rw.AuditEvent {
	return &rw.AuditEvent{ID: r.ID, AssessmentID: r.AssessmentID, Actor: r.Actor, Action: r.Action, Detail: r.Detail,
		At: r.At.UTC(), PrevHash: r.PrevHash, Hash: r.Hash}
}

type auditChainRow struct {
	ID        int64 `gorm:"primaryKey;autoIncrement:false"`
	KeyID     string
	KeyedFrom int64
	CreatedAt time.Time
}

func (auditChainRow) TableName() string { return "audit_chain" }

// auditKey is the HMAC key of the chain as this process knows it.
type auditKey struct {
	key    []byte // nil: no key available
	id     string // rw.AuditKeyID(key)
	source string // where it came from, or where it should be put, for messages
	// create makes a key when the chain has none and key is nil (SetAuditKeyCreator).
	create func() ([]byte, string, error)
}

// auditLockID is the PostgreSQL transaction lock key that serialises appends to the chain
// ("rwau" in ASCII). SQLite serialises writers by itself (immediate transactions).
const auditLockID = 0x72776175

// SetAuditKey tells the store the chain's HMAC key and where it came from (an environment
// variable or a file, for messages; never the key itself). A nil key records only source, the
// place the key should be put. It writes nothing: the chain is keyed by the first append after
// it (or EnsureAuditChain).
func (db *DB) SetAuditKey(key []byte, source string) {
	k := &auditKey{source: source}
	if key != nil {
		k.key, k.id = append([]byte(nil), key...), rw.AuditKeyID(key)
	}
	db.audit.Store(k)
}

// SetAuditKeyCreator sets how to obtain a key (and its source) when the chain has no key mark
// yet and no key was set: create is called inside the first append's transaction, so a database
// that is never written to — a restore target, a read-only inspection — never gets a key. The
// source of the key-less state is kept for messages.
func (db *DB) SetAuditKeyCreator(source string, create func() ([]byte, string, error)) {
	db.audit.Store(&auditKey{source: source, create: create})
}

// CheckAuditKey reports, without writing, whether this process can append to the chain: an
// error wrapping ErrAuditKey when the chain is keyed and the key is missing or another one.
func (db *DB) CheckAuditKey(ctx context.Context) error {
	ch, err := db.AuditChain(ctx)
	if rw.ErrorCode(err) == rw.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	return db.auditKeyState().check(ch)
}

func (k *auditKey) check(ch *rw.AuditChain) error {
	switch {
	case k.key == nil:
		return fmt.Errorf("%w: the audit chain of this database is keyed (key id %.16s…) but this instance has no audit key; "+
			"set ROUTEWARDEN_AUDIT_KEY or copy the audit.key file of the instance that keyed it to %s", ErrAuditKey, ch.KeyID, k.source)
	case k.id != ch.KeyID:
		return fmt.Errorf("%w: the audit key from %s (key id %.16s…) is not the key this database's audit chain is keyed with "+
			"(key id %.16s…); set ROUTEWARDEN_AUDIT_KEY or audit.key to the key of the instance that keyed it", ErrAuditKey, k.source, k.id, ch.KeyID)
	}
	return nil
}

// AuditChain returns the database's key mark; ENOTFOUND when the chain was never keyed.
func (db *DB) AuditChain(ctx context.Context) (*rw.AuditChain, error) {
	return findAuditChain(db.q(ctx))
}

func findAuditChain(q *gorm.DB) (*rw.AuditChain, error) {
	var r auditChainRow
	if err := q.Take(&r, 1).Error; err != nil {
		return nil, translate(err, "audit key mark")
	}
	return &rw.AuditChain{KeyID: r.KeyID, KeyedFrom: r.KeyedFrom, CreatedAt: r.CreatedAt.UTC()}, nil
}

// EnsureAuditChain keys the chain with the key given to SetAuditKey when the database has no
// keyed chain yet (the next event is the first with an HMAC), and checks the key against the
// mark when it has one. It returns the mark, or an error naming the key's source when the key
// is missing or is not the chain's.
func (db *DB) EnsureAuditChain(ctx context.Context) (*rw.AuditChain, error) {
	var out *rw.AuditChain
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockAudit(tx); err != nil {
			return err
		}
		var err error
		out, err = db.auditChainFor(tx)
		return err
	})
	return out, err
}

func (db *DB) lockAudit(tx *gorm.DB) error {
	if db.Dialect == Postgres {
		return tx.Exec(`SELECT pg_advisory_xact_lock(?)`, auditLockID).Error
	}
	return nil
}

// auditChainFor returns the chain mark inside tx, creating it when this process has a key (or
// can create one) and the chain has none, and fails when the chain is keyed but this process has
// no key or another one. It returns nil for an unkeyed chain and no key (databases and tests
// without a key).
func (db *DB) auditChainFor(tx *gorm.DB) (*rw.AuditChain, error) {
	k := db.auditKeyState()
	ch, err := findAuditChain(tx)
	switch {
	case rw.ErrorCode(err) == rw.ENOTFOUND:
		if k.key == nil && k.create != nil {
			key, source, err := k.create()
			if err != nil {
				return nil, fmt.Errorf("create the audit key: %w", err)
			}
			db.SetAuditKey(key, source)
			k = db.auditKeyState()
		}
		if k.key == nil {
			return nil, nil
		}
		var last auditRow
		if err := tx.Order("id DESC").Limit(1).Find(&last).Error; err != nil {
			return nil, err
		}
		r := auditChainRow{ID: 1, KeyID: k.id, KeyedFrom: last.ID + 1, CreatedAt: db.Now()}
		if err := tx.Create(&r).Error; err != nil {
			return nil, fmt.Errorf("mark the audit chain keyed: %w", err)
		}
		return &rw.AuditChain{KeyID: r.KeyID, KeyedFrom: r.KeyedFrom, CreatedAt: r.CreatedAt}, nil
	case err != nil:
		return nil, err
	}
	return ch, k.check(ch)
}

// ErrAuditKey marks a missing or wrong audit key: the audit log cannot be appended to.
var ErrAuditKey = errors.New("audit log is read-only")

func (db *DB) auditKeyState() *auditKey {
	if k := db.audit.Load(); k != nil {
		return k
	}
	return &auditKey{source: "the data directory"}
}

// appendAudit adds ev to the chain inside tx: it takes the last entry's hash as PrevHash and the
// next ID, then stores the entry with its hash (its HMAC once the chain is keyed).
func (db *DB) appendAudit(tx *gorm.DB, ev rw.AuditEvent) error {
	if err := db.lockAudit(tx); err != nil {
		return err
	}
	ch, err := db.auditChainFor(tx)
	if err != nil {
		return err
	}
	var last auditRow
	if err := tx.Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	ev.ID, ev.PrevHash = last.ID+1, last.Hash
	if last.ID == 0 {
		ev.PrevHash = rw.GenesisHash
	}
	// Stored with microsecond precision (PostgreSQL's), so the hash must cover exactly that.
	ev.At = db.Now().Truncate(time.Microsecond)
	if ch != nil && ev.ID >= ch.KeyedFrom {
		ev.Hash = ev.ComputeMAC(db.auditKeyState().key)
	} else {
		ev.Hash = ev.ComputeHash()
	}
	r := auditRow{ID: ev.ID, AssessmentID: ev.AssessmentID, Actor: ev.Actor, Action: ev.Action, Detail: ev.Detail,
		At: ev.At, PrevHash: ev.PrevHash, Hash: ev.Hash}
	return tx.Create(&r).Error
}

// auditHead returns the newest event's ID and hash inside tx (0 and "" for an empty log).
func auditHead(tx *gorm.DB) (int64, string, error) {
	var last auditRow
	err := tx.Order("id DESC").Limit(1).Find(&last).Error
	return last.ID, last.Hash, err
}

// AppendAudit records an event that is not part of another change.
func (db *DB) AppendAudit(ctx context.Context, ev rw.AuditEvent) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.appendAudit(tx, ev) })
}

// FindAuditEvents returns the events about one assessment, oldest first.
func (db *DB) FindAuditEvents(ctx context.Context, assessmentID int64) ([]*rw.AuditEvent, error) {
	var rows []auditRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.AuditEvent, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
