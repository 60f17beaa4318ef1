package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

// chunkSize bounds one stored piece of a compressed file, so that no single row gets huge.
const chunkSize = 8 << 20

type snapshotRow struct {
	ID          int64 `gorm:"primaryKey"`
	Kind        string
	Source      string
	Format      string
	DataTime    *time.Time
	ImportedAt  time.Time
	Records     int64
	Skipped     int64
	Digest      string
	Demo        bool
	Description string
}

func (snapshotRow) TableName() string { return "snapshots" }

type snapshotFileRow struct {
	SnapshotID int64 `gorm:"primaryKey"`
	Seq        int   `gorm:"primaryKey"`
	Name       string
	SHA256     string `gorm:"column:sha256"`
	Size       int64
}

func (snapshotFileRow) TableName() string { return "snapshot_files" }

type snapshotChunkRow struct {
	SnapshotID int64 `gorm:"primaryKey"`
	FileSeq    int   `gorm:"primaryKey"`
	ChunkSeq   int   `gorm:"primaryKey"`
	Data       []byte
}

func (snapshotChunkRow) TableName() string { return "snapshot_chunks" }

func (r *snapshotRow) domain() *rw.Snapshot {
	return &rw.Snapshot{ID: r.ID, Kind: r.Kind, Source: r.Source, Format: r.Format, DataTime: utcPtr(r.DataTime),
		ImportedAt: r.ImportedAt.UTC(), Records: r.Records, Skipped: r.Skipped, Digest: r.Digest, Demo: r.Demo, Description: r.Description}
}

// CreateSnapshot stores a snapshot with its files, compressed, in one transaction: a failed
// import leaves nothing behind.
func (db *DB) CreateSnapshot(ctx context.Context, s *rw.Snapshot) error {
	if !rw.ValidSnapshotKind(s.Kind) {
		return rw.Errorf(rw.EINVALID, "Unknown snapshot kind %q.", s.Kind)
	}
	s.ImportedAt = db.Now()
	return db.tx(ctx, func(tx *gorm.DB) error {
		r := snapshotRow{Kind: s.Kind, Source: s.Source, Format: s.Format, DataTime: s.DataTime, ImportedAt: s.ImportedAt,
			Records: s.Records, Skipped: s.Skipped, Digest: s.Digest, Demo: s.Demo, Description: s.Description}
		if err := tx.Create(&r).Error; err != nil {
			return translate(err, "snapshot")
		}
		s.ID = r.ID
		for i, f := range s.Files {
			if err := tx.Create(&snapshotFileRow{SnapshotID: r.ID, Seq: i, Name: f.Name, SHA256: f.SHA256, Size: f.Size}).Error; err != nil {
				return translate(err, "snapshot file")
			}
			if err := storeChunks(tx, r.ID, i, f.Data); err != nil {
				return fmt.Errorf("store %s: %w", f.Name, err)
			}
		}
		return nil
	})
}

func storeChunks(tx *gorm.DB, id int64, seq int, data []byte) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	b := buf.Bytes()
	for n := 0; n == 0 || len(b) > 0; n++ {
		k := min(len(b), chunkSize)
		if err := tx.Create(&snapshotChunkRow{SnapshotID: id, FileSeq: seq, ChunkSeq: n, Data: b[:k]}).Error; err != nil {
			return err
		}
		b = b[k:]
	}
	return nil
}

// FindSnapshots lists snapshots, newest first, optionally of one kind, with their files.
func (db *DB) FindSnapshots(ctx context.Context, kind string) ([]*rw.Snapshot, error) {
	q := db.q(ctx).Order("id DESC")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var rows []snapshotRow
	if err := q.Limit(500).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Snapshot, len(rows))
	byID := map[int64]*rw.Snapshot{}
	ids := make([]int64, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
		byID[rows[i].ID], ids[i] = out[i], rows[i].ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var files []snapshotFileRow
	if err := db.q(ctx).Where("snapshot_id IN ?", ids).Order("snapshot_id, seq").Find(&files).Error; err != nil {
		return nil, err
	}
	for _, f := range files {
		s := byID[f.SnapshotID]
		s.Files = append(s.Files, rw.SnapshotFile{Name: f.Name, SHA256: f.SHA256, Size: f.Size})
	}
	return out, nil
}

