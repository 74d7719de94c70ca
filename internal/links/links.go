// Package links finds where a model card points outside its own repository: code repositories
// on github.com (with what the card says each one holds), Hugging Face datasets named by link in
// the prose, and papers (arXiv, DOI). It is pure: it reads a parsed card and returns values.
package links

import (
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/card"
	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Roles a linked code repository can play, as MOF code components. The order is the order
// Repo.Roles is reported in.
const (
	Training       = "training"
	Evaluation     = "evaluation"
	DataProcessing = "data-processing"
	Inference      = "inference"
	Architecture   = "architecture"
	Libraries      = "libraries"
)

// Roles lists every role in report order.
var Roles = []string{Training, Evaluation, DataProcessing, Inference, Architecture, Libraries}

// Repo is one code repository the card links to. Several links to the same repository are
// merged: the first that presents it as the release's code (else the first) gives the
// location, ref and folder; the roles of all are joined.
type Repo struct {
	// Owner and Name spell the repository as the first link did.
	Owner, Name string
	// Ref comes from a /tree/REF[/PATH] or /blob/REF/FILE link, Path from the former only.
	Ref, Path string
	URL       string
	// Line is the card line of the first link (0 for a front matter field).
	Line int
	// Field is the front matter key the link was written under, when it was.
	Field string
	// Context is the card's words around the link (the heading, the line).
	Context string
	Roles   []string
	// Own: the card presents the repository as the release's code rather than a library it
	// uses or a project it thanks.
	Own bool
}

// ID is "github.com/OWNER/NAME".
func (r Repo) ID() string { return "github.com/" + r.Owner + "/" + r.Name }

// Dataset is a Hugging Face dataset the prose links to.
type Dataset struct {
	ID   string // ORG/NAME
	URL  string
	Line int
}

// Paper is an arXiv paper or a DOI the card cites.
type Paper struct {
	Kind string // "arxiv" or "doi"
	ID   string
	URL  string
	Line int
}

// Links is everything Extract found, each list in card order without repeats.
type Links struct {
	Repos    []Repo
	Datasets []Dataset
	Papers   []Paper
}

// Extract reads the links of a parsed card: front matter fields first (a "repository" or
// "code" key, any string value holding a GitHub URL), then the body's links in file order.
func Extract(c *card.Card) Links {
	var out Links
	seen := map[string]int{}
	out.frontMatter(c, seen)
	lines := strings.Split(c.Body, "\n")
	dsSeen := map[string]bool{}
	for _, l := range c.Links {
		if l.Image {
			continue
		}
		if r, ok := ParseGitHub(l.URL); ok {
			text := lineAt(lines, l.Line-c.BodyStartLine)
			r.Line = l.Line
			r.Context = contextOf(c, l, text)
			r.Roles, r.Own = judge(r, l, text, headingAbove(c, l.Line))
			out.addRepo(r, seen)
			continue
		}
		if id, ok := ParseHFDataset(l.URL); ok && !l.Code && !dsSeen[strings.ToLower(id)] {
			dsSeen[strings.ToLower(id)] = true
			out.Datasets = append(out.Datasets, Dataset{ID: id, URL: l.URL, Line: l.Line})
		}
	}
	for _, p := range c.Papers {
		if p.Kind == card.PaperArXiv || p.Kind == card.PaperDOI {
			out.Papers = append(out.Papers, Paper{Kind: p.Kind, ID: p.ID, URL: p.URL, Line: p.Line})
		}
	}
	return out
}

// frontMatter collects the GitHub URLs of the card's front matter, field by field.
func (out *Links) frontMatter(c *card.Card, seen map[string]int) {
	for _, key := range sortedKeys(c.Raw) {
		if skipFieldRe.MatchString(key) {
			continue
		}
		for _, s := range stringsIn(c.Raw[key], 0) {
			for _, u := range fmGitHubRe.FindAllString(s, 8) {
				if r, ok := ParseGitHub(u); ok {
					r.Field, r.Context = key, key+": "+clip(s, 160)
					r.Line = c.FieldLines[key]
					name := strings.NewReplacer("_", " ", "-", " ").Replace(key) // training_code
					r.Roles = RolesIn(name + " " + urlRe.ReplaceAllString(s, " "))
					r.Own = len(r.Roles) > 0 || ownFieldRe.MatchString(key)
					out.addRepo(r, seen)
				}
			}
		}
	}
}

// addRepo adds r or merges it into the earlier link to the same repository.
func (out *Links) addRepo(r Repo, seen map[string]int) {
	key := strings.ToLower(r.Owner + "/" + r.Name)
	if i, ok := seen[key]; ok {
		prev := &out.Repos[i]
		roles := mergeRoles(prev.Roles, r.Roles)
		if !prev.Own && r.Own {
			// The first link that presents the repository as the release's code is the one
			// to cite and whose ref and folder to read.
			*prev = r
		}
		prev.Roles = roles
		return
	}
	seen[key] = len(out.Repos)
	out.Repos = append(out.Repos, r)
}

// judge decides a body link's roles and whether it is the release's own code. A link is the
// release's code when the words around it name code ("Core repo", "Training code", "our
// GitHub", "git clone"), when its own text is a role ("[Data Preparation](…)"), or when it
// stands alone on a line under a heading that names a role. A tool the release was made or
// run with ("Training was done using JAX"), a benchmark it was scored on, a project it thanks
// or builds on, and a link to a licence file are not the release's code.
func judge(r Repo, l card.Link, line, heading string) ([]string, bool) {
	// The URLs themselves say "github" and name the repository: only the words around count.
	line = urlRe.ReplaceAllString(line, " ")
	text := urlRe.ReplaceAllString(l.Text, " ")
	words := text + " " + line
	roles := RolesIn(words)
	if library[strings.ToLower(r.Owner+"/"+r.Name)] {
		// A general-purpose library runs or evaluates many models; it is never this
		// release's training or model code, whatever the line around it says.
		keep := []string{Libraries}
		if contains(roles, Evaluation) {
			keep = append([]string{Evaluation}, keep...)
		}
		return keep, false
	}
	if licenceLink(r.URL) || notOwnRe.MatchString(words) {
		return roles, false
	}
	named := roleTextRe.MatchString(strings.TrimSpace(text))
	alone := !l.Code && markupRe.ReplaceAllString(strings.Replace(line, l.Text, "", 1), "") == ""
	own := ownRe.MatchString(words) || named || alone && len(RolesIn(heading)) > 0
	if own && len(roles) == 0 && !l.Code {
		roles = RolesIn(heading)
	}
	return roles, own
}

// licenceLink reports whether a URL points at a licence or notice file.
func licenceLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && licenceFileRe.MatchString(path.Base(u.Path))
}

