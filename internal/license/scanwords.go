package license

import (
	"encoding/binary"

	"github.com/google/licensecheck"
)

// The embedded word table (data/scanwords.bin), little-endian: for each candidate, its index in
// licensecheck.BuiltinLicenses (uint16), its count of words and of rare words (uint16 each),
// then the word hashes and the rare word hashes (uint32 each).

// encodeCandidates writes the table for cs, whose licences are entries of all.
func encodeCandidates(cs []scanCandidate, all []licensecheck.License) []byte {
	var b []byte
	for _, c := range cs {
		idx := -1
		for i, l := range all {
			if l.ID == c.lic.ID && l.LRE == c.lic.LRE {
				idx = i
				break
			}
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(idx))
		b = binary.LittleEndian.AppendUint16(b, uint16(len(c.words)))
		b = binary.LittleEndian.AppendUint16(b, uint16(len(c.rare)))
		for _, w := range append(append([]uint32{}, c.words...), c.rare...) {
			b = binary.LittleEndian.AppendUint32(b, w)
		}
	}
	return b
}

// decodeCandidates reads the table back; ok is false when it does not fit all (another
// licensecheck version), so the caller computes the candidates instead.
func decodeCandidates(b []byte, all []licensecheck.License) (cs []scanCandidate, ok bool) {
	for len(b) > 0 {
		if len(b) < 6 {
			return nil, false
		}
		idx, nw, nr := int(binary.LittleEndian.Uint16(b)), int(binary.LittleEndian.Uint16(b[2:])), int(binary.LittleEndian.Uint16(b[4:]))
		b = b[6:]
		if idx >= len(all) || len(b) < 4*(nw+nr) || !scanned(all[idx].ID) || all[idx].LRE == "" {
			return nil, false
		}
		c := scanCandidate{lic: all[idx], words: make([]uint32, nw), rare: make([]uint32, nr)}
		for i := range c.words {
			c.words[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
		b = b[4*nw:]
		for i := range c.rare {
			c.rare[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
		b = b[4*nr:]
		cs = append(cs, c)
	}
	return cs, len(cs) > 0
}
