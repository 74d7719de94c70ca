package release

import (
	"path"
	"strings"
)

// weightsExt lists the extensions of model weight and checkpoint files.
var weightsExt = map[string]bool{
	".safetensors": true, ".gguf": true, ".bin": true, ".pt": true, ".pth": true, ".ckpt": true,
	".onnx": true, ".h5": true, ".keras": true, ".msgpack": true, ".npz": true, ".npy": true,
	".tflite": true, ".mlmodel": true, ".pkl": true, ".pickle": true, ".ggml": true, ".nemo": true,
	".mar": true, ".pb": true, ".joblib": true, ".llamafile": true,
}

// IsWeights reports whether a file's name says it holds model parameters.
func IsWeights(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	if ext == ".bin" {
		// Many .bin files are not weights (tokenizer vocabularies, training args).
		base := strings.ToLower(path.Base(p))
		return !strings.Contains(base, "training_args") && !strings.Contains(base, "vocab") && !strings.Contains(base, "tokenizer")
	}
	return weightsExt[ext]
}

// keyPrefixes are the base-name prefixes of the files that state what a release is and on which
// terms: cards, licences, notices, use policies, citations and checksum lists.
var keyPrefixes = []string{"README", "LICENSE", "LICENCE", "COPYING", "NOTICE", "USE_POLICY", "MODEL_CARD",
	"DATA_CARD", "DATASHEET", "CITATION", "ACCEPTABLE_USE", "TERMS", "SHA256SUM", "CHECKSUM"}

// IsKeyText reports whether a file's name marks it as one every source must read, whatever its
// extension: a card, licence, notice, use policy, citation or checksum list.
func IsKeyText(p string) bool {
	up := strings.ToUpper(path.Base(p))
	for _, pre := range keyPrefixes {
		if strings.HasPrefix(up, pre) {
			return true
		}
	}
	return false
}
