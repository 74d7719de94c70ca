package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/glassbox-dev/glassbox/internal/store"
)

// The generated reports draw their tier, licence, library and findings from these, so that
// every filter of the leaderboard has matches at realistic proportions.
var (
	tiers    = []string{"closed", "weights-available", "weights-available", "open-weights", "open-weights", "open-weights", "open-source-ai", "open-source-ai-open-data", "insufficient-evidence"}
	licenses = []struct{ spdx, key string }{{"Apache-2.0", "apache-2.0"}, {"MIT", "mit"}, {"LicenseRef-Llama-3.1-Community", "llama-3.1"}, {"CC-BY-NC-4.0", "cc-by-nc-4.0"}, {"LicenseRef-Gemma", "gemma"}}
	libs     = []string{"transformers", "diffusers", "gguf", "sentence-transformers", "timm"}
	findings = []string{"openwashing", "license-conflict", "gated", "license-missing", "unsafe-pickle"}
)

// modelName is the generated name of model i.
func modelName(i int) store.Model {
	return store.Model{Org: fmt.Sprintf("org%03d", i%997), Name: fmt.Sprintf("model-%06d", i)}
}

// report is a small valid glassbox.report/v1 document for model i.
func report(i int) []byte {
	m := modelName(i)
	lic := licenses[i%len(licenses)]
	finding := findings[i%len(findings)]
	return fmt.Appendf(nil, `{"schema":"glassbox.report/v1","target":"hf:%s","name":"%s","revision":"%040x",`+
		`"tier":{"label":%q,"reasons":[{"criterion":"weights released","result":"pass","detail":"weights present (model.safetensors)"}]},`+
		`"frameworks":{"mof":{"class":%d,"label":"Class %d"},"osaid":{"verdict":"fail"},"osai":{"score":%.3f,"percent":"%d%%"},"euaiact":{"exemption":"cannot-determine"}},`+
		`"weights":{"present":true,"licenses":[%q],"open":%v,"restrictions":[]},"library":{"name":%q},`+
		`"licenses":[{"key":%q,"expression":%q,"scope":"weights","source":"card"}],`+
		`"findings":[{"id":%q,"severity":"medium","message":"generated finding for model %d"}]}`,
		m, m, i, tiers[i%len(tiers)], i%4, i%4, float64(i%100)/100, i%100, lic.spdx, i%2 == 0, libs[i%len(libs)], lic.key, lic.spdx, finding, i)
}

// fill saves models from..n-1, with 8 writers (SQLite serialises them; PostgreSQL does not).
func fill(ctx context.Context, st store.Store, from, n int) error {
	ids := make(chan int)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 8 {
		wg.Go(func() {
			for i := range ids {
				a := &store.Audit{Model: modelName(i), Version: "bench", Created: created.Add(time.Duration(i) * time.Second), Report: report(i)}
				if _, err := st.Save(ctx, a); err != nil {
					errs <- fmt.Errorf("saving model %d: %v", i, err)
					return
				}
			}
		})
	}
	var err error
feed:
	for i := from; i < n; i++ {
		select {
		case ids <- i:
		case err = <-errs:
			break feed
		}
	}
	close(ids)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return err
}
