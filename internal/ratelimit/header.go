package ratelimit

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxHeaderNumber bounds the numbers ParseHeader accepts, so that no arithmetic on them can
// overflow; a window or a count beyond it is nonsense from any server.
const maxHeaderNumber = 1 << 31

// ParseHeader reads the IETF RateLimit header the Hub sends, such as `"api";r=0;t=55`: the
// requests remaining in the current window and the seconds until it resets. ok is false when
// either number is missing or malformed (remaining and reset are then -1, or 0 for an empty
// header); other parameters, such as the bucket's name, are ignored.
func ParseHeader(h string) (remaining, reset int, ok bool) {
	if h == "" {
		return 0, 0, false
	}
	remaining, reset = -1, -1
	for _, p := range strings.Split(h, ";") {
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n > maxHeaderNumber {
			continue
		}
		switch strings.TrimSpace(k) {
		case "r":
			remaining = n
		case "t":
			reset = n
		}
	}
	return remaining, reset, remaining >= 0 && reset >= 0
}

// RetryAfter reads a Retry-After value, in seconds or as an HTTP date (taken relative to now),
// as the wait it asks for; ok is false when the value is empty or malformed. A date in the
// past asks for no wait; very long waits are capped at 2^32 seconds.
func RetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		return time.Duration(min(s, 1<<32)) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}
