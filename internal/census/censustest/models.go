package censustest

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Models are generated from their index i: model i uses template i % len(templates); the first
// model of each template carries the template's home id (a real model id, or the base a card
// names); every other model is ORG/STEM-m<base36 i>, its organisation drawn so that a few
// organisations own many models. createdAt grows with i, so the default listing order (by
// index) is also creation order. Nothing is stored per model except the commits of bumped ones
// and, once a listing sorts by them, one int32 per model and sort key.

var (
	epoch = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	span  = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC).Sub(epoch)
)

// mix is splitmix64: a well-spread hash of the seed, a model index and a salt.
func mix(seed int64, i int, salt uint64) uint64 {
	z := uint64(seed) ^ uint64(i)*0x9e3779b97f4a7c15 ^ salt*0xbf58476d1ce4e5b9
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	return z ^ z>>31
}

// unit is a uniform number in (0, 1].
func unit(h uint64) float64 { return (float64(h>>11) + 1) / (1 << 53) }

// template is the template of model i.
func (h *Hub) template(i int) *template { return h.c.templates[i%len(h.c.templates)] }

// syllables spell organisation names.
var syllables = []string{"ka", "lo", "mi", "ner", "vo", "zen", "tri", "sa", "quo", "ra", "bel", "dux", "fi", "gor", "hal", "ix"}

// orgName spells organisation k; distinct k give distinct names.
func orgName(k int) string {
	var b strings.Builder
	for {
		b.WriteString(syllables[k%len(syllables)])
		k /= len(syllables)
		if k == 0 {
			break
		}
	}
	return b.String() + "-ai"
}

// orgs is how many generated organisations share the models that are not first of a template.
func (h *Hub) orgs() int { return max(8, h.cfg.Models/25) }

// org is the organisation of model i; the cube makes low-numbered organisations much larger.
func (h *Hub) org(i int) string {
	if i < len(h.c.templates) {
		org, _, _ := strings.Cut(h.c.templates[i].home, "/")
		return org
	}
	u := unit(mix(h.cfg.Seed, i, 1))
	return orgName(int(float64(h.orgs()) * u * u * u * 0.999999))
}

// id is the id of model i.
func (h *Hub) id(i int) string {
	t := h.template(i)
	if i < len(h.c.templates) {
		return t.home
	}
	return h.org(i) + "/" + t.stem + "-m" + strconv.FormatInt(int64(i), 36)
}

// index finds the model an id names, or -1.
func (h *Hub) index(id string) int {
	if i, ok := h.c.home[id]; ok {
		if i < h.cfg.Models {
			return i
		}
		return -1
	}
	k := strings.LastIndex(id, "-m")
	if k < 0 {
		return -1
	}
	n, err := strconv.ParseInt(id[k+2:], 36, 64)
	if err != nil || n < int64(len(h.c.templates)) || n >= int64(h.cfg.Models) || h.id(int(n)) != id {
		return -1
	}
	return int(n)
}

// created is when model i was created: evenly spread over 2022 to mid-2026, jittered within
// its slot so the order by index is kept.
func (h *Hub) created(i int) time.Time {
	slot := span / time.Duration(h.cfg.Models)
	jitter := time.Duration(unit(mix(h.cfg.Seed, i, 2)) * float64(slot-time.Millisecond))
	return epoch.Add(slot*time.Duration(i) + jitter).Truncate(time.Millisecond)
}

// modified is model i's last commit: up to 180 days after creation, a day later per bump.
func (h *Hub) modified(i int) time.Time {
	days := time.Duration(mix(h.cfg.Seed, i, 3)%180) * 24 * time.Hour
	return h.created(i).Add(days + time.Duration(h.bumps(i))*24*time.Hour)
}

// downloads is heavy-tailed (Pareto, α = 0.8): most models have a handful, a few millions.
func (h *Hub) downloads(i int) int64 {
	d := 3*math.Pow(unit(mix(h.cfg.Seed, i, 4)), -1/0.8) - 3
	return int64(min(d, 5e8))
}

// likes grow with the square root of downloads.
func (h *Hub) likes(i int) int64 {
	return int64(math.Sqrt(float64(h.downloads(i))) * unit(mix(h.cfg.Seed, i, 5)) / 2)
}

// objectID is the Hub's _id: a MongoDB ObjectId whose first 4 bytes are the creation time.
func (h *Hub) objectID(i int) string {
	return fmt.Sprintf("%08x%016x", uint32(h.created(i).Unix()), mix(h.cfg.Seed, i, 6))
}

// bumps is how many times model i was bumped.
func (h *Hub) bumps(i int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return int(h.bumped[int32(i)])
}

// sha is model i's commit after b bumps.
func (h *Hub) sha(i, b int) string {
	return commitOf(h.cfg.Seed, i, b)
}

// revision resolves rev ("main" or any commit the model has had) to a commit, or "".
func (h *Hub) revision(i int, rev string) string {
	b := h.bumps(i)
	if rev == "" || rev == "main" {
		return h.sha(i, b)
	}
	for k := b; k >= 0; k-- {
		if h.sha(i, k) == rev {
			return rev
		}
	}
	return ""
}

// relabels marks the templates whose card declares only apache-2.0 or mit while one of their
// base models is listed and declares a restrictive licence.
func relabels(c *content, models int) []bool {
	out := make([]bool, len(c.templates))
	for k, t := range c.templates {
		if len(t.licenses) != 1 || (t.licenses[0] != "apache-2.0" && t.licenses[0] != "mit") {
			continue
		}
		for _, b := range t.bases {
			if base, ok := c.home[b]; ok && base < models && restrictive(c.templates[base]) {
				out[k] = true
			}
		}
	}
	return out
}

// restrictive names the Llama-style licences: Llama and Gemma terms, and `other` carrying the
// name of one of them or of Qwen's.
func restrictive(t *template) bool {
	for _, l := range t.licenses {
		if strings.HasPrefix(l, "llama") || l == "gemma" {
			return true
		}
		if l == "other" && slices.Contains([]string{"qwen", "tongyi-qianwen", "llama3", "gemma"}, t.licenseName) {
			return true
		}
	}
	return false
}
