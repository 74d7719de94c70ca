// Package server is glassbox's web service: the REST API (/api/v1, JSON, errors as RFC 9457
// problem details) and server-rendered pages over the store of audits, with audits submitted to
// the queue. Reading is public; writing needs a token the store knows (glassbox token create).
// Targets are limited to Hub and GitHub names (hf:ORG/NAME[@REV], gh:ORG/REPO[@REF]): the server never fetches an arbitrary
// URL or reads a local path.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/glassbox-dev/glassbox/internal/census/report"
	"github.com/glassbox-dev/glassbox/internal/queue"
	"github.com/glassbox-dev/glassbox/internal/store"
)

// Config is what a server needs.
type Config struct {
	Store store.Store
	Queue queue.Queue
	// Logger receives one structured line per request (default: discard).
	Logger *slog.Logger
	// WriteRate is how many writes one client may make a minute (default 30).
	WriteRate int
	// ReadRate is how many requests one client may make a minute (default 600).
	ReadRate int
	// Ready reports whether the server's dependencies answer (default: the store's search).
	Ready func(ctx context.Context) error
	// Metrics are exposed at /metrics (default: new metrics of this handler alone).
	Metrics *Metrics
	// Census returns the latest census's header and summary, shown at /census and
	// /api/v1/census; nil, or an error wrapping ErrNoCensus, means none has run yet.
	Census func(ctx context.Context) (report.Meta, *report.Summary, error)
}

// maxBody bounds every request body.
const maxBody = 64 << 10

// New returns the server's handler.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.WriteRate == 0 {
		cfg.WriteRate = 30
	}
	if cfg.ReadRate == 0 {
		cfg.ReadRate = 600
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	cfg.Metrics.WatchQueue(cfg.Queue)
	s := &server{cfg: cfg}
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, cfg.Metrics.observe, s.logRequests, securityHeaders, limitBody)
	r.Use(httprate.Limit(cfg.ReadRate, time.Minute, httprate.WithKeyFuncs(httprate.KeyByIP), httprate.WithLimitHandler(tooMany)))
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Get("/readyz", s.ready)
	r.Handle("/metrics", cfg.Metrics.Handler())
	r.Route("/api/v1", func(r chi.Router) {
		r.Get("/openapi.json", serveOpenAPI)
		r.With(httprate.Limit(cfg.WriteRate, time.Minute, httprate.WithKeyFuncs(httprate.KeyByIP), httprate.WithLimitHandler(tooMany)), s.requireToken).
			Post("/audits", s.submit)
		r.Get("/audits/{id}", s.job)
		r.Get("/models", s.search)
		r.Get("/models/{org}/{name}", s.model)
		r.Get("/models/{org}/{name}/history", s.history)
		r.Get("/compare", s.compareAPI)
		r.Get("/census", s.censusAPI)
	})
	r.Get("/", s.leaderboardPage)
	r.Get("/audit", s.auditFormPage)
	r.With(httprate.Limit(cfg.WriteRate, time.Minute, httprate.WithKeyFuncs(httprate.KeyByIP), httprate.WithLimitHandler(tooMany)), crossOrigin).
		Post("/audit", s.auditFormPost)
	r.Get("/audits/{id}", s.jobPage)
	r.Get("/assets/census.css", censusCSS)
	r.Handle("/assets/*", assetServer())
	r.Get("/models/{org}/{name}", s.modelPage)
	r.Get("/models/{org}/{name}/report.json", s.download)
	r.Get("/models/{org}/{name}/report.{format}", s.downloadAs)
	r.Get("/compare", s.comparePage)
	r.Get("/census", s.censusPage)
	r.Get("/badge/{org}/{name}.svg", s.badge)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "not found", r.URL.Path+" is not a page or endpoint of glassbox")
	})
	return r
}

type server struct {
	cfg Config
}

// logRequests writes one structured line per request; it never logs headers, so tokens stay out
// of the logs.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.cfg.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(), "bytes", ww.BytesWritten(), "duration_ms", time.Since(start).Milliseconds())
	})
}

// securityHeaders sets a strict Content-Security-Policy (no script, style or image from
// anywhere but the server itself; no inline script), and the usual companions.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over maxBody.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			problem(w, http.StatusRequestEntityTooLarge, "request too large", "bodies are limited to 64 KiB")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests a browser says come from another origin
// (Sec-Fetch-Site, Origin), a second line behind the form's CSRF token.
func crossOrigin(next http.Handler) http.Handler {
	return http.NewCrossOriginProtection().Handler(next)
}

func tooMany(w http.ResponseWriter, _ *http.Request) {
	problem(w, http.StatusTooManyRequests, "too many requests", "this client is over its request rate; wait a minute")
}

func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	check := s.cfg.Ready
	if check == nil {
		check = func(ctx context.Context) error {
			_, err := s.cfg.Store.Search(ctx, store.Query{Limit: 1})
			return err
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := check(ctx); err != nil {
		problem(w, http.StatusServiceUnavailable, "not ready", "the store does not answer")
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// writeJSON writes v as JSON with a status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func problem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Problem{Type: "about:blank", Title: title, Status: status, Detail: detail})
}
