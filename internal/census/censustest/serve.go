package censustest

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// classify names a path's rate-limit bucket ("" for the unlimited CDN) and its kind.
func classify(p string) (bucket, kind string) {
	switch {
	case p == "/api/models":
		return "api", "list"
	case strings.HasPrefix(p, "/api/models/") && strings.Contains(p, "/tree/"):
		return "api", "tree"
	case strings.HasPrefix(p, "/api/models/"):
		return "api", "info"
	case strings.HasPrefix(p, "/api/datasets/"):
		return "api", "dataset"
	case strings.HasPrefix(p, "/api/"):
		return "api", "other"
	case strings.HasPrefix(p, "/cdn/"):
		return "", "cdn"
	case strings.Contains(p, "/resolve/"):
		return "resolvers", "resolve"
	}
	return "pages", "other"
}

// route dispatches a request of a known kind.
func (h *Hub) route(w http.ResponseWriter, r *http.Request, kind string) {
	p := r.URL.EscapedPath()
	switch kind {
	case "list":
		h.list(w, r)
	case "info", "tree":
		h.model(w, r, strings.TrimPrefix(p, "/api/models/"))
	case "dataset":
		h.dataset(w, strings.TrimPrefix(p, "/api/datasets/"))
	case "resolve":
		h.resolve(w, r, strings.TrimPrefix(p, "/"))
	case "cdn":
		h.cdn(w, r, strings.TrimPrefix(p, "/cdn/"))
	default:
		hubError(w, http.StatusNotFound, "", "Not found")
	}
}

// cutAt splits an escaped path "org/name/<sep>/rest" at "/sep/".
func cutAt(p, sep string) (repo, rest string, ok bool) {
	if i := strings.Index(p, "/"+sep+"/"); i >= 0 {
		return p[:i], p[i+len(sep)+2:], true
	}
	return p, "", false
}

// lookup finds the model an escaped id names, writing RepoNotFound when there is none.
func (h *Hub) lookup(w http.ResponseWriter, escaped string) int {
	id, err := url.PathUnescape(escaped)
	i := -1
	if err == nil {
		i = h.index(id)
	}
	if i < 0 {
		hubError(w, http.StatusNotFound, "RepoNotFound", "Repository not found")
	}
	return i
}

// pin resolves an escaped revision of model i, writing RevisionNotFound when unknown.
func (h *Hub) pin(w http.ResponseWriter, i int, escaped string) string {
	rev, err := url.PathUnescape(escaped)
	sha := ""
	if err == nil {
		sha = h.revision(i, rev)
	}
	if sha == "" {
		hubError(w, http.StatusNotFound, "RevisionNotFound", "Invalid rev id: "+rev)
	}
	return sha
}

// model serves /api/models/{id}, …/revision/{rev} and …/tree/{rev}[/{path}].
func (h *Hub) model(w http.ResponseWriter, r *http.Request, p string) {
	repo, rest, isTree := cutAt(p, "tree")
	if !isTree {
		repo, rest, _ = cutAt(p, "revision")
	}
	i := h.lookup(w, repo)
	if i < 0 {
		return
	}
	rawRev, sub, _ := strings.Cut(rest, "/")
	sha := h.pin(w, i, rawRev)
	if sha == "" {
		return
	}
	if isTree {
		h.tree(w, r, i, sub)
		return
	}
	fields, ok := infoFields(w, r.URL.Query())
	if !ok {
		return
	}
	var b bytes.Buffer
	h.entry(&b, i, sha, fields)
	b.WriteByte('\n')
	w.Header().Set("Content-Type", "application/json")
	w.Write(b.Bytes())
}

// tree serves a model's recursive file listing (one page: templates hold a few files).
func (h *Hub) tree(w http.ResponseWriter, r *http.Request, i int, sub string) {
	if r.URL.Query().Get("recursive") != "true" && r.URL.Query().Get("recursive") != "1" {
		hubError(w, http.StatusBadRequest, "", "the census fake Hub serves recursive listings only")
		return
	}
	if sub != "" {
		// Every file sits at the top of the repository.
		hubError(w, http.StatusNotFound, "EntryNotFound", sub+" does not exist")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(h.template(i).tree)
}

// resolve serves /{id}/resolve/{rev}/{path}: small files directly with their git oid as ETag,
// LFS files by a redirect to the CDN with X-Linked-Etag (the sha256) and X-Linked-Size.
func (h *Hub) resolve(w http.ResponseWriter, r *http.Request, p string) {
	repo, rest, _ := cutAt(p, "resolve")
	i := h.lookup(w, repo)
	if i < 0 {
		return
	}
	rawRev, rawPath, _ := strings.Cut(rest, "/")
	sha := h.pin(w, i, rawRev)
	if sha == "" {
		return
	}
	name, _ := url.PathUnescape(rawPath)
	t := h.template(i)
	f := t.file(name)
	if f == nil {
		hubError(w, http.StatusNotFound, "EntryNotFound", name+" does not exist on \""+rawRev+"\"")
		return
	}
	if t.gated != "" && name != "README.md" && name != ".gitattributes" && r.Header.Get("Authorization") == "" {
		hubError(w, http.StatusUnauthorized, "GatedRepo", "Access to model "+h.id(i)+" is restricted. You must have access to it and be authenticated to access it. Please log in.")
		return
	}
	w.Header().Set("X-Repo-Commit", sha)
	if f.lfs {
		w.Header().Set("X-Linked-Etag", `"`+f.sha256+`"`)
		w.Header().Set("X-Linked-Size", itoa(len(f.data)))
		w.Header().Set("Location", h.srv.URL+"/cdn/"+f.sha256)
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+f.oid+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
}

// file finds a template's file by path.
func (t *template) file(path string) *file {
	for k := range t.files {
		if t.files[k].path == path {
			return &t.files[k]
		}
	}
	return nil
}

// cdn serves LFS content by sha256, with Range, as the Hub's storage does after the redirect.
func (h *Hub) cdn(w http.ResponseWriter, r *http.Request, oid string) {
	f := h.c.lfs[oid]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", `"`+oid+`"`)
	http.ServeContent(w, r, oid, time.Time{}, bytes.NewReader(f.data))
}

// dataset serves /api/datasets/{id}: the licence its card declares, a commit and tags.
func (h *Hub) dataset(w http.ResponseWriter, escaped string) {
	id, _ := url.PathUnescape(strings.TrimSuffix(escaped, "/"))
	if rev, _, ok := strings.Cut(id, "/revision/"); ok {
		id = rev
	}
	lic, ok := h.c.datasets[id]
	if !ok {
		hubError(w, http.StatusNotFound, "RepoNotFound", "Repository not found")
		return
	}
	b := appendJSONObject(nil, map[string]any{
		"_id": datasetSHA(id)[:24], "id": id, "sha": datasetSHA(id),
		"private": false, "gated": false, "disabled": false,
		"cardData": map[string]any{"license": lic}, "tags": []string{"license:" + lic},
	})
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(b, '\n'))
}

// datasetSHA is a dataset's commit.
func datasetSHA(id string) string {
	s := sha1.Sum([]byte("dataset " + id))
	return hex.EncodeToString(s[:])
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }

// appendJSONObject appends v as JSON; v holds only values encoding/json always accepts.
func appendJSONObject(b []byte, v any) []byte {
	out, _ := json.Marshal(v)
	return append(b, out...)
}
