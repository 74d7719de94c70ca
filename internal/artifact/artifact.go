// Package artifact reads the headers of model weights files (safetensors, GGUF, Git LFS
// pointers) and reports what they say: parameter counts per dtype, the metadata the producer
// wrote, and whether the file is safe to load. It never reads tensor data and never executes
// anything: a reader takes an io.ReaderAt and the file size, so the caller decides how bytes
// are fetched (a local file, a range request) and a sparse 100 GB file costs a few kilobytes.
//
// Every length and count in a header is checked against the bytes that remain before anything
// is allocated; malformed input gives an error that says what is wrong, never a panic.
package artifact

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Format names a weights file format. The values are the ones `glassbox inspect` prints.
type Format string

// Formats this package recognises. Readers for pickle, PyTorch zip and ONNX are added
// alongside these as further rows of the detection and reader tables.
const (
	FormatSafetensors Format = "safetensors"
	FormatGGUF        Format = "gguf"
	FormatLFSPointer  Format = "lfs-pointer"
	FormatUnknown     Format = "unknown"
)

// Safety is the verdict on whether loading a file could run code.
type Safety string

// Safety verdicts, as CONTRACT.md names them.
const (
	// SafetySafe: the format cannot carry code (safetensors, GGUF) or the file is only a pointer.
	SafetySafe Safety = "safe"
	// SafetySuspicious: glassbox could not look inside, or found something it cannot vouch for.
	SafetySuspicious Safety = "suspicious"
	// SafetyDangerous: loading the file would run code of the file author's choosing.
	SafetyDangerous Safety = "dangerous"
	// SafetyError: the file is malformed, so no verdict on its contents is possible.
	SafetyError Safety = "error"
)

// Facts is what one weights file says about itself. It is the JSON object `glassbox inspect`
// prints; fields that do not apply to a format stay at their zero value and are omitted.
type Facts struct {
	// Path is the name the caller gave Read; the package never opens it.
	Path   string `json:"path"`
	Format Format `json:"format"`
	// Size is the file size in bytes as the caller reported it.
	Size int64 `json:"size"`
	// Parameters is the number of tensor elements: the sum over tensors of the shape products.
	Parameters int64 `json:"parameters"`
	// DTypes splits Parameters by element type (safetensors dtype or GGML type name).
	DTypes map[string]int64 `json:"dtypes,omitempty"`
	// Tensors is the number of tensors the header lists.
	Tensors int `json:"tensors,omitempty"`
	// TensorBytes is the size of the tensor data the header describes, where it is known; a
	// sharded checkpoint's index states the sum of these as its total_size.
	TensorBytes int64 `json:"tensor_bytes,omitempty"`
	// TensorNames lists the tensors, sorted, so shards can be checked against their index.
	TensorNames []string `json:"tensor_names,omitempty"`
	// Metadata is the safetensors __metadata__ map, or the GGUF key-value pairs rendered as
	// strings (arrays summarised, long values cut) so that it stays small for any file.
	Metadata map[string]string `json:"metadata,omitempty"`
	Safety   Safety            `json:"safety"`
	// Error says why the file could not be read; the caller adds the path.
	Error string `json:"error,omitempty"`

	// Version is the GGUF format version (1, 2 or 3).
	Version int `json:"version,omitempty"`
	// KVCount is the number of GGUF metadata entries, including those left out of Metadata.
	KVCount int64 `json:"kv_count,omitempty"`
	// Architecture is general.architecture: which inference code the GGUF file expects.
	Architecture string `json:"architecture,omitempty"`
	// License, LicenseName and LicenseLink are general.license, general.license.name and
	// general.license.link: the terms the GGUF producer stamped on the weights, which may
	// disagree with the model card.
	License     string `json:"license,omitempty"`
	LicenseName string `json:"license_name,omitempty"`
	LicenseLink string `json:"license_link,omitempty"`
	// BaseModels are the models a GGUF file says it derives from (general.base_model.N.*).
	BaseModels []Ref `json:"base_models,omitempty"`
	// Datasets are the datasets a GGUF file names (general.dataset.N.*, general.datasets).
	Datasets []Ref `json:"datasets,omitempty"`
	// URLs are the GGUF file's own addresses (general.url, general.repo_url, general.source.*).
	URLs []string `json:"urls,omitempty"`

	// LFS is set when the file is a Git LFS pointer: the weights' identity without the weights.
	LFS *LFSPointer `json:"lfs,omitempty"`
}