// roleWords maps each role to the words that name it; data tables over branches.
var roleWords = []struct {
	role string
	re   *lazyre.Regexp
}{
	{Training, lazyre.New(`(?i)\b(train(ing|er)?|pre-?train(ing)?|fine-?tun(e|ing)|sft|rlhf|dpo|post-?training)\b`)},
	{Evaluation, lazyre.New(`(?i)\b(eval(s|uation|uate|uating)?|benchmark(s|ing)?)\b`)},
	{DataProcessing, lazyre.New(`(?i)\b(data[- ]?(processing|preparation|prep|pipeline|curation|tooling|tools|cleaning|filtering)|pre-?process(ing)?|dedup(lication)?|dataset (construction|creation|building))\b`)},
	{Inference, lazyre.New(`(?i)\b(inference|serving|deploy(ment)?|generation code)\b`)},
	{Architecture, lazyre.New(`(?i)\b(model(ing)? code|architecture|modeling)\b`)},
}

// RolesIn returns the roles the words of s name, in Roles order.
func RolesIn(s string) []string {
	var out []string
	for _, rw := range roleWords {
		if rw.re.MatchString(s) {
			out = append(out, rw.role)
		}
	}
	return out
}

var (
	ownRe = lazyre.New(`(?i)\b(code|codebase|repo(sitory)?|github|implementation|scripts|git clone)\b`)
	// roleTextRe is link text that names a role and nothing else ("Data Preparation",
	// "Training code"), unlike a dataset's split ("XSum - Train") or a benchmark's name.
	roleTextRe    = lazyre.New(`(?i)^(the\s+)?(pre-?training|training|fine-?tuning|evaluation|eval|inference|data\s+(preparation|processing|pipeline|prep|curation)|pre-?processing)(\s+(code|scripts?|repo(sitory)?|pipeline|harness|tools?))?$`)
	licenceFileRe = lazyre.New(`(?i)^(licen[cs]e|copying|notice)`)
	// markupRe is what is left of a line holding nothing but a link: list and table marks,
	// brackets, emphasis, punctuation.
	markupRe = lazyre.New(`[\s\[\]()<>*_` + "`" + `|:;,.!\-•#>]+`)
	notOwnRe = lazyre.New(`(?i)\b(based on|built (on|with)|made with|created with|thanks?|acknowledg\w*|inspired|adapted from|powered by|see also|related|credit|stars?|star us|follow|issues)\b`)
	urlRe    = lazyre.New(`(?i)\b(https?://|www\.|github\.com/)[^\s)\]>"']*`)
	// skipFieldRe are front matter keys whose links are not code: licence texts, gate forms,
	// lineage, evaluation results, widgets.
	skipFieldRe = lazyre.New(`(?i)^(license|extra_gated|base_model|datasets|model-index|widget|new_version)`)
	ownFieldRe  = lazyre.New(`(?i)(repo|code|github|source|implementation)`)
	// fmGitHubRe finds GitHub URLs inside front matter strings, with or without a scheme.
	fmGitHubRe = lazyre.New(`(?i)(https?://)?(www\.)?github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+[^\s"'<>)\]]*`)
)

