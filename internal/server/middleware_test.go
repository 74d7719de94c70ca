package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverPanics(t *testing.T) {
	t.Parallel()
	var logged bytes.Buffer
	h := recoverPanics(slog.New(slog.NewTextHandler(&logged, nil)))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if w.Code != http.StatusInternalServerError || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("status %d, type %q; want a 500 problem", w.Code, w.Header().Get("Content-Type"))
	}
	if !strings.Contains(logged.String(), "boom") || !strings.Contains(logged.String(), "path=/x") {
		t.Errorf("log %q does not name the panic and the path", logged.String())
	}
	abort := recoverPanics(slog.New(slog.DiscardHandler))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler passed on", v)
		}
	}()
	abort.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

func TestStatusWriter(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	w := wrapStatus(rec)
	if wrapStatus(w) != w {
		t.Error("a wrapped writer is wrapped again")
	}
	if w.status != 0 {
		t.Errorf("status %d before anything is written, want 0", w.status)
	}
	_, _ = w.Write([]byte("hello"))
	w.WriteHeader(http.StatusTeapot) // too late: the first final status stands
	if w.status != http.StatusOK || w.bytes != 5 {
		t.Errorf("status %d bytes %d, want 200 and 5", w.status, w.bytes)
	}
	hints := wrapStatus(httptest.NewRecorder())
	hints.WriteHeader(http.StatusEarlyHints)
	if hints.status != 0 {
		t.Errorf("status %d after 103 Early Hints, want 0 (not final)", hints.status)
	}
	if w.Unwrap() != rec {
		t.Error("Unwrap does not give the underlying writer")
	}
}
