// Package batch reads many files in one process: the folders and files a command is given are
// expanded to the files that matter, and each is read in parallel, so `glassbox inspect` over a
// folder of a hundred pickles pays the process start once. Results keep the input order.
package batch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/source"
)

// MaxFiles bounds how many files one run expands folders to.
const MaxFiles = 100_000

// Files expands args: a file stays as given; a folder gives, sorted, the regular files below it
// that keep accepts (links are not followed). Errors name what could not be walked; expansion
// stops at MaxFiles with an error saying so.
func Files(args []string, keep func(path string) bool) ([]string, []error) {
	var out []string
	var errs []error
	for _, a := range args {
		info, err := fileInfo(a)
		if err != nil {
			out = append(out, a) // its error is reported when it is read, in order
			continue
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		werr := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("%s: %v", p, err))
				return nil
			case len(out)+len(found) >= MaxFiles:
				return errStop
			case d.Type().IsRegular() && keep(p):
				found = append(found, p)
			}
			return nil
		})
		sort.Strings(found)
		out = append(out, found...)
		if errors.Is(werr, errStop) {
			errs = append(errs, fmt.Errorf("%s: stopped after %d files", a, MaxFiles))
			break
		}
	}
	return out, errs
}

var errStop = errors.New("stop")

// fileInfo is Lstat, so a link given on the command line is not walked as a folder.
func fileInfo(p string) (fs.FileInfo, error) {
	info, err := lstat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	return info, nil
}

// Each runs fn on every item with up to GOMAXPROCS goroutines and returns the results in order.
func Each[T, R any](items []T, fn func(T) R) []R {
	out := make([]R, len(items))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(items), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i] = fn(items[i])
			}
		}()
	}
	for i := range items {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

// Inspected is one file's header facts, or why it could not be opened.
type Inspected struct {
	Path  string
	Facts *artifact.Facts
	// Err is set when the file could not be opened (not a regular file, missing); a file that
	// opened but is malformed has its facts with Facts.Error instead.
	Err error
}

// Inspect reads one file's header without loading tensors or running anything.
func Inspect(path string) Inspected {
	f, size, err := source.OpenRegular(path)
	if err != nil {
		return Inspected{Path: path, Err: err}
	}
	defer f.Close()
	facts, rerr := artifact.Read(path, f, size)
	if facts == nil {
		facts = &artifact.Facts{Path: path, Format: artifact.FormatUnknown, Size: size, Safety: artifact.SafetyError}
	}
	if rerr != nil && facts.Error == "" {
		facts.Error, facts.Safety = rerr.Error(), artifact.SafetyError
	}
	return Inspected{Path: path, Facts: facts}
}

// MaxLicenseInput bounds a licence text: they are kilobytes.
const MaxLicenseInput = 16 << 20

// Identified is one file's licences.
type Identified struct {
	Path       string
	Matches    []license.Match
	Expression string
	Err        error
}

// Identify reads a text file and identifies its licences with cat.
func Identify(cat *license.Catalogue, path string) Identified {
	f, _, err := source.OpenRegular(path)
	if err != nil {
		return Identified{Path: path, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxLicenseInput+1))
	switch {
	case err != nil:
		return Identified{Path: path, Err: fmt.Errorf("%s: %v", path, err)}
	case len(data) > MaxLicenseInput:
		return Identified{Path: path, Err: fmt.Errorf("%s: larger than %d MB; a licence text is far smaller", path, MaxLicenseInput>>20)}
	}
	return IdentifyText(cat, path, string(data))
}

// IdentifyText identifies the licences of a text already read.
func IdentifyText(cat *license.Catalogue, path, text string) Identified {
	ms := cat.Identify(text)
	if ms == nil {
		ms = []license.Match{}
	}
	var ids []string
	seen := map[string]bool{}
	for _, m := range ms {
		if !seen[m.ID] {
			seen[m.ID] = true
			ids = append(ids, m.ID)
		}
	}
	return Identified{Path: path, Matches: ms, Expression: joinAnd(ids)}
}

func joinAnd(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += " AND "
		}
		s += id
	}
	return s
}