// Ref names a model or dataset that a header points to. Producers fill in different subsets,
// so every field may be empty.
type Ref struct {
	Name         string `json:"name,omitempty"`
	Author       string `json:"author,omitempty"`
	Organization string `json:"organization,omitempty"`
	Version      string `json:"version,omitempty"`
	URL          string `json:"url,omitempty"`
	RepoURL      string `json:"repo_url,omitempty"`
}

// SniffLen is how many leading bytes Detect needs to recognise every format by content.
const SniffLen = 64

// extensions maps a file name's extension to the format it promises. Content wins over the
// name (a .safetensors file is often an LFS pointer), but a file whose content matches
// nothing is still read as its extension says, so the user learns what is wrong with it.
var extensions = map[string]Format{
	".safetensors": FormatSafetensors,
	".gguf":        FormatGGUF,
}

// sniffers recognise formats by their first bytes, tried in order.
var sniffers = []struct {
	format Format
	match  func(head []byte) bool
}{
	{FormatGGUF, isGGUF},
	{FormatLFSPointer, isLFSPointer},
	{FormatSafetensors, isSafetensors},
}

// Detect names the format of a file from its name and first bytes (SniffLen bytes suffice;
// fewer are fine for short files). Content decides when it is recognisable; otherwise the
// extension does; otherwise the format is FormatUnknown.
func Detect(name string, head []byte) Format {
	for _, s := range sniffers {
		if s.match(head) {
			return s.format
		}
	}
	if f, ok := extensions[strings.ToLower(path.Ext(name))]; ok {
		return f
	}
	return FormatUnknown
}

// readers holds one header reader per format. A reader fills in f and returns an error for a
// malformed file; Read turns that into SafetyError.
var readers = map[Format]func(f *Facts, r io.ReaderAt, size int64) error{
	FormatSafetensors: readSafetensors,
	FormatGGUF:        readGGUF,
	FormatLFSPointer:  readLFSPointer,
}

// Read detects the format of the file called name, of size bytes readable through r, and
// reads its header. It reads only the header, never tensor data.
//
// A malformed file gives both Facts (Format set, Safety SafetyError, Error set) and the
// error, so a caller can report the file as well as fail on it. A file of no format this
// package reads is SafetySuspicious: glassbox has not looked inside it.
func Read(name string, r io.ReaderAt, size int64) (*Facts, error) {
	f := &Facts{Path: name, Format: FormatUnknown, Size: size}
	if size < 0 {
		return fail(f, fmt.Errorf("file size %d is negative", size))
	}
	head := make([]byte, min(size, SniffLen))
	if err := readFull(r, head, 0); err != nil {
		return fail(f, fmt.Errorf("reading the first %d bytes: %w", len(head), err))
	}
	f.Format = Detect(name, head)
	read, ok := readers[f.Format]
	if !ok {
		f.Safety = SafetySuspicious
		return f, nil
	}
	if err := read(f, r, size); err != nil {
		return fail(f, err)
	}
	f.Safety = SafetySafe
	return f, nil
}

// fail records err in f so renderers can show it, and returns both.
func fail(f *Facts, err error) (*Facts, error) {
	f.Safety = SafetyError
	f.Error = err.Error()
	return f, err
}

// readFull fills p from r at off. io.ReaderAt may return io.EOF together with a full read at
// the end of the file, which is success.
func readFull(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}
