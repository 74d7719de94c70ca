package evidence

import "github.com/glassbox-dev/glassbox/internal/release"

// malformedWeights reports a weights file whose bytes are not weights: empty, or a header that
// did not parse (the reader's error, with whatever facts it read before it). Such a file is a
// medium `malformed-weights` finding naming the file and the defect, and it does not count as
// weights present (finalParameters) nor towards the parameter count: a truncated download or a
// placeholder is not a release of the weights. It returns whether a is malformed, and sets
// a.Error for an empty file.
//
// Not judged: LFS pointers, files of a release judged from listing metadata whose header was
// not read (their size is unknown, not 0), and headers that could not be fetched
// (artifact.Facts.ReadError: a network or disk failure says nothing about the file).
func (v *view) malformedWeights(f release.File, a *Artifact) bool {
	if f.LFS != nil {
		return false
	}
	if h := v.headers[f.Path]; h != nil && h.ReadError {
		return false
	}
	if v.rel.Metadata && v.headers[f.Path] == nil {
		return false // a listing gives names without sizes: the file was never seen
	}
	if a.Error == "" && f.Size == 0 {
		a.Error = "the file is empty (0 bytes)"
	}
	if a.Error == "" {
		return false
	}
	if v.malformed == nil {
		v.malformed = map[string]bool{}
	}
	v.malformed[f.Path] = true
	v.finding("malformed-weights", Medium, a.Path+" is not a readable "+a.Format+" file: "+a.Error+"; it is not counted as released weights (re-download or re-export it)", a.Evidence...)
	return true
}
