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
