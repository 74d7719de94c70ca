package license

import (
	"net/url"
	"strings"
	"sync"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Normalize maps a free-text licence name, as release authors write it, to the catalogue id it
// means: "Apache 2.0", "Apache License, Version 2.0", "apache-2.0" and
// https://www.apache.org/licenses/LICENSE-2.0 all give "Apache-2.0". It returns false when the
// text names no licence of the catalogue. It never guesses a version: "Apache" alone names
// nothing, and a family name such as "BSD" gives the catalogue's family entry (a LicenseRef-
// id), if it has one, never a particular BSD licence.
//
// A deprecated SPDX id is replaced by its current equivalent (GPL-3.0 → GPL-3.0-only,
// GPL-2.0+ → GPL-2.0-or-later) so that callers judge the licence by its current flags.
// Licence expressions ("MIT OR Apache-2.0") are not split here: that is the caller's job.
func Normalize(cat *Catalogue, s string) (id string, ok bool) {
	if cat == nil {
		return "", false
	}
	s = cleanName(s)
	if s == "" {
		return "", false
	}
	e := cat.normalize(s)
	if e == nil {
		return "", false
	}
	return cat.current(e).ID, true
}

// cleanName strips what surrounds a licence name in the wild: quotes, trailing punctuation and
// PyPI trove-classifier prefixes ("License :: OSI Approved :: MIT License").
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "::"); i >= 0 {
		s = s[i+2:]
	}
	s = strings.Trim(s, " \t\r\n\"'`“”‘’.,;:")
	return s
}

func (c *Catalogue) normalize(s string) *Entry {
	if isURL(s) {
		if e, ok := c.Lookup(s); ok {
			return e
		}
		return c.fromURL(s)
	}
	return c.normalizeName(s)
}

// normalizeName resolves a name that is not a URL: exact id, catalogue key or alias, a common
// name, then a squashed id or SPDX name.
func (c *Catalogue) normalizeName(s string) *Entry {
	if e, ok := c.byID[s]; ok {
		return e
	}
	if e, ok := c.Lookup(s); ok {
		return e
	}
	key := squash(s)
	if key == "" {
		return nil
	}
	if id, ok := commonNames[key]; ok {
		return c.byID[id]
	}
	return c.squashIndex()[key]
}

// current follows a deprecated SPDX id to the id that replaced it, when the replacement is the
// mechanical one SPDX itself made in version 3.0 of its list: "-only" for a bare GNU id and
// "-or-later" for a "+" suffix.
func (c *Catalogue) current(e *Entry) *Entry {
	if !e.Deprecated {
		return e
	}
	var next string
	if base, ok := strings.CutSuffix(e.ID, "+"); ok {
		next = base + "-or-later"
	} else {
		next = e.ID + "-only"
	}
	if n, ok := c.byID[next]; ok && !n.Deprecated {
		return n
	}
	return e
}

// commonNames holds names that no catalogue entry spells and that squash cannot derive, keyed
// by their squashed form. Only unambiguous names belong here: "BSD" alone could be any of
// several licences, so it is not mapped to one (the catalogue may know it as a family).
var commonNames = map[string]string{
	"bsd3.0":            "BSD-3-Clause", // "BSD-3", used by MOT records
	"bsd2.0":            "BSD-2-Clause",
	"newbsd":            "BSD-3-Clause",
	"modifiedbsd":       "BSD-3-Clause",
	"revisedbsd":        "BSD-3-Clause",
	"simplifiedbsd":     "BSD-2-Clause",
	"freebsd":           "BSD-2-Clause",
	"cc0.0":             "CC0-1.0", // "CC0"
	"expat":             "MIT",
	"asl2.0":            "Apache-2.0", // Fedora's short name
	"odcpddl1.0":        "PDDL-1.0",   // the Model Openness Tool's spelling
	"apachesoftware2.0": "Apache-2.0",
}

