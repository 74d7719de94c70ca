package evidence

import (
	"fmt"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/release"
)

// incompleteRead reports the files the source knows exist but could not read (a server error,
// a redirect loop, an answer over its cap). The release is then incomplete, so what those files
// would have shown is unknown rather than absent; the finding says which files, and is medium
// when one of them is a card, licence or weights file, whose loss changes the verdicts.
func (v *view) incompleteRead() {
	failed := v.rel.FailedReads
	if len(failed) == 0 {
		return
	}
	severity := Low
	var ev, names []string
	for _, f := range failed {
		ev = append(ev, v.ev.add("inventory", f.Path, "", "read failed: "+f.Error))
		names = append(names, f.Path)
		if release.IsKeyText(f.Path) || release.IsWeights(f.Path) {
			severity = Medium
		}
	}
	shown := names[:min(len(names), 8)]
	more := ""
	if len(names) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(names)-len(shown))
	}
	msg := fmt.Sprintf("%d files could not be read (%s%s); their content is unknown, not missing: audit again once they can be read",
		len(failed), strings.Join(shown, ", "), more)
	if len(failed) == 1 {
		msg = fmt.Sprintf("1 file could not be read (%s); its content is unknown, not missing: audit again once it can be read", names[0])
	}
	v.finding("incomplete-read", severity, msg, ev...)
}

// readFailed reports whether a read of a card or licence file failed, so that no finding may
// claim it is missing.
func (v *view) readFailed() bool {
	if v.rel.Metadata && v.keyTextUnread() {
		return true
	}
	for _, f := range v.rel.FailedReads {
		if release.IsKeyText(f.Path) {
			return true
		}
	}
	return false
}

// keyTextUnread reports whether the inventory holds a card or licence file whose text was not
// read, as in a release judged from listing metadata.
func (v *view) keyTextUnread() bool {
	for _, f := range v.rel.Files {
		if t, ok := v.rel.Text(f.Path); (!ok || t.Truncated) && release.IsKeyText(f.Path) {
			return true
		}
	}
	return false
}
