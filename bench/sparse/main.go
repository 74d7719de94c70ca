// Command sparse writes a sharded safetensors release whose tensor data is a hole in the file:
// real headers, declared sizes of any magnitude, no bytes on disk. It lets benchmarks show that
// glassbox's cost does not grow with the size of the weights.
//
// Usage: go run ./bench/sparse DIR SHARDS BYTES_PER_SHARD
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sparse DIR SHARDS BYTES_PER_SHARD")
		os.Exit(2)
	}
	dir := os.Args[1]
	shards, err1 := strconv.Atoi(os.Args[2])
	size, err2 := strconv.ParseInt(os.Args[3], 10, 64)
	if err1 != nil || err2 != nil || shards < 1 || size < 1024 {
		fmt.Fprintln(os.Stderr, "sparse: SHARDS must be ≥ 1 and BYTES_PER_SHARD ≥ 1024")
		os.Exit(2)
	}
	if err := write(dir, shards, size); err != nil {
		fmt.Fprintln(os.Stderr, "sparse:", err)
		os.Exit(1)
	}
}

func write(dir string, shards int, size int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	weightMap := map[string]string{}
	var total int64
	for s := 1; s <= shards; s++ {
		name := fmt.Sprintf("model-%05d-of-%05d.safetensors", s, shards)
		// Each shard holds 64 F16 tensors that together fill the shard.
		const perShard = 64
		elems := (size - 16<<10) / 2 / perShard
		header := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
		var off int64
		for t := 0; t < perShard; t++ {
			tn := fmt.Sprintf("model.layers.%d.w%d.weight", s, t)
			header[tn] = map[string]any{"dtype": "F16", "shape": []int64{elems}, "data_offsets": []int64{off, off + 2*elems}}
			off += 2 * elems
			weightMap[tn] = name
		}
		total += off
		h, err := json.Marshal(header)
		if err != nil {
			return err
		}
		for len(h)%8 != 0 {
			h = append(h, ' ')
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(h)))
		if _, err := f.Write(append(n[:], h...)); err != nil {
			f.Close()
			return err
		}
		// The data is a hole: Truncate extends the file without writing it.
		if err := f.Truncate(int64(8+len(h)) + off); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	idx, _ := json.MarshalIndent(map[string]any{"metadata": map[string]int64{"total_size": total}, "weight_map": weightMap}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "model.safetensors.index.json"), idx, 0o644); err != nil {
		return err
	}
	card := "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# Sparse\n\nA benchmark release whose weights are holes in sparse files.\n"
	return os.WriteFile(filepath.Join(dir, "README.md"), []byte(card), 0o644)
}
