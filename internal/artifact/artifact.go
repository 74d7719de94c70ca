// Package artifact reads the headers of model weights files (safetensors, GGUF, Git LFS
// pointers, pickles and PyTorch checkpoints, NumPy arrays, ONNX models) and reports what they
// say: parameter counts per dtype, the metadata the producer wrote, and whether the file is
// safe to load. It never reads tensor data and never executes anything: a reader takes an
// io.ReaderAt and the file size, so the caller decides how bytes are fetched (a local file, a
// range request) and a sparse 100 GB file costs a few kilobytes.
//
// Pickles are judged by walking their opcodes, never by unpickling them: the imports they make
// are classified by the rules in data/pickle_rules.json, and the worst class decides Safety.
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
	"sync"
)

// Format names a weights file format. The values are the ones `glassbox inspect` prints.
type Format string

// Formats this package recognises.
const (
	FormatSafetensors Format = "safetensors"
	FormatGGUF        Format = "gguf"
	FormatLFSPointer  Format = "lfs-pointer"
	// FormatPickle is a Python pickle stream: a bare .pkl, .pickle or .joblib file, or a
	// checkpoint that legacy (pre-1.6) torch.save wrote as several pickles in a row.
	FormatPickle Format = "pickle"
	// FormatPyTorchZip is what torch.save writes since PyTorch 1.6: a zip holding
	// <archive>/data.pkl, the storages under <archive>/data/, and <archive>/version.
	FormatPyTorchZip Format = "pytorch-zip"
	// FormatNPY is a NumPy array file; an array of Python objects holds a pickle.
	FormatNPY Format = "npy"
	// FormatNPZ is a zip of .npy files, as numpy.savez writes.
	FormatNPZ Format = "npz"
	// FormatZip is any other zip: glassbox looks inside for pickles and arrays.
	FormatZip Format = "zip"
	// Format7z is a 7-Zip archive: glassbox looks inside for pickles and arrays.
	Format7z Format = "7z"
	// FormatONNX is an ONNX ModelProto.
	FormatONNX    Format = "onnx"
	FormatUnknown Format = "unknown"
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
	// Globals are the imports the file's pickles make, sorted by module and name, each once,
	// with how glassbox classes each. The worst class decides Safety.
	Globals []Global `json:"globals,omitempty"`
	// Error says why the file could not be read; the caller adds the path.
	Error string `json:"error,omitempty"`
	// ReadError: Error comes from failing to fetch the file's bytes (a disk or network error,
	// a read budget), not from a defect in them; nothing is known to be wrong with the file.
	ReadError bool `json:"read_error,omitempty"`
	// Warnings say what the reader left unexamined or found odd, such as an archive entry
	// whose name escapes the archive or whose size looks like a zip bomb.
	Warnings []string `json:"warnings,omitempty"`

	// Pickles is the number of complete pickles walked, archive members included.
	Pickles int `json:"pickles,omitempty"`
	// Opcodes is the number of pickle opcodes walked.
	Opcodes int64 `json:"opcodes,omitempty"`

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
//
// Only formats that cannot carry code are promised by the name alone: callers that have not
// seen a file's bytes (Detect with no head) take the named format as safe to load.
var extensions = map[string]Format{
	".safetensors": FormatSafetensors,
	".gguf":        FormatGGUF,
	".onnx":        FormatONNX,
}

// contentExtensions name formats that can carry code. They apply only to a file whose bytes
// Detect was given and did not recognise, so that the reader says what is wrong with it.
// .bin is absent: too many formats use it, so only its content speaks for it.
var contentExtensions = map[string]Format{
	".pkl":    FormatPickle,
	".pickle": FormatPickle,
	".joblib": FormatPickle,
	".pt":     FormatPickle,
	".pth":    FormatPickle,
	".ckpt":   FormatPickle,
	".npy":    FormatNPY,
	".npz":    FormatNPZ,
	".zip":    FormatZip,
	".7z":     Format7z,
}

// zipExtensions say which kind of zip a name promises; Read then checks the entries.
var zipExtensions = map[string]Format{
	".pt":   FormatPyTorchZip,
	".pth":  FormatPyTorchZip,
	".bin":  FormatPyTorchZip,
	".ckpt": FormatPyTorchZip,
	".npz":  FormatNPZ,
}

// sniffers recognise formats by their first bytes, tried in order.
var sniffers = []struct {
	format Format
	match  func(head []byte) bool
}{
	{FormatGGUF, isGGUF},
	{FormatLFSPointer, isLFSPointer},
	{FormatSafetensors, isSafetensors},
	{FormatPickle, isPickle},
	{FormatNPY, isNPY},
	{FormatZip, isZip},
	{Format7z, is7z},
}

// Detect names the format of a file from its name and first bytes (SniffLen bytes suffice;
// fewer are fine for short files). Content decides when it is recognisable; otherwise the
// extension does; otherwise the format is FormatUnknown. A zip is told apart by its name and
// its first entry.
func Detect(name string, head []byte) Format {
	ext := strings.ToLower(path.Ext(name))
	for _, s := range sniffers {
		if s.match(head) {
			if s.format == FormatZip {
				return zipKind(ext, head)
			}
			return s.format
		}
	}
	if f, ok := extensions[ext]; ok {
		return f
	}
	if f, ok := contentExtensions[ext]; ok && len(head) > 0 {
		return f
	}
	return FormatUnknown
}

// readers holds one header reader per format. A reader fills in f and returns an error for a
// malformed file; Read turns that into SafetyError. A reader that judges safety sets
// f.Safety; otherwise a file read without error is safe.
var readers = map[Format]func(f *Facts, r io.ReaderAt, size int64) error{
	FormatSafetensors: readSafetensors,
	FormatGGUF:        readGGUF,
	FormatLFSPointer:  readLFSPointer,
	FormatPickle:      readPickle,
	FormatPyTorchZip:  readZip,
	FormatNPZ:         readZip,
	FormatZip:         readZip,
	Format7z:          read7z,
	FormatNPY:         readNPY,
	FormatONNX:        readONNX,
}

// Read detects the format of the file called name, of size bytes readable through r, and
// reads its header. It reads only the header, never tensor data.
//
// A malformed file gives both Facts (Format set, Safety SafetyError, Error set) and the
// error, so a caller can report the file as well as fail on it. The one exception: a file
// already found to import dangerous code stays SafetyDangerous, since a malformed byte after
// the import does not stop a loader from running it. A file of no format this package reads
// is SafetySuspicious: glassbox has not looked inside it.
//
// An error that the ReaderAt itself returned (anything but io.EOF) sets ReadError: the bytes
// could not be fetched, which says nothing about the file.
func Read(name string, r io.ReaderAt, size int64) (*Facts, error) {
	t := &ioTracker{r: r}
	f, err := read(name, t, size)
	if err != nil && t.failed() {
		f.ReadError = true
	}
	return f, err
}

// ioTracker remembers whether its ReaderAt ever failed other than by reaching the end.
type ioTracker struct {
	r   io.ReaderAt
	mu  sync.Mutex
	err error
}

func (t *ioTracker) ReadAt(p []byte, off int64) (int, error) {
	n, err := t.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) {
		t.mu.Lock()
		t.err = err
		t.mu.Unlock()
	}
	return n, err
}

func (t *ioTracker) failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err != nil
}

// read is Read without the tracking.
func read(name string, r io.ReaderAt, size int64) (*Facts, error) {
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
	if f.Safety == "" {
		f.Safety = SafetySafe
	}
	return f, nil
}

// fail records err in f so renderers can show it, and returns both. A dangerous verdict
// survives the error.
func fail(f *Facts, err error) (*Facts, error) {
	if f.Safety != SafetyDangerous {
		f.Safety = SafetyError
	}
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
