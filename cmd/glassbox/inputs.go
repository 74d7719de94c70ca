package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/policy"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/source/hub"
)

// audited is one report to check or compare, with the target or file it came from.
type audited struct {
	from string
	doc  policy.Document
}

// maxReportFile bounds a saved report or snapshot read whole.
const maxReportFile = 512 << 20

// loadAudits turns targets into report documents: a saved JSON report (or an array of them)
// is read as is; a folder holding only saved reports and snapshots is every file in it;
// anything else (a release folder, a snapshot, hf:ORG/NAME) is audited now.
func loadAudits(ctx context.Context, targets []string, opts auditOptions, stderr io.Writer) ([]audited, error) {
	var out []audited
	for _, t := range targets {
		files := []string{t}
		if !hub.IsTarget(t) {
			if fs, ok := savedFolder(t); ok {
				files = fs
			}
		}
		for _, f := range files {
			as, err := loadOne(ctx, f, opts, stderr)
			if err != nil {
				return nil, err
			}
			out = append(out, as...)
		}
	}
	return out, nil
}

func loadOne(ctx context.Context, target string, opts auditOptions, stderr io.Writer) ([]audited, error) {
	if info, err := os.Stat(target); err == nil && info.Mode().IsRegular() && !hub.IsTarget(target) {
		data, err := readBounded(target)
		if err != nil {
			return nil, err
		}
		if policy.IsReport(data) {
			docs, err := policy.Reports(target, data)
			if err != nil {
				return nil, &exitError{exitUnreadable, err}
			}
			var out []audited
			for _, d := range docs {
				out = append(out, audited{target, d})
			}
			return out, nil
		}
	}
	_, a, err := readAndAssess(ctx, target, opts, stderr)
	if err != nil {
		return nil, err
	}
	doc, err := policy.FromAssessment(a)
	if err != nil {
		return nil, err
	}
	return []audited{{target, doc}}, nil
}

// savedFolder lists the files of dir when every file in it is a saved JSON report or a
// snapshot, sorted; a release folder (a card, weights, config.json) is not one.
func savedFolder(dir string) ([]string, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, false
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
			return nil, false // a FIFO or device is never opened
		}
		if !strings.HasSuffix(e.Name(), ".json") || !savedFile(p) {
			return nil, false
		}
		files = append(files, p)
	}
	sort.Strings(files)
	return files, len(files) > 0
}

// savedFile reports whether a file starts like a report or a snapshot.
func savedFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.Contains(head, []byte(`"schema": "glassbox.report/v1"`)) || bytes.Contains(head, []byte(`"schema":"glassbox.report/v1"`)) ||
		bytes.Contains(head, []byte(`"`+release.Schema+`"`))
}

func readBounded(path string) ([]byte, error) { return readAtMost(path, maxReportFile) }

// readAtMost reads a whole regular file of at most limit bytes.
func readAtMost(path string, limit int64) ([]byte, error) {
	// Stat first: opening a FIFO blocks until something writes to it.
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, &exitError{exitUnreadable, fmt.Errorf("%s: not a regular file", path)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &exitError{exitUnreadable, err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &exitError{exitUnreadable, fmt.Errorf("%s: %v", path, err)}
	}
	if int64(len(data)) > limit {
		return nil, &exitError{exitUnreadable, fmt.Errorf("%s: larger than %d KiB", path, limit>>10)}
	}
	return data, nil
}
