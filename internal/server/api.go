package server

import (
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/store"
)

//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPI)
}

// requireToken lets a request through only with "Authorization: Bearer TOKEN" naming a token
// the store knows.
func (s *server) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok {
			valid, err := s.cfg.Store.CheckToken(r.Context(), strings.TrimSpace(token))
			if err != nil {
				problem(w, http.StatusServiceUnavailable, "store unavailable", "the token could not be checked")
				return
			}
			ok = valid
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="glassbox"`)
			problem(w, http.StatusUnauthorized, "unauthorized", "submitting audits needs a write token (glassbox token create) as 'Authorization: Bearer TOKEN'")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// submit queues an audit: {"target": "hf:ORG/NAME[@REV]"} → 202 {"id", "status"}.
func (s *server) submit(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Target string `json:"target"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			problem(w, http.StatusRequestEntityTooLarge, "request too large", "bodies are limited to 64 KiB")
			return
		}
		problem(w, http.StatusBadRequest, "bad request", `the body must be {"target": "hf:ORG/NAME[@REV]"} (or gh:ORG/REPO[@REF]): `+err.Error())
		return
	}
	if _, err := queue.ModelOf(body.Target); err != nil {
		problem(w, http.StatusBadRequest, "unsupported target", err.Error()+"; the server audits Hugging Face Hub and GitHub repositories only")
		return
	}
	job, err := s.cfg.Queue.Submit(r.Context(), body.Target)
	if err != nil {
		problem(w, http.StatusServiceUnavailable, "queue unavailable", "the audit could not be queued; try again")
		return
	}
	s.cfg.Metrics.audits.WithLabelValues("submitted").Inc()
	w.Header().Set("Location", "/api/v1/audits/"+job.ID)
	writeJSON(w, http.StatusAccepted, job)
}

// job reports an audit job: {"id", "status", "error"?, "audit"?}.
func (s *server) job(w http.ResponseWriter, r *http.Request) {
	job, err := s.cfg.Queue.Get(r.Context(), chi.URLParam(r, "id"))
	switch {
	case errors.Is(err, queue.ErrNotFound):
		problem(w, http.StatusNotFound, "no such audit", "no audit job has id "+strconv.Quote(chi.URLParam(r, "id")))
	case err != nil:
		problem(w, http.StatusServiceUnavailable, "queue unavailable", "the job could not be read; try again")
	default:
		writeJSON(w, http.StatusOK, job)
	}
}

func modelParam(r *http.Request) store.Model {
	return store.Model{Org: chi.URLParam(r, "org"), Name: chi.URLParam(r, "name")}
}

// requestedAudit reads the audit a request names: the model's latest, or its audit at
// ?revision=; it writes the problem and returns false when there is none or the store fails.
func (s *server) requestedAudit(w http.ResponseWriter, r *http.Request) (*store.Audit, bool) {
	m := modelParam(r)
	var a *store.Audit
	var err error
	if rev := r.URL.Query().Get("revision"); rev != "" {
		a, err = s.cfg.Store.AtRevision(r.Context(), m, rev)
	} else {
		a, err = s.cfg.Store.Latest(r.Context(), m)
	}
	return a, s.found(w, err, m)
}

// model writes a model's latest report, or its report at ?revision=, as stored.
func (s *server) model(w http.ResponseWriter, r *http.Request) {
	a, ok := s.requestedAudit(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(a.Report)
}

// history lists a model's audits, newest first.
func (s *server) history(w http.ResponseWriter, r *http.Request) {
	m := modelParam(r)
	h, err := s.cfg.Store.History(r.Context(), m)
	if err == nil && len(h) == 0 {
		err = store.ErrNotFound
	}
	if !s.found(w, err, m) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"model": m, "audits": h})
}

// found writes the problem for a failed read, and reports whether the read succeeded.
func (s *server) found(w http.ResponseWriter, err error, m store.Model) bool {
	switch {
	case errors.Is(err, store.ErrNotFound):
		problem(w, http.StatusNotFound, "not audited", m.String()+" has not been audited; submit it with POST /api/v1/audits")
		return false
	case err != nil:
		problem(w, http.StatusServiceUnavailable, "store unavailable", "the store could not be read; try again")
		return false
	}
	return true
}

// queryOf reads a search query from URL parameters.
func queryOf(r *http.Request) (store.Query, error) {
	v := r.URL.Query()
	q := store.Query{Text: v.Get("q"), Tier: v.Get("tier"), MinTier: v.Get("min_tier"), License: v.Get("license"),
		Finding: v.Get("finding"), Restriction: v.Get("restriction"), Library: v.Get("library"), Sort: v.Get("sort"),
		Family: v.Get("family"), Task: v.Get("task")}
	for key, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		if s := v.Get(key); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return q, errors.New(key + " must be a whole number")
			}
			*dst = n
		}
	}
	return q, nil
}

// search filters the latest audit of every model.
func (s *server) search(w http.ResponseWriter, r *http.Request) {
	q, err := queryOf(r)
	if err != nil {
		problem(w, http.StatusBadRequest, "bad query", err.Error())
		return
	}
	page, err := s.cfg.Store.Search(r.Context(), q)
	if !searched(w, err) {
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// searched writes the problem for a failed search, and reports whether the search succeeded: a
// bad query is the client's 400, anything else the store's 503.
func searched(w http.ResponseWriter, err error) bool {
	switch {
	case errors.Is(err, store.ErrBadQuery):
		problem(w, http.StatusBadRequest, "bad query", err.Error())
		return false
	case err != nil:
		problem(w, http.StatusServiceUnavailable, "store unavailable", "the store could not be searched; try again")
		return false
	}
	return true
}
