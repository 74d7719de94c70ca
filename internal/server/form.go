package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/glassbox-dev/glassbox/internal/queue"
)

// csrfCookie holds the form's anti-forgery token (a double-submit cookie): the form carries the
// same value in a hidden field, which a page on another site can neither read nor set.
const csrfCookie = "glassbox_csrf"

// newCSRF returns a fresh random token: 32 bytes, 43 characters of base64url.
func newCSRF() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// setCSRF gives the client a new token cookie: SameSite=Strict, HttpOnly, Secure over TLS.
func setCSRF(w http.ResponseWriter, r *http.Request) string {
	tok := newCSRF()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/audit", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 3600})
	return tok
}

// checkCSRF reports whether a form's csrf field matches its cookie.
func checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	field := r.PostFormValue("csrf")
	return err == nil && len(c.Value) == 43 && subtle.ConstantTimeCompare([]byte(c.Value), []byte(field)) == 1
}

// auditForm is what the form page shows.
type auditForm struct {
	CSRF, Target, Error string
}

func (s *server) auditFormPage(w http.ResponseWriter, r *http.Request) {
	tok := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		tok = c.Value // keep it, so a form open in another tab stays valid
	} else {
		tok = setCSRF(w, r)
	}
	render(w, "audit.html", auditForm{CSRF: tok})
}

// auditFormPost queues the form's audit and sends the browser to its progress page. A
// forged form (no or a wrong CSRF token) is refused with 403 before the token is looked at.
func (s *server) auditFormPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			problem(w, http.StatusRequestEntityTooLarge, "request too large", "bodies are limited to 64 KiB")
			return
		}
		problem(w, http.StatusBadRequest, "bad form", "the form could not be read")
		return
	}
	if !checkCSRF(r) {
		problem(w, http.StatusForbidden, "forbidden", "the form's anti-forgery token is missing or wrong; reload /audit and submit again")
		return
	}
	form := auditForm{Target: strings.TrimSpace(r.PostFormValue("target"))}
	fail := func(status int, msg string) {
		form.Error, form.CSRF = msg, setCSRF(w, r)
		renderStatus(w, status, "audit.html", form)
	}
	ok, err := s.cfg.Store.CheckToken(r.Context(), strings.TrimSpace(r.PostFormValue("token")))
	if err != nil {
		fail(http.StatusServiceUnavailable, "The token could not be checked; try again.")
		return
	}
	if !ok {
		fail(http.StatusUnauthorized, "That is not a write token of this server (glassbox token create makes one).")
		return
	}
	if _, err := queue.ModelOf(form.Target); err != nil {
		fail(http.StatusBadRequest, "Not a Hub target: "+err.Error()+".")
		return
	}
	job, err := s.cfg.Queue.Submit(r.Context(), form.Target)
	if err != nil {
		fail(http.StatusServiceUnavailable, "The audit could not be queued; try again.")
		return
	}
	s.cfg.Metrics.audits.WithLabelValues("submitted").Inc()
	http.Redirect(w, r, "/audits/"+job.ID, http.StatusSeeOther)
}

// jobPage shows an audit job's progress; /assets/progress.js refreshes it until it ends.
func (s *server) jobPage(w http.ResponseWriter, r *http.Request) {
	job, err := s.cfg.Queue.Get(r.Context(), chi.URLParam(r, "id"))
	switch {
	case errors.Is(err, queue.ErrNotFound):
		problem(w, http.StatusNotFound, "no such audit", "no audit job has this id")
		return
	case err != nil:
		problem(w, http.StatusServiceUnavailable, "queue unavailable", "the job could not be read; try again")
		return
	}
	model := ""
	if m, err := queue.ModelOf(job.Target); err == nil && !strings.Contains(m.Org, "/") {
		model = "/models/" + m.Org + "/" + m.Name // datasets (datasets/ORG) have no page
	}
	render(w, "job.html", map[string]any{"Job": job, "Model": model})
}
