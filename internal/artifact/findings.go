package artifact

import (
	"fmt"
	"io"
	"strconv"
)

// maxWarnings bounds Facts.Warnings; an archive of a million bad entries says so once.
const maxWarnings = 64

// findings gathers what the pickle walks of one file found, across archive members, and turns
// it into Facts.
type findings struct {
	globals  map[Global]struct{}
	pickles  int
	opcodes  int64
	protocol int
	warnings []string
	dropped  int
	// suspicious is set by a warning that leaves part of the file unexamined.
	suspicious bool
}

// add merges a walk; where names the archive member it came from, or is empty.
func (c *findings) add(w *PickleWalk, where string) {
	if c.globals == nil {
		c.globals = map[Global]struct{}{}
	}
	for _, g := range w.Globals {
		c.globals[g] = struct{}{}
	}
	c.pickles += w.Pickles
	c.opcodes += w.Opcodes
	c.protocol = max(c.protocol, w.Protocol)
	if w.Trailing > 0 {
		c.warn(false, "%s%d bytes after the last pickle are not a pickle; loaders do not read them", prefix(where), w.Trailing)
	}
}

// prefix introduces a message about an archive member.
func prefix(where string) string {
	if where == "" {
		return ""
	}
	return strconv.Quote(where) + ": "
}

// warn records a warning; unexamined marks one that leaves part of the file unjudged.
func (c *findings) warn(unexamined bool, format string, args ...any) {
	c.suspicious = c.suspicious || unexamined
	if len(c.warnings) >= maxWarnings {
		c.dropped++
		return
	}
	c.warnings = append(c.warnings, fmt.Sprintf(format, args...))
}

// apply writes the findings into f, Safety included: the worst import class, raised to
// suspicious when part of the file went unexamined.
func (c *findings) apply(f *Facts) {
	f.Globals = f.Globals[:0]
	for g := range c.globals {
		f.Globals = append(f.Globals, g)
	}
	if len(f.Globals) == 0 {
		f.Globals = nil
	}
	sortGlobals(f.Globals)
	f.Pickles, f.Opcodes = c.pickles, c.opcodes
	f.Warnings = c.warnings
	if c.dropped > 0 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("and %d more warnings", c.dropped))
	}
	f.Safety = globalsSafety(f.Globals)
	if c.suspicious && f.Safety == SafetySafe {
		f.Safety = SafetySuspicious
	}
	if c.protocol > 0 {
		f.setMeta("pickle_protocol", strconv.Itoa(c.protocol))
	}
}

// setMeta sets one metadata entry.
func (f *Facts) setMeta(key, value string) {
	if f.Metadata == nil {
		f.Metadata = map[string]string{}
	}
	f.Metadata[key] = value
}

// isPickle recognises a pickle that opens with PROTO, as every pickle of protocol 2 or later
// does. Older pickles have no signature; their names speak for them.
func isPickle(head []byte) bool {
	return len(head) >= 2 && head[0] == opProto && head[1] <= maxPickleProtocol
}

// readPickle walks a pickle file: a bare pickle, or a legacy torch.save checkpoint.
func readPickle(f *Facts, r io.ReaderAt, size int64) error {
	w, err := WalkPickle(io.NewSectionReader(r, 0, size), size)
	var c findings
	c.add(w, "")
	c.apply(f)
	if w.TorchLegacy {
		f.setMeta("torch_format", "legacy")
	}
	return err
}
