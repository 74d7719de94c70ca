// Package lazyre is a regular expression compiled on first use. Packages with many rules written
// as regular expressions (evidence, card) would otherwise compile all of them when the binary
// starts, which every command pays, `glassbox --version` included; with lazyre each pattern is
// compiled once, when a detector first needs it, and a malformed pattern still panics then, as
// regexp.MustCompile would at start-up (the packages' tests exercise every pattern).
package lazyre

import (
	"errors"
	"regexp"
	"sync"
)

// Regexp is a regexp.Regexp compiled on first use; it is safe for concurrent use.
type Regexp struct {
	expr string
	get  func() *regexp.Regexp
}

// made lists every pattern New returned, for Check.
var made struct {
	sync.Mutex
	all []*Regexp
}

// New returns a pattern compiled when it is first used.
func New(expr string) *Regexp {
	r := &Regexp{expr: expr, get: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
	made.Lock()
	made.all = append(made.all, r)
	made.Unlock()
	return r
}

// Check compiles every pattern New has returned and joins the errors of those that do not
// compile. A test of a command calls it, so that a malformed pattern no test happens to use
// still fails before release rather than panicking on first use.
func Check() error {
	made.Lock()
	all := append([]*Regexp(nil), made.all...)
	made.Unlock()
	var errs []error
	for _, r := range all {
		if _, err := regexp.Compile(r.expr); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp { return r.get() }

func (r *Regexp) String() string                 { return r.expr }
func (r *Regexp) MatchString(s string) bool      { return r.get().MatchString(s) }
func (r *Regexp) Match(b []byte) bool            { return r.get().Match(b) }
func (r *Regexp) FindString(s string) string     { return r.get().FindString(s) }
func (r *Regexp) FindStringIndex(s string) []int { return r.get().FindStringIndex(s) }
func (r *Regexp) FindStringSubmatch(s string) []string {
	return r.get().FindStringSubmatch(s)
}
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	return r.get().FindStringSubmatchIndex(s)
}
func (r *Regexp) FindAllString(s string, n int) []string { return r.get().FindAllString(s, n) }
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.get().FindAllStringIndex(s, n)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.get().FindAllStringSubmatch(s, n)
}
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.get().FindAllStringSubmatchIndex(s, n)
}
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.get().ReplaceAllString(src, repl)
}
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.get().ReplaceAllStringFunc(src, repl)
}
func (r *Regexp) Split(s string, n int) []string { return r.get().Split(s, n) }
func (r *Regexp) SubexpIndex(name string) int    { return r.get().SubexpIndex(name) }
