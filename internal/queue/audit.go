package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/source/github"

	"github.com/riverqueue/river"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/report"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
	"github.com/glassbox-dev/glassbox/internal/store"
	"github.com/glassbox-dev/glassbox/internal/target"
)

// GitHubOrgPrefix marks the owner of a release read from GitHub in a model's name
// ("github:allenai/OLMo"); ':' never occurs in a Hub organisation.
const GitHubOrgPrefix = "github:"

// ModelOf names the model a queued target audits: ORG/NAME of an hf: target (datasets as
// "datasets/ORG" and NAME), github:OWNER/REPO of a gh: target. Only these can be queued: a server
// never reads local paths or arbitrary URLs.
func ModelOf(t string) (store.Model, error) {
	if strings.HasPrefix(t, "gh:") {
		// A release published on GitHub: its owner is told from a Hub organisation by a prefix
		// no Hub name can carry.
		gt, err := github.ParseTarget(t)
		if err != nil {
			return store.Model{}, err
		}
		return store.Model{Org: GitHubOrgPrefix + gt.Owner, Name: gt.Name}, nil
	}
	if !hub.IsTarget(t) {
		return store.Model{}, fmt.Errorf("%q is neither a Hub target (hf:ORG/NAME[@REV]) nor a GitHub one (gh:ORG/REPO[@REF])", t)
	}
	ht, err := hub.ParseTarget(t)
	if err != nil {
		return store.Model{}, err
	}
	org, name, ok := strings.Cut(ht.Repo, "/")
	if !ok {
		org, name = "_", ht.Repo // a top-level repository of the Hub's early days
	}
	if ht.Kind == hub.KindDataset {
		org = "datasets/" + org
	}
	return store.Model{Org: org, Name: name}, nil
}

// Auditor returns the AuditFunc that audits a target with package target and saves the
// glassbox.report/v1 JSON in st. A target that can never be read (malformed, not found) fails
// the job at once; anything else is retried with River's backoff.
func Auditor(st store.Store, opts target.Options) AuditFunc {
	return func(ctx context.Context, t string) (string, error) {
		m, err := ModelOf(t)
		if err != nil {
			return "", river.JobCancel(err)
		}
		rel, err := target.Read(ctx, t, opts)
		var a *assess.Assessment
		if err == nil {
			a, err = target.AuditRelease(ctx, t, rel, opts)
		}
		if err != nil {
			var te *target.Error
			var he *hub.Error
			if errors.As(err, &te) && te.Kind == target.Usage || errors.As(err, &he) && he.Final() {
				return "", river.JobCancel(err)
			}
			return "", err
		}
		var buf bytes.Buffer
		if err := report.JSON(&buf, a); err != nil {
			return "", err
		}
		snap, err := rel.Marshal()
		if err != nil {
			return "", err
		}
		return st.Save(ctx, &store.Audit{Model: m, Target: t, Revision: a.Facts.Revision, Version: opts.Version, Report: buf.Bytes(), Snapshot: snap})
	}
}
