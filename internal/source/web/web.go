// Package web holds the defences every HTTP source of glassbox shares (the Hub client now, the
// GitHub client later): credentials scoped to one origin, user-info kept out of messages,
// answers read under a size cap, and one memory budget for the answers held at once.
package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Origin is the scheme, host and port of u, lower-cased, with the scheme's default port made
// explicit, so "https://Hub.example" and "https://hub.example:443" are one origin and
// "http://hub.example:8080" another.
func Origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + host + ":" + port
}

// ScopedAuth adds credentials to the requests bound for one origin and to no other: not to a
// redirect target on another host or port, not to a pagination link elsewhere. The header is
// set here, per request, rather than on the request the caller builds, so net/http's redirect
// logic never copies it.
type ScopedAuth struct {
	// Origin is the only origin (as Origin computes it) the credentials go to.
	Origin string
	// Header and Value are the credential header, such as "Authorization" and "Bearer …".
	Header, Value string
	// User, when set, is sent as basic authentication instead (from user-info in an endpoint URL).
	User *url.Userinfo
	// Next performs the request; nil means http.DefaultTransport.
	Next http.RoundTripper
}

// RoundTrip forwards r, with the credentials only when r goes to Origin. Any credential the
// caller put on a request for another origin is removed.
func (s *ScopedAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	next := s.Next
	if next == nil {
		next = http.DefaultTransport
	}
	same := Origin(r.URL) == s.Origin
	r = r.Clone(r.Context())
	r.URL.User = nil
	if !same {
		r.Header.Del("Authorization")
		r.Header.Del(s.Header)
		return next.RoundTrip(r)
	}
	if s.User != nil {
		pw, _ := s.User.Password()
		r.SetBasicAuth(s.User.Username(), pw)
	} else if s.Value != "" {
		r.Header.Set(s.Header, s.Value)
	}
	return next.RoundTrip(r)
}

// SplitUser returns raw without its user-info, and the user-info (nil when none), so that a
// password in an endpoint URL becomes scoped credentials and never reaches a message.
func SplitUser(raw string) (string, *url.Userinfo) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return Redact(raw), nil
	}
	user := u.User
	u.User = nil
	return u.String(), user
}

// Redact removes user-info from every URL in s ("http://user:pw@host" becomes "http://host"),
// for messages and logs.
func Redact(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexAny(s, "/?# \t\n\"'<>")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndex(s[:end], "@"); at >= 0 {
			s = s[at+1:]
		}
	}
}

// ErrTooLarge marks an answer over its size cap.
var ErrTooLarge = errors.New("answer too large")

// ReadAll reads r to the end, failing with ErrTooLarge once more than max bytes come. The cap
// applies to the bytes after any decompression, so a small gzip bomb cannot inflate past it.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: answer over %s", ErrTooLarge, Size(max))
	}
	return b, nil
}

// Size writes n bytes for people: "8 MB", "512 KB", "12 bytes" (binary units, as caps are).
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
