package evidence

import (
	"path"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/artifact"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
	"github.com/glassbox-dev/glassbox/internal/release"
)

// checksumLine matches a line of a sha256sum-style checksum file: "<hex>  <name>" or
// "<hex> *<name>".
var checksumLine = lazyre.New(`^([0-9a-fA-F]{64})\s+\*?(\S.*)$`)

// checksumFileRe matches the names of checksum files releases ship.
var checksumFileRe = lazyre.New(`(?i)(^|/)(sha256sums?(\.txt)?|checksums?(\.txt)?|[^/]+\.sha256)$`)

// expected returns the sha256 a file should have and who says so: the source (a Hugging Face
// cache blob name), or a checksum file in the release.
func (v *view) expected(f release.File) (sum, from, ev string) {
	if f.Expected != nil {
		return strings.ToLower(f.Expected.SHA256), f.Expected.From, v.ev.add("inventory", f.Path+"#expected", f.Expected.SHA256, f.Expected.From)
	}
	for _, t := range v.rel.Texts {
		if !checksumFileRe.MatchString(t.Path) {
			continue
		}
		dir := path.Dir(t.Path)
		for i, line := range strings.Split(t.Content, "\n") {
			m := checksumLine.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			name := strings.TrimPrefix(m[2], "./")
			if dir != "." {
				name = dir + "/" + name
			}
			if strings.HasSuffix(t.Path, ".sha256") && strings.TrimSuffix(t.Path, ".sha256") == f.Path {
				name = f.Path
			}
			if name == f.Path {
				return strings.ToLower(m[1]), t.Path, v.fileEvidence(t.Path, i+1, i+1)
			}
		}
	}
	return "", "", ""
}

// checkHash compares a verified file's hash with what the release or source says it should be.
func (v *view) checkHash(f release.File, a *Artifact) {
	if !f.Verified {
		return
	}
	a.SHA256, a.Verified = f.SHA256, true
	want, from, ev := v.expected(f)
	if want == "" {
		return
	}
	if want != f.SHA256 {
		v.finding("hash-mismatch", High, a.Path+" has sha256 "+f.SHA256+" but "+from+" says "+want+"; the file is corrupt or not the one released", append(append([]string{}, a.Evidence...), ev)...)
		return
	}
	a.Evidence = appendUnique(a.Evidence, ev)
}

// checkIndexes cross-checks sharded checkpoints' index files with the shards: missing shards,
// tensors in the wrong shard, sizes that disagree.
func (v *view) checkIndexes() {
	for _, t := range v.rel.Texts {
		if !strings.HasSuffix(t.Path, ".safetensors.index.json") {
			continue
		}
		idx, err := artifact.ParseIndex([]byte(t.Content))
		if err != nil {
			v.finding("hash-mismatch", High, t.Path+" is not a valid shard index: "+err.Error(), v.fileEvidence(t.Path, 0, 0))
			continue
		}
		dir := path.Dir(t.Path)
		shards := map[string]*artifact.Facts{}
		sizes := map[string]int64{}
		for _, name := range idx.Shards() {
			p := path.Join(dir, name)
			f, ok := v.rel.File(p)
			if !ok {
				continue
			}
			if f.LFS != nil {
				sizes[name] = f.LFS.Size
				continue
			}
			sizes[name] = f.Size
			if h := v.headers[p]; h != nil {
				shards[name] = h
			}
		}
		if len(shards) == 0 {
			continue // only pointers or nothing: nothing to cross-check beyond presence
		}
		for _, problem := range artifact.CheckShards(idx, shards, sizes) {
			v.finding("hash-mismatch", High, t.Path+": "+problem, v.fileEvidence(t.Path, 0, 0))
		}
	}
}
