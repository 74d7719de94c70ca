package artifact

import (
	"maps"
	"slices"
	"strings"
)

// Bounds on the header metadata a Release keeps per weights file: a header may be tens of
// megabytes, and only its facts, not its padding, belong in a snapshot. Every source clips the
// same way, so a file read from a folder and from the Hub gives the same facts.
const (
	MaxMetaValue = 16 << 10
	MaxMetaTotal = 256 << 10
)

// ClipMetadata shortens metadata values past MaxMetaValue and drops keys (in sorted order) past
// MaxMetaTotal, so that 32 weights files with 31 MB headers do not keep a gigabyte in a Release.
func (f *Facts) ClipMetadata() {
	keys := slices.Sorted(maps.Keys(f.Metadata))
	total := 0
	for _, k := range keys {
		v := f.Metadata[k]
		if len(v) > MaxMetaValue {
			v = strings.ToValidUTF8(v[:MaxMetaValue], "") + "…"
			f.Metadata[k] = v
		}
		total += len(k) + len(v)
		if total > MaxMetaTotal {
			delete(f.Metadata, k)
		}
	}
}