// LatestSnapshot returns the newest snapshot of a kind.
func (db *DB) LatestSnapshot(ctx context.Context, kind string) (*rw.Snapshot, error) {
	var r snapshotRow
	if err := db.q(ctx).Where("kind = ?", kind).Order("id DESC").First(&r).Error; err != nil {
		if rw.ErrorCode(translate(err, "")) == rw.ENOTFOUND {
			return nil, rw.Errorf(rw.ENOTFOUND, "No %s data has been imported.", kind)
		}
		return nil, err
	}
	return db.FindSnapshotByID(ctx, r.ID)
}

// FindSnapshotByID returns a snapshot with its file list (not the file data).
func (db *DB) FindSnapshotByID(ctx context.Context, id int64) (*rw.Snapshot, error) {
	var r snapshotRow
	if err := db.q(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err, "snapshot")
	}
	s := r.domain()
	var files []snapshotFileRow
	if err := db.q(ctx).Where("snapshot_id = ?", id).Order("seq").Find(&files).Error; err != nil {
		return nil, err
	}
	for _, f := range files {
		s.Files = append(s.Files, rw.SnapshotFile{Name: f.Name, SHA256: f.SHA256, Size: f.Size})
	}
	return s, nil
}

// OpenSnapshotFile returns the original bytes of file i of snapshot id, decompressed as read.
func (db *DB) OpenSnapshotFile(ctx context.Context, id int64, i int) (io.ReadCloser, error) {
	var chunks []snapshotChunkRow
	if err := db.q(ctx).Where("snapshot_id = ? AND file_seq = ?", id, i).Order("chunk_seq").Find(&chunks).Error; err != nil {
		return nil, err
	}
	if len(chunks) == 0 {
		return nil, rw.Errorf(rw.ENOTFOUND, "Snapshot %d has no file %d.", id, i)
	}
	readers := make([]io.Reader, len(chunks))
	for k := range chunks {
		readers[k] = bytes.NewReader(chunks[k].Data)
	}
	zr, err := gzip.NewReader(io.MultiReader(readers...))
	if err != nil {
		return nil, fmt.Errorf("snapshot %d file %d: %w", id, i, err)
	}
	return zr, nil
}

type checkResultRow struct {
	ASN        int64  `gorm:"column:asn;primaryKey"`
	CheckID    string `gorm:"primaryKey"`
	Status     string
	Figure     *float64
	Summary    string
	Details    string
	Snapshots  string
	ComputedAt time.Time
}

func (checkResultRow) TableName() string { return "check_results" }

// SaveCheckResults replaces the stored results for the (ASN, check) pairs given, in one
// transaction.
func (db *DB) SaveCheckResults(ctx context.Context, rs []rw.CheckResult) error {
	rows := make([]checkResultRow, len(rs))
	for i, r := range rs {
		d, err := json.Marshal(r.Details)
		if err != nil {
			return err
		}
		rows[i] = checkResultRow{ASN: int64(r.ASN), CheckID: r.Check, Status: string(r.Status), Figure: r.Figure, Summary: r.Summary,
			Details: string(d), Snapshots: joinIDs(r.Snapshots), ComputedAt: r.ComputedAt}
	}
	if len(rows) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(rows, 500).Error
	})
}

// FindCheckResults returns the stored results for one ASN, ordered by check ID.
func (db *DB) FindCheckResults(ctx context.Context, asn uint32) ([]rw.CheckResult, error) {
	var rows []checkResultRow
	if err := db.q(ctx).Where("asn = ?", int64(asn)).Order("check_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]rw.CheckResult, len(rows))
	for i, r := range rows {
		out[i] = rw.CheckResult{ASN: uint32(r.ASN), Check: r.CheckID, Status: rw.CheckStatus(r.Status), Figure: r.Figure,
			Summary: r.Summary, ComputedAt: r.ComputedAt.UTC()}
		_ = json.Unmarshal([]byte(r.Details), &out[i].Details)
		out[i].Snapshots = splitIDs(r.Snapshots)
	}
	return out, nil
}

// joinIDs and splitIDs store a list of IDs as comma-separated text.
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// LatestSnapshotIDs returns the newest snapshot ID per kind, in one query.
func (db *DB) LatestSnapshotIDs(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Kind string
		ID   int64
	}
	if err := db.q(ctx).Raw(`SELECT kind, MAX(id) AS id FROM snapshots GROUP BY kind`).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Kind] = r.ID
	}
	return out, nil
}
