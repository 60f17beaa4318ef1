package job

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	rw "routewarden/internal/routewarden"
)

// JobStates lists River's job states in the order the admin view shows them.
var JobStates = []string{"running", "available", "scheduled", "retryable", "discarded", "cancelled", "completed"}

// ListJobs returns up to limit jobs in the given states (all when empty), newest first.
func (q *Queue) ListJobs(ctx context.Context, states []string, limit int) ([]rw.Job, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	p := river.NewJobListParams().First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	if len(states) > 0 {
		ss := make([]rivertype.JobState, 0, len(states))
		for _, s := range states {
			if !validState(s) {
				return nil, &rw.Error{Code: rw.EINVALID, Field: "state", Message: fmt.Sprintf("state %q is not a job state", s)}
			}
			ss = append(ss, rivertype.JobState(s))
		}
		p = p.States(ss...)
	}
	res, err := q.client.JobList(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]rw.Job, len(res.Jobs))
	for i, j := range res.Jobs {
		out[i] = rw.Job{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
			Args: string(j.EncodedArgs), CreatedAt: j.CreatedAt.UTC(), ScheduledAt: j.ScheduledAt.UTC(), FinalizedAt: j.FinalizedAt}
		if n := len(j.Errors); n > 0 {
			out[i].LastError = j.Errors[n-1].Error
		}
	}
	return out, nil
}

// RetryJob makes a failed, discarded or cancelled job available again now.
func (q *Queue) RetryJob(ctx context.Context, id int64) error {
	if _, err := q.client.JobRetry(ctx, id); err != nil {
		if err == river.ErrNotFound {
			return &rw.Error{Code: rw.ENOTFOUND, Message: fmt.Sprintf("job %d not found", id)}
		}
		return err
	}
	return nil
}

// CountJobs counts jobs per state, in one query on River's job table.
func (q *Queue) CountJobs(ctx context.Context) (map[string]int, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

func validState(s string) bool {
	for _, x := range JobStates {
		if x == s {
			return true
		}
	}
	return false
}
