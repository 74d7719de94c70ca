package census

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// TestFinal: only answers that will not change end a model's audit or a census's listing at
// once; a Hub out of reach, a rate limit or a timeout is retried (all of them also match
// source.ErrUnreadable, so matching that alone would give up on a passing outage).
func TestFinal(t *testing.T) {
	wrap := func(e error) error { return fmt.Errorf("%w: hf:a/b: %w", source.ErrUnreadable, e) }
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&hub.Error{What: "hf:a/b", Status: 404, Code: "RepoNotFound"}, true},
		{&hub.Error{What: "hf:a/b", Status: 401, Code: "GatedRepo"}, true},
		{&hub.Error{What: "hf:a/b", Status: 429}, false},
		{&hub.Error{What: "hf:a/b", Status: 503}, false},
		{wrap(hub.ErrUnreachable), false},
		{wrap(hub.ErrRateLimited), false},
		{wrap(context.DeadlineExceeded), false},
		{fmt.Errorf("%w: listing entry: bad sha", source.ErrUnreadable), true},
		{fmt.Errorf("%w: model listing: %w: next link to another origin", source.ErrUnreadable, hub.ErrListing), true},
		{errors.New("database is locked"), false},
	} {
		if got := final(c.err); got != c.want {
			t.Errorf("final(%v) = %t, want %t", c.err, got, c.want)
		}
	}
}
