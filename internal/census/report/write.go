package report

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
)

// The files WriteAll writes in its folder.
const (
	CSVFile      = "models.csv"
	JSONLFile    = "models.jsonl"
	ParquetFile  = "models.parquet"
	MarkdownFile = "state-of-openness.md"
	HTMLFile     = "index.html"
)

// WriteAll writes a census's report into dir in one streaming pass over rows: the per-model
// table as CSV, JSON Lines and Parquet row by row while a Summary aggregates, then the
// Markdown and HTML reports. It returns the files written; an error from rows stops it.
func WriteAll(dir string, m Meta, rows iter.Seq2[Row, error]) (files []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("census report: %w", err)
	}
	s, files, err := writeTables(dir, rows)
	if err != nil {
		return files, err
	}
	for _, out := range []struct {
		name  string
		write func(io.Writer, Meta, *Summary) error
	}{{MarkdownFile, WriteMarkdown}, {HTMLFile, WriteHTML}} {
		path := filepath.Join(dir, out.name)
		if err := writeFile(path, func(w io.Writer) error { return out.write(w, m, s) }); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

// writeTables streams rows into the three table files, summarising them on the way.
func writeTables(dir string, rows iter.Seq2[Row, error]) (*Summary, []string, error) {
	var tables []TableWriter
	var handles []*os.File
	var files []string
	for _, t := range []struct {
		name string
		open func(io.Writer) TableWriter
	}{{CSVFile, NewCSV}, {JSONLFile, NewJSONL}, {ParquetFile, NewParquet}} {
		path := filepath.Join(dir, t.name)
		f, err := os.Create(path)
		if err != nil {
			closeAll(handles)
			return nil, nil, fmt.Errorf("census report: %w", err)
		}
		handles, files = append(handles, f), append(files, path)
		tables = append(tables, t.open(f))
	}
	s, err := fill(tables, rows)
	for i, t := range tables {
		err = errors.Join(err, wrap(files[i], t.Close()), wrap(files[i], handles[i].Close()))
	}
	if err != nil {
		return nil, nil, err
	}
	return s, files, nil
}

// fill writes each row to every table and adds it to a new summary.
func fill(tables []TableWriter, rows iter.Seq2[Row, error]) (*Summary, error) {
	s := NewSummary()
	for r, err := range rows {
		if err != nil {
			return nil, fmt.Errorf("census report: reading rows: %w", err)
		}
		for _, t := range tables {
			if err := t.Write(r); err != nil {
				return nil, fmt.Errorf("census report: writing %s: %w", r.ID, err)
			}
		}
		s.Add(r)
	}
	return s, nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("census report: %w", err)
	}
	return errors.Join(wrap(path, write(f)), wrap(path, f.Close()))
}

func wrap(path string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("census report: %s: %w", filepath.Base(path), err)
}

func closeAll(fs []*os.File) {
	for _, f := range fs {
		_ = f.Close()
	}
}
