// Package examples writes the tiny weights files of the bundled example releases under
// examples/. The files are a few kilobytes of zeros with real safetensors headers, generated here
// rather than committed as opaque blobs, so anyone can see and reproduce what they hold.
//
// Regenerate with: go run ./internal/examples/gen examples
package examples

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glassbox-dev/glassbox/internal/artifact"
)

// File is one generated weights file of an example release.
type File struct {
	Path     string // relative to the examples folder
	Tensors  []artifact.Tensor
	Metadata map[string]string
}

// tiny returns the tensors of a small decoder: embeddings, one block, an output head.
func tiny(vocab, hidden int64) []artifact.Tensor {
	return []artifact.Tensor{
		{Name: "model.embed_tokens.weight", DType: "F16", Shape: []int64{vocab, hidden}},
		{Name: "model.layers.0.mlp.down_proj.weight", DType: "F16", Shape: []int64{hidden, hidden * 2}},
		{Name: "model.layers.0.mlp.up_proj.weight", DType: "F16", Shape: []int64{hidden * 2, hidden}},
		{Name: "model.layers.0.self_attn.qkv_proj.weight", DType: "F16", Shape: []int64{hidden * 3, hidden}},
		{Name: "model.norm.weight", DType: "F32", Shape: []int64{hidden}},
		{Name: "lm_head.weight", DType: "F16", Shape: []int64{vocab, hidden}},
	}
}

// Files lists every generated file.
var Files = []File{
	{Path: "open-data/model.safetensors", Tensors: tiny(256, 32), Metadata: map[string]string{"format": "pt"}},
	{Path: "open-data/checkpoints/step-500/model.safetensors", Tensors: tiny(256, 32), Metadata: map[string]string{"format": "pt", "step": "500"}},
	{Path: "open-weights/model.safetensors", Tensors: tiny(512, 32), Metadata: map[string]string{"format": "pt"}},
	{Path: "weights-available/model.safetensors", Tensors: tiny(384, 32), Metadata: map[string]string{"format": "pt"}},
	{Path: "apache-over-llama/model.safetensors", Tensors: tiny(320, 32), Metadata: map[string]string{"format": "pt"}},
}

// Bytes renders one file.
func (f File) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := artifact.WriteSafetensors(&b, f.Tensors, f.Metadata); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return b.Bytes(), nil
}

// Write writes every file under root (the examples folder).
func Write(root string) error {
	for _, f := range Files {
		data, err := f.Bytes()
		if err != nil {
			return err
		}
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
