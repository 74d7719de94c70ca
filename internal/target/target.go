// Package target turns any TARGET the CLI, the server or the census is given (a local folder, a
// snapshot file, hf:ORG/NAME[@REV] or a Hub URL, gh:ORG/REPO[@REF] or a GitHub URL) into a Release and an Assessment: the one place
// where target forms are dispatched, the Hub's offline fallback is decided and --verify is
// orchestrated. Callers only map its errors to their own vocabulary (exit codes, HTTP statuses).
package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/github"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// Kind classifies why a target could not be audited.
type Kind int

const (
	// Usage: the target or the options are malformed (CLI exit code 2).
	Usage Kind = iota + 1
	// Unreadable: the target could not be read (CLI exit code 3).
	Unreadable
)

// Error is an audit failure with its kind.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func usage(format string, args ...any) error {
	return &Error{Usage, fmt.Errorf(format, args...)}
}

func unreadable(err error) error { return &Error{Unreadable, err} }

// Options change how a target is read.
type Options struct {
	// Verify hashes the weights (a local folder's own files; for a Hub target the local copy in
	// Weights or the Hugging Face cache) and checks them against the recorded hashes.
	Verify bool
	// Weights is the folder holding a local copy of a Hub release's files, for Verify.
	Weights string
	// NoCache turns the on-disk HTTP cache of Hub answers off.
	NoCache bool
	// Version is glassbox's version, sent in the Hub's User-Agent.
	Version string
	// Progress, when set, is called before hashing starts with a description and the bytes to
	// hash; it returns the per-chunk callback and a function called when hashing ends.
	Progress func(desc string, total int64) (source.Progress, func())
	// Inform, when set, receives one-line messages for the user (what was verified, a long
	// wait for the Hub ahead).
	Inform func(msg string)
	// Timeout bounds reading a Hub target, lineage included; zero means DefaultTimeout.
	Timeout time.Duration
	// Wait is the longest rate-limit wait sat through; a longer one fails at once saying until
	// when. Zero means hub.DefaultWaitLimit, negative that no wait the Hub asks for is.
	Wait time.Duration
	// Transport, when set, performs the Hub client's requests (a server counts them through it);
	// nil means the default transport.
	Transport http.RoundTripper
	// Sleep, when set, replaces the Hub client's waits between retries (tests).
	Sleep func(ctx context.Context, d time.Duration) error
	// Links follows the card's links out of the repository (code repositories on GitHub, Hub
	// datasets named in the prose) for folder, Hub and GitHub targets; never for snapshots.
	// Off by default so that library callers and the evaluation harness stay offline.
	Links bool
	// GitHub is the client for linked repositories and gh: targets; nil means one configured
	// from the environment (GITHUB_API_URL, GITHUB_TOKEN or GH_TOKEN).
	GitHub *github.Client
}

// DefaultTimeout bounds one Hub audit when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Minute

// LineageDepth bounds how many generations of base models a Hub audit reads.
const LineageDepth = 3

// Audit reads a target, hashes its weights if asked, and runs the pure pipeline over it.
func Audit(ctx context.Context, target string, opts Options) (*assess.Assessment, error) {
	rel, err := Read(ctx, target, opts)
	if err != nil {
		return nil, err
	}
	return AuditRelease(ctx, target, rel, opts)
}

// Read turns a target into a Release: a Hub target through the Hub (or the local Hugging Face
// cache), anything else through source.Open (a folder or a snapshot file).
func Read(ctx context.Context, target string, opts Options) (*release.Release, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	var rel *release.Release
	var err error
	follow := opts.Links
	switch {
	case hub.IsTarget(target):
		t, perr := hub.ParseTarget(target)
		if perr != nil {
			return nil, usage("%v", perr)
		}
		rel, err = readHub(ctx, t, opts)
	case github.IsTarget(target):
		t, perr := github.ParseTarget(target)
		if perr != nil {
			return nil, usage("%v", perr)
		}
		rel, err = readGitHub(ctx, t, opts)
	default:
		follow = follow && isDir(target)
		rel, err = source.Open(ctx, target)
	}
	switch {
	case err == nil:
		if follow {
			followLinks(ctx, rel, opts)
		}
		return rel, nil
	case errors.Is(err, source.ErrUnsupported):
		return nil, &Error{Usage, err}
	default:
		return nil, unreadable(err)
	}
}

// readHub reads a Hub target from the network, or from the local Hugging Face cache when
// HF_HUB_OFFLINE is set or the Hub cannot be reached (an answer from the Hub, such as "repository
// not found", is final and does not fall back).
func readHub(ctx context.Context, t hub.Target, opts Options) (*release.Release, error) {
	if hub.Offline() {
		return hub.FromCache(ctx, t)
	}
	c := hub.NewClient(opts.Version)
	if dir := hub.DefaultHTTPCacheDir(); dir != "" && !opts.NoCache {
		c.Cache = &hub.HTTPCache{Dir: dir}
	}
	c.WaitLimit, c.Inform, c.Sleep = opts.Wait, opts.Inform, opts.Sleep
	if opts.Transport != nil {
		c.Transport = opts.Transport
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rel, err := hub.Audit(actx, c, t, LineageDepth, hub.DefaultOptions)
	if err != nil && errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, fmt.Errorf("%w: %s: the audit did not finish within %s (set --timeout to allow longer)", source.ErrUnreadable, t, timeout)
	}
	if err == nil {
		if herr := hollow(rel); herr != nil {
			return nil, herr
		}
	}
	if err == nil && c.Cache != nil && c.Cache.Stale() > 0 {
		rel.Notes = append(rel.Notes, fmt.Sprintf("the Hub could not be reached: %d answers came from the on-disk cache (%s) and may be out of date", c.Cache.Stale(), c.Cache.Dir))
	}
	var answer *hub.Error
	if err == nil || errors.As(err, &answer) || ctx.Err() != nil {
		return rel, err
	}
	if cached, cerr := hub.FromCache(ctx, t); cerr == nil {
		cached.Notes = append(cached.Notes, "the Hub could not be reached: "+err.Error())
		return cached, nil
	}
	return nil, err
}

// hollow fails a release of which nothing of substance could be read: reads failed, and no text
// and no weights header came through, so any verdict would rest on the file names alone.
func hollow(rel *release.Release) error {
	if len(rel.FailedReads) == 0 || len(rel.Texts) > 0 {
		return nil
	}
	for _, f := range rel.Files {
		if len(f.Header) > 0 {
			return nil
		}
	}
	first := rel.FailedReads[0]
	more := ""
	if n := len(rel.FailedReads) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more failed reads)", n)
	}
	return fmt.Errorf("%w: %s: nothing could be read: %s: %s%s", source.ErrUnreadable, rel.Target, first.Path, first.Error, more)
}

// readGitHub reads a release published as a GitHub repository.
func readGitHub(ctx context.Context, t github.Target, opts Options) (*release.Release, error) {
	rel, _, err := github.Fetch(ctx, githubClient(opts), t, github.DefaultOptions)
	if err != nil {
		return nil, err
	}
	rel.Target = github.Target{Owner: t.Owner, Name: t.Name, Ref: t.Ref}.String()
	return rel, nil
}

// isDir reports whether p is a folder (a snapshot file's links were followed when it was made).
func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// AuditRelease verifies (when asked) and assesses a release already read from target.
func AuditRelease(ctx context.Context, target string, rel *release.Release, opts Options) (*assess.Assessment, error) {
	if err := verify(ctx, target, rel, opts); err != nil {
		return nil, err
	}
	return assess.Run(rel, license.Default()), nil
}
