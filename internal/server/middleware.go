package server

import (
	"log/slog"
	"net/http"
	"runtime/debug"
)

// statusWriter records the status and the number of body bytes a handler writes, for the
// request log and the latency metric. Status is 0 until the handler writes anything.
//
// glassbox keeps this and recoverPanics rather than importing chi's middleware package, whose
// imports (net/http/pprof, expvar) and start-up work every command paid.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

// wrapStatus wraps w, or returns it as it is when an outer middleware already wrapped it.
func wrapStatus(w http.ResponseWriter) *statusWriter {
	if sw, ok := w.(*statusWriter); ok {
		return sw
	}
	return &statusWriter{ResponseWriter: w}
}

// WriteHeader records the first final status (informational 1xx answers are not final).
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200 and counts the bytes written.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer (flushing, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverPanics turns a handler's panic into a 500 problem and logs it with its stack, so one
// bad request cannot end the server. http.ErrAbortHandler is passed on: it is how a handler
// asks net/http to drop the connection.
func recoverPanics(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				problem(w, http.StatusInternalServerError, "internal error", "the server failed on this request; it has been logged")
			}()
			next.ServeHTTP(w, r)
		})
	}
}
