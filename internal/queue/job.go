package queue

import (
	"encoding/json"
	"strconv"

	"github.com/riverqueue/river/rivertype"
)

// jobOf turns a River job row into a Job.
func jobOf(row *rivertype.JobRow) Job {
	j := Job{ID: strconv.FormatInt(row.ID, 10), Status: statusOf(row.State), Attempts: row.Attempt}
	var args AuditArgs
	if json.Unmarshal(row.EncodedArgs, &args) == nil {
		j.Target = args.Target
	}
	if n := len(row.Errors); n > 0 && j.Status != Done {
		j.Error = row.Errors[n-1].Error
	}
	var out struct {
		Audit string `json:"audit"`
	}
	if b := row.Output(); b != nil && json.Unmarshal(b, &out) == nil {
		j.Audit = out.Audit
	}
	return j
}

// statusOf maps River's job states to the API's four.
func statusOf(s rivertype.JobState) string {
	switch s {
	case rivertype.JobStateRunning:
		return Running
	case rivertype.JobStateCompleted:
		return Done
	case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
		return Failed
	}
	return Queued // available, pending, scheduled, retryable
}
