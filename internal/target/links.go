package target

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/links"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source"
	"github.com/glassbox-dev/glassbox/internal/source/github"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// MaxLinked bounds the code repositories followed from one card; links are followed one level
// deep (a linked repository's own links are not).
const MaxLinked = 8

// cardNames are the files that hold a model card, most specific first (as evidence reads them).
var cardNames = []string{"README.md", "MODEL_CARD.md", "model_card.md", "ModelCard.md", "README.markdown", "readme.md"}

// cardOf parses rel's model card, or returns nil.
func cardOf(rel *release.Release) (*card.Card, string) {
	for _, n := range cardNames {
		if t, ok := rel.Text(n); ok {
			return card.Parse(n, []byte(t.Content)), n
		}
	}
	return nil, ""
}

// followLinks reads what rel's card links to: the GitHub repositories it presents as its code
// (at most MaxLinked, in card order) into rel.Linked, and the Hugging Face datasets its prose
// links to (at most 16 datasets in all) into rel.Datasets. Nothing here fails the audit: a link that
// cannot be read is recorded as unread, with a note saying why.
func followLinks(ctx context.Context, rel *release.Release, opts Options) {
	c, cardPath := cardOf(rel)
	if c == nil {
		return
	}
	found := links.Extract(c)
	repos := pick(found.Repos, rel.Target)
	if n := countOwn(found.Repos); n > len(repos) {
		rel.Notes = append(rel.Notes, fmt.Sprintf("the card links %d code repositories; only the first %d were followed", n, MaxLinked))
	}
	if len(repos) > 0 {
		gh := githubClient(opts)
		rel.Linked = readLinked(ctx, gh, repos, cardPath)
		for _, l := range rel.Linked {
			if l.Unread != "" {
				rel.Notes = append(rel.Notes, "linked "+l.Repo+" not read: "+l.Unread)
			}
		}
		if gh.Cache != nil && gh.Cache.Stale() > 0 {
			rel.Notes = append(rel.Notes, fmt.Sprintf("the GitHub API could not be reached: %d answers came from the on-disk cache and may be out of date", gh.Cache.Stale()))
		}
	}
	if len(found.Datasets) > 0 {
		readLinkedDatasets(ctx, rel, found.Datasets, opts)
	}
}

// pick keeps the links worth reading: the release's own code, or a repository the card gives
// a role other than "a library it uses", but not the release itself (a gh: target's README
// linking its own repository); at most MaxLinked.
func pick(repos []links.Repo, self string) []links.Repo {
	var out []links.Repo
	for _, r := range repos {
		itself := strings.EqualFold(strings.SplitN(self, "@", 2)[0], "gh:"+r.Owner+"/"+r.Name)
		if r.Own && !itself && len(out) < MaxLinked {
			out = append(out, r)
		}
	}
	return out
}

func countOwn(repos []links.Repo) int {
	n := 0
	for _, r := range repos {
		if r.Own {
			n++
		}
	}
	return n
}

// githubClient is opts.GitHub, else a client from the environment, with the on-disk cache and
// offline mode the Hub source uses.
func githubClient(opts Options) *github.Client {
	if opts.GitHub != nil {
		return opts.GitHub
	}
	c := github.NewClient(opts.Version)
	c.Inform = opts.Inform
	c.Offline = hub.Offline()
	if dir := hub.DefaultHTTPCacheDir(); dir != "" && !opts.NoCache {
		c.Cache = &github.Cache{Dir: dir}
	}
	return c
}

// readLinked reads each repository, a few at a time, keeping card order.
func readLinked(ctx context.Context, gh *github.Client, repos []links.Repo, cardPath string) []*release.Linked {
	out := make([]*release.Linked, len(repos))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, r := range repos {
		l := &release.Linked{
			Repo: r.ID(), Ref: r.Ref, Path: r.Path, URL: r.URL, Context: r.Context,
			Roles: r.Roles, Own: r.Own, Where: cardPath,
		}
		if r.Line > 0 {
			l.Where += ":" + fmt.Sprint(r.Line)
		}
		out[i] = l
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			t := github.Target{Owner: r.Owner, Name: r.Name, Ref: r.Ref, Path: r.Path}
			rel, meta, err := github.Fetch(ctx, gh, t, github.DefaultOptions)
			l.LicenseHint = meta.License
			if err != nil {
				// The repository is named beside the reason wherever it is shown.
				l.Unread = strings.TrimPrefix(err.Error(), l.Repo+": ")
				return
			}
			l.Release = rel
		})
	}
	wg.Wait()
	return out
}

// readLinkedDatasets adds the datasets the prose links to that the card's datasets: field does
// not already name, each read from the Hub (or its cache) like the field's.
func readLinkedDatasets(ctx context.Context, rel *release.Release, ds []links.Dataset, opts Options) {
	have := map[string]bool{}
	for _, d := range rel.Datasets {
		have[strings.ToLower(d.Name)] = true
	}
	var c *hub.Client
	for _, d := range ds {
		if have[strings.ToLower(d.ID)] || len(rel.Datasets) >= 16 {
			continue
		}
		have[strings.ToLower(d.ID)] = true
		t := hub.Target{Kind: hub.KindDataset, Repo: d.ID}
		var r *release.Release
		var err error
		if hub.Offline() {
			r, err = hub.FromCache(ctx, t)
		} else {
			if c == nil {
				c = hubClient(opts)
			}
			r, err = hub.Fetch(ctx, c, t, hub.DefaultOptions)
		}
		if err != nil {
			r = &release.Release{Schema: release.Schema, Target: t.String(), Name: d.ID, Notes: []string{"not read: " + err.Error()}}
			why := strings.TrimPrefix(strings.TrimPrefix(err.Error(), source.ErrUnreadable.Error()+": "), t.String()+": ")
			rel.Notes = append(rel.Notes, "linked dataset "+t.String()+" not read: "+why)
		}
		rel.Datasets = append(rel.Datasets, r)
	}
}

// hubClient is a Hub client configured as readHub configures its own.
func hubClient(opts Options) *hub.Client {
	c := hub.NewClient(opts.Version)
	if dir := hub.DefaultHTTPCacheDir(); dir != "" && !opts.NoCache {
		c.Cache = &hub.HTTPCache{Dir: dir}
	}
	return c
}
