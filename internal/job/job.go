// Package job runs Routewarden's background work on River, a job queue that lives in the
// database (riversqlite on SQLite, riverdatabasesql on PostgreSQL): scheduled source syncs and
// portfolio re-checks, and webhook deliveries enqueued in the transaction that causes them.
// Several instances on one PostgreSQL share the queue; River's leader election makes each
// scheduled job run once.
package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"
)

// Config sets up the queue.
type Config struct {
	Dialect string // "sqlite" or "postgres"
	// Workers is the number of jobs worked at once; 0 makes an insert-only client (web only,
	// or a CLI command that enqueues).
	Workers int
	// SyncSchedule and RecheckSchedule are cron expressions ("off" disables).
	SyncSchedule, RecheckSchedule string
	// RetryBase is the first retry delay; each retry doubles it, up to an hour. Default 15 s.
	RetryBase time.Duration
	// PollInterval is how often workers look for new jobs (SQLite has no LISTEN). Default 1 s.
	PollInterval time.Duration
	Logger       *slog.Logger
	// ID names this client in leader election (default: River's).
	ID string
}

// Default schedules: sources daily at 04:15 UTC, the portfolio re-check hourly at :30.
const (
	DefaultSyncSchedule    = "15 4 * * *"
	DefaultRecheckSchedule = "30 * * * *"
)

// ParseSchedule parses a cron expression (five fields, or @hourly/@daily/@every 1h) or "off".
// It returns nil for off.
func ParseSchedule(name, expr string) (cron.Schedule, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" || strings.EqualFold(expr, "off") {
		return nil, nil
	}
	s, err := cron.ParseStandard(expr)
	if err != nil {
		return nil, fmt.Errorf("%s schedule %q: %v (use cron syntax such as \"30 * * * *\", or off)", name, expr, err)
	}
	return s, nil
}

// Queue is a River client with Routewarden's workers.
type Queue struct {
	db      *sql.DB
	client  *river.Client[*sql.Tx]
	driver  riverdriver.Driver[*sql.Tx]
	workers int
}

// Migrate creates or updates River's own tables (River owns their schema and migrations).
func Migrate(ctx context.Context, db *sql.DB, dialect string) error {
	m, err := rivermigrate.New(driverFor(db, dialect), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

func driverFor(db *sql.DB, dialect string) riverdriver.Driver[*sql.Tx] {
	if dialect == "postgres" {
		return riverdatabasesql.New(db)
	}
	return riversqlite.New(db)
}

// New builds the queue over db with the given workers registered (see Workers).
func New(db *sql.DB, cfg Config, w *Workers) (*Queue, error) {
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 15 * time.Second
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{
		ID:                cfg.ID,
		Logger:            cfg.Logger,
		Workers:           w.river,
		MaxAttempts:       8,
		RetryPolicy:       backoff{base: cfg.RetryBase},
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, 100*time.Millisecond),
		JobTimeout:        10 * time.Minute,
		PollOnly:          true,
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		for _, p := range []struct {
			name, expr string
			args       river.JobArgs
		}{{"sync", cfg.SyncSchedule, SyncArgs{}}, {"recheck", cfg.RecheckSchedule, RecheckArgs{}},
			{"mail", "@every 1m", MailArgs{}}, {"reminders", "@hourly", RemindArgs{}}} {
			s, err := ParseSchedule(p.name, p.expr)
			if err != nil {
				return nil, err
			}
			if s == nil || !w.has(p.args.Kind()) {
				continue
			}
			args, period := p.args, interval(s)
			// Leader election already makes one instance enqueue; uniqueness per period also
			// covers a change of leader in the middle of one.
			rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(s, func() (river.JobArgs, *river.InsertOpts) {
				return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: period}}
			}, &river.PeriodicJobOpts{ID: p.name}))
		}
	}
	drv := driverFor(db, cfg.Dialect)
	c, err := river.NewClient(drv, rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{db: db, client: c, driver: drv, workers: cfg.Workers}, nil
}

// Start starts working jobs (no-op for an insert-only queue).
func (q *Queue) Start(ctx context.Context) error {
	if q.workers == 0 {
		return nil
	}
	return q.client.Start(ctx)
}

// Stop lets running jobs finish (within ctx) and stops.
func (q *Queue) Stop(ctx context.Context) error {
	if q.workers == 0 {
		return nil
	}
	return q.client.Stop(ctx)
}

// EnqueueDeliveries inserts one delivery job per ID inside tx (store.Enqueuer).
func (q *Queue) EnqueueDeliveries(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.client.InsertManyTx(ctx, tx, deliveryParams(ids))
	return err
}

// RequeueDeliveries queues the given pending deliveries again, for instance after a restore
// (the queue's own tables are not in backups) or a crash; a delivery that still has a job in the
// queue is not queued twice.
func (q *Queue) RequeueDeliveries(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.client.InsertMany(ctx, deliveryParams(ids))
	return err
}

func deliveryParams(ids []int64) []river.InsertManyParams {
	ps := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		ps[i] = river.InsertManyParams{Args: DeliverArgs{DeliveryID: id}, InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}}
	}
	return ps
}

// Enqueue inserts one job now (outside any other transaction).
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs) (int64, error) {
	res, err := q.client.Insert(ctx, args, nil)
	if err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}

// interval is the time between two runs of a schedule (at least a second).
func interval(s cron.Schedule) time.Duration {
	t := s.Next(time.Now())
	return max(s.Next(t).Sub(t), time.Second)
}

// backoff doubles the delay from base at each attempt, up to an hour.
type backoff struct{ base time.Duration }

func (b backoff) NextRetry(j *rivertype.JobRow) time.Time {
	d := b.base
	for i := 1; i < j.Attempt && d < time.Hour; i++ {
		d *= 2
	}
	return time.Now().Add(min(d, time.Hour))
}

// errNoWorker is returned when a job kind is enqueued that no worker handles here.
var errNoWorker = errors.New("no worker for this job kind")
