package server

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/glassbox-dev/glassbox/internal/census"
)

// WatchCensus exposes the latest census's progress, read from the store at each scrape: the
// numbers `glassbox census` prints and /census shows.
func (m *Metrics) WatchCensus(svc *census.Service) {
	if svc != nil {
		_ = m.reg.Register(censusCollector{svc})
	}
}

var (
	censusModelsDesc = prometheus.NewDesc("glassbox_census_models", "Models of the latest census's current round by status (listed is the total; pending wait for their audit).", []string{"status"}, nil)
	censusCountDesc  = prometheus.NewDesc("glassbox_census_count", "What the latest census's round cost and saved: Hub requests, pages read, files and lineage entries found already read (hits) or read (misses, fetches).", []string{"what"}, nil)
	censusFinished   = prometheus.NewDesc("glassbox_census_finished", "1 when the latest census's round is finished.", nil, nil)
)

// censusCollector reads the latest census when scraped.
type censusCollector struct{ svc *census.Service }

func (c censusCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- censusModelsDesc
	ch <- censusCountDesc
	ch <- censusFinished
}

func (c censusCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cs, err := c.svc.Latest(ctx)
	if errors.Is(err, census.ErrNoCensus) {
		return
	}
	var p census.Progress
	if err == nil {
		p, err = c.svc.Progress(ctx, cs)
	}
	if err != nil {
		ch <- prometheus.NewInvalidMetric(censusModelsDesc, err)
		return
	}
	for status, n := range map[string]int{"listed": p.Listed, "audited": p.Audited, "unreadable": p.Unreadable, "pending": p.Pending} {
		ch <- prometheus.MustNewConstMetric(censusModelsDesc, prometheus.GaugeValue, float64(n), status)
	}
	for what, n := range map[string]int64{"requests": p.Requests, "pages": int64(p.Pages), "blob_hits": p.BlobHits, "blob_misses": p.BlobMisses,
		"lineage_hits": p.LineageHits, "lineage_fetches": p.LineageFetches} {
		ch <- prometheus.MustNewConstMetric(censusCountDesc, prometheus.GaugeValue, float64(n), what)
	}
	fin := 0.0
	if p.State == census.StateFinished {
		fin = 1
	}
	ch <- prometheus.MustNewConstMetric(censusFinished, prometheus.GaugeValue, fin)
}