var (
	// A token that ends in "v" plus a version, as in GPLv3 or LGPLv2.1.
	glued = lazyre.New(`^([a-z]+?)v(\d+(?:\.\d+)*\+?)$`)
	// The boundary between letters and digits in a token such as "apache2" or "gpl3".
	letterDigit = lazyre.New(`([a-z])(\d)`)
)

// noiseWords are dropped before comparing names: they vary between spellings of one licence
// ("MIT License", "The MIT licence", "Apache License, Version 2.0") without changing it.
var noiseWords = map[string]bool{
	"the": true, "license": true, "licence": true, "licensed": true, "licenses": true,
	"version": true, "ver": true, "v": true, "international": true, "unported": true,
	"generic": true, "agreement": true,
}

// squash reduces a licence name or id to a comparison key: lower case, British and American
// spellings merged, noise words dropped, "v2", "2" and "2.0" made equal, and all separators
// removed, so "Apache License, Version 2.0", "apache 2" and "Apache-2.0" share the key
// "apache2.0". The same function keys the catalogue, so the two sides always agree.
func squash(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("licence", "license", "creative commons", "cc", "attribution", "by",
		"non commercial", "nc", "noncommercial", "nc", "non-commercial", "nc",
		"sharealike", "sa", "share alike", "sa", "share-alike", "sa",
		"noderivatives", "nd", "no derivatives", "nd", "noderivs", "nd").Replace(s)
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '+')
	})
	var b strings.Builder
	for _, f := range fields {
		f = strings.Trim(f, ".")
		if f == "" || noiseWords[f] {
			continue
		}
		if m := glued.FindStringSubmatch(f); m != nil {
			f = m[1] + " " + m[2]
		}
		f = letterDigit.ReplaceAllString(f, "$1 $2")
		for _, t := range strings.Fields(f) {
			if noiseWords[t] {
				continue
			}
			plus := strings.HasSuffix(t, "+")
			t = strings.TrimSuffix(t, "+")
			if t != "" && isDigits(t) {
				t += ".0" // a bare major version means its .0 release
			}
			b.WriteString(t)
			if plus {
				b.WriteByte('+')
			}
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var squashIndexes sync.Map // *Catalogue → map[string]*Entry

// squashIndex maps the squashed id and name of every entry to it, built once per catalogue.
// Ids claim keys before names; where two entries share a key the current one wins over the
// deprecated one, and a key that still names two licences is dropped rather than guessed.
func (c *Catalogue) squashIndex() map[string]*Entry {
	if v, ok := squashIndexes.Load(c); ok {
		return v.(map[string]*Entry)
	}
	idx := map[string]*Entry{}
	ambiguous := map[string]bool{}
	claim := func(key string, e *Entry, fromID map[string]bool) {
		if key == "" || ambiguous[key] {
			return
		}
		old, taken := idx[key]
		switch {
		case !taken:
			idx[key] = e
		case old == e:
		case c.current(old) == c.current(e):
			idx[key] = c.current(e)
		case fromID[key]:
			// An id keeps its key against a mere name.
		case old.Deprecated && !e.Deprecated:
			idx[key] = e
		case !old.Deprecated && e.Deprecated:
		default:
			delete(idx, key)
			ambiguous[key] = true
		}
	}
	fromID := map[string]bool{}
	for _, e := range c.entries {
		claim(squash(e.ID), e, nil)
	}
	for k := range idx {
		fromID[k] = true
	}
	for _, e := range c.entries {
		claim(squash(e.Name), e, fromID)
	}
	v, _ := squashIndexes.LoadOrStore(c, idx)
	return v.(map[string]*Entry)
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") ||
		strings.HasPrefix(l, "www.")
}

// licenceHosts maps a licence publisher's host to a function that reads the licence out of a
// path on it. Only publishers whose paths name one licence are listed: a LICENSE file in some
// repository could be anything.
var licenceHosts = map[string]func(c *Catalogue, path []string) *Entry{
	"apache.org": func(c *Catalogue, p []string) *Entry {
		// /licenses/LICENSE-2.0(.txt|.html)
		if len(p) == 2 && p[0] == "licenses" {
			return c.byName("Apache-" + strings.TrimPrefix(strings.ToUpper(p[1]), "LICENSE-"))
		}
		return nil
	},
	"opensource.org": func(c *Catalogue, p []string) *Entry {
		// /licenses/MIT, /licenses/Apache-2.0.php and the newer /license/apache-2-0
		if len(p) == 2 && (p[0] == "licenses" || p[0] == "license") {
			return c.byName(dashedVersion.ReplaceAllString(p[1], "$1.$2"))
		}
		return nil
	},
	"spdx.org": func(c *Catalogue, p []string) *Entry {
		if len(p) == 2 && p[0] == "licenses" {
			return c.byName(p[1])
		}
		return nil
	},
	"choosealicense.com": func(c *Catalogue, p []string) *Entry {
		if len(p) == 2 && p[0] == "licenses" {
			return c.byName(p[1])
		}
		return nil
	},
	"creativecommons.org": func(c *Catalogue, p []string) *Entry {
		// /licenses/by-sa/4.0/legalcode, /licenses/by/3.0/de/, /publicdomain/zero/1.0/
		if len(p) >= 3 && p[0] == "publicdomain" && p[1] == "zero" {
			return c.byName("CC0-" + p[2])
		}
		if len(p) < 3 || p[0] != "licenses" {
			return nil
		}
		id := "CC-" + strings.ToUpper(p[1]) + "-" + p[2]
		if len(p) >= 4 && p[3] != "legalcode" && p[3] != "deed" && !strings.HasPrefix(p[3], "deed.") &&
			!strings.HasPrefix(p[3], "legalcode.") {
			if e, ok := c.byID[id+"-"+strings.ToUpper(p[3])]; ok {
				return e
			}
		}
		return c.byID[id]
	},
	"opendatacommons.org": func(c *Catalogue, p []string) *Entry {
		// /licenses/odbl/1-0/ (older pages: 1.0), /licenses/by/1-0/, /licenses/pddl/1-0/
		if len(p) < 3 || p[0] != "licenses" {
			return nil
		}
		version := dashedVersion.ReplaceAllString(p[2], "$1.$2")
		switch p[1] {
		case "odbl":
			return c.byName("ODbL-" + version)
		case "by":
			return c.byName("ODC-By-" + version)
		case "pddl":
			return c.byName("PDDL-" + version)
		}
		return nil
	},
	"cdla.dev": func(c *Catalogue, p []string) *Entry {
		// /permissive-2-0/, /sharing-1-0/
		if len(p) >= 1 {
			return c.byName("CDLA-" + dashedVersion.ReplaceAllString(p[0], "$1.$2"))
		}
		return nil
	},
	"gnu.org": func(c *Catalogue, p []string) *Entry {
		// /licenses/gpl-3.0.html, /licenses/old-licenses/gpl-2.0.en.html
		if len(p) >= 2 && p[0] == "licenses" {
			return c.byName(p[len(p)-1])
		}
		return nil
	},
	"mit-license.org": func(c *Catalogue, p []string) *Entry { return c.byName("MIT") },
}

// dashedVersion matches a version written with dashes in a URL slug ("apache-2-0").
var dashedVersion = lazyre.New(`(\d)-(\d)`)

// byName resolves a name found inside a URL, after dropping a file extension.
func (c *Catalogue) byName(s string) *Entry {
	for _, ext := range []string{".en.html", ".html", ".htm", ".txt", ".php", ".json", ".md"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			s = s[:len(s)-len(ext)]
			break
		}
	}
	if s == "" || isURL(s) {
		return nil
	}
	return c.normalizeName(s)
}

func (c *Catalogue) fromURL(s string) *Entry {
	if strings.HasPrefix(strings.ToLower(s), "www.") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	read, ok := licenceHosts[host]
	if !ok {
		return nil
	}
	var path []string
	for _, p := range strings.Split(u.Path, "/") {
		if p != "" {
			path = append(path, p)
		}
	}
	return read(c, path)
}