// library lists general-purpose projects (lower-cased OWNER/NAME) that cards link to as tools.
var library = map[string]bool{
	"huggingface/transformers": true, "huggingface/peft": true, "huggingface/trl": true,
	"huggingface/accelerate": true, "huggingface/diffusers": true, "huggingface/datasets": true,
	"huggingface/text-generation-inference": true, "huggingface/lighteval": true,
	"huggingface/huggingface_hub": true, "vllm-project/vllm": true, "ggerganov/llama.cpp": true,
	"ggml-org/llama.cpp": true, "pytorch/pytorch": true, "microsoft/deepspeed": true,
	"nvidia/megatron-lm": true, "nvidia/nemo": true, "eleutherai/lm-evaluation-harness": true,
	"ollama/ollama": true, "sgl-project/sglang": true, "mlc-ai/mlc-llm": true,
	"openai/tiktoken": true, "google/sentencepiece": true, "dao-ailab/flash-attention": true,
	"unslothai/unsloth": true, "axolotl-ai-cloud/axolotl": true, "hiyouga/llama-factory": true,
	"google/jax": true, "tensorflow/tensorflow": true, "keras-team/keras": true, "pytorch/ao": true,
	"openai/triton": true, "triton-lang/triton": true, "mosaicml/composer": true, "mosaicml/streaming": true,
	"nvidia/tensorrt-llm": true, "nvidia/fastertransformer": true, "nvidia/apex": true,
	"internlm/lmdeploy": true, "modeltc/lightllm": true, "casper-hansen/autoawq": true,
	"panqiwei/autogptq": true, "autogptq/autogptq": true, "huggingface/optimum": true,
	"huggingface/optimum-quanto": true, "huggingface/candle": true, "huggingface/notebooks": true,
	"huggingface/setfit": true, "ukplab/sentence-transformers": true, "comfyanonymous/comfyui": true,
	"deepset-ai/haystack": true, "open-compass/opencompass": true, "open-compass/vlmevalkit": true,
	"ggerganov/whisper.cpp": true, "ggml-org/whisper.cpp": true, "microsoft/onnxruntime": true,
	"apple/coremltools": true, "lightning-ai/lightning": true, "facebookresearch/xformers": true,
	"lm-sys/fastchat": true, "oobabooga/text-generation-webui": true, "lmstudio-ai/lms": true,
}

// contextOf is the heading above the link and the link's line, clipped.
func contextOf(c *card.Card, l card.Link, line string) string {
	s := strings.TrimSpace(line)
	if h := headingAbove(c, l.Line); h != "" {
		s = h + " — " + s
	}
	return clip(s, 200)
}

// headingAbove is the text of the last heading before line, or "".
func headingAbove(c *card.Card, line int) string {
	h := ""
	for _, hd := range c.Headings {
		if hd.Line >= line {
			break
		}
		h = hd.Text
	}
	return h
}

func lineAt(lines []string, i int) string {
	if i < 0 || i >= len(lines) {
		return ""
	}
	return lines[i]
}

// reserved are github.com first path segments that are pages, not owners.
var reserved = map[string]bool{
	"about": true, "apps": true, "collections": true, "contact": true, "customer-stories": true,
	"enterprise": true, "explore": true, "features": true, "issues": true, "login": true,
	"join": true, "marketplace": true, "notifications": true, "orgs": true, "pricing": true,
	"pulls": true, "readme": true, "security": true, "settings": true, "site": true,
	"sponsors": true, "topics": true, "trending": true, "users": true, "search": true, "new": true,
}

// ParseGitHub reads a github.com repository URL: https://github.com/OWNER/NAME[.git], optionally
// followed by /tree/REF[/PATH] or /blob/REF/PATH. Pages that are not repositories (github.com/
// features, an owner's profile) and other hosts are not.
func ParseGitHub(s string) (Repo, bool) {
	raw := strings.TrimSpace(s)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return Repo{}, false
	}
	host := strings.ToLower(u.Hostname())
	if host != "github.com" && host != "www.github.com" {
		return Repo{}, false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || reserved[strings.ToLower(parts[0])] {
		return Repo{}, false
	}
	r := Repo{Owner: parts[0], Name: strings.TrimSuffix(parts[1], ".git"), URL: s}
	if !validName(r.Owner) || !validName(r.Name) {
		return Repo{}, false
	}
	if len(parts) >= 4 && (parts[2] == "tree" || parts[2] == "blob") {
		r.Ref = parts[3]
		if parts[2] == "tree" {
			// A folder narrows the repository to it; a file (a licence, a config, a
			// figure) is only a way into the repository as a whole.
			r.Path = strings.Join(parts[4:], "/")
		}
	}
	if strings.Contains(r.Path, "..") || !validRef(r.Ref) {
		return Repo{}, false
	}
	return r, true
}

// validName accepts GitHub owner and repository names: letters, digits, '-', '_' and '.', not
// "." or "..", at most 100 characters.
func validName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// validRef rejects refs git itself would refuse and ones that could change a URL's meaning.
func validRef(s string) bool {
	if len(s) > 200 || strings.Contains(s, "..") {
		return false
	}
	return !strings.ContainsAny(s, " ~^:?*[\\#%")
}

// ParseHFDataset reads https://huggingface.co/datasets/ORG/NAME[/…] (or hf.co) and returns
// "ORG/NAME".
func ParseHFDataset(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if host != "huggingface.co" && host != "www.huggingface.co" && host != "hf.co" {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 3 || parts[0] != "datasets" || !validName(parts[1]) || !validName(parts[2]) {
		return "", false
	}
	return parts[1] + "/" + parts[2], true
}

func mergeRoles(a, b []string) []string {
	var out []string
	for _, r := range Roles {
		if contains(a, r) || contains(b, r) {
			out = append(out, r)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// stringsIn collects the strings of a decoded YAML value, to a small depth.
func stringsIn(v any, depth int) []string {
	if depth > 3 {
		return nil
	}
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, stringsIn(e, depth+1)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range sortedKeys(x) {
			out = append(out, stringsIn(x[k], depth+1)...)
		}
		return out
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
