package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Index is a sharded checkpoint's index (model.safetensors.index.json, and the same layout in
// pytorch_model.bin.index.json): which shard file holds each tensor.
type Index struct {
	// TotalSize is metadata.total_size, the bytes of tensor data across all shards; 0 when
	// the index does not say.
	TotalSize int64 `json:"total_size,omitempty"`
	// WeightMap maps each tensor name to the shard file that holds it.
	WeightMap map[string]string `json:"weight_map"`
}

// ParseIndex parses a sharded checkpoint index. Shard names must be relative paths inside the
// model directory, since callers open them.
func ParseIndex(data []byte) (*Index, error) {
	var raw struct {
		Metadata  map[string]json.RawMessage `json:"metadata"`
		WeightMap map[string]json.RawMessage `json:"weight_map"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("index is not a JSON object with metadata and weight_map: %w", err)
	}
	if raw.WeightMap == nil {
		return nil, errors.New("index has no weight_map")
	}
	ix := &Index{WeightMap: make(map[string]string, len(raw.WeightMap))}
	if ts, ok := raw.Metadata["total_size"]; ok {
		n, err := wholeNumber(ts)
		if err != nil {
			return nil, fmt.Errorf("index metadata.total_size %s: %w", clip(ts), err)
		}
		ix.TotalSize = n
	}
	for tensor, v := range raw.WeightMap {
		var shard string
		if err := json.Unmarshal(v, &shard); err != nil {
			return nil, fmt.Errorf("index weight_map entry for %q is %s, not a file name", tensor, clip(v))
		}
		if !localPath(shard) {
			return nil, fmt.Errorf("index sends tensor %q to %q, which is not a file inside the model directory", tensor, shard)
		}
		ix.WeightMap[tensor] = shard
	}
	return ix, nil
}

// wholeNumber reads a non-negative integer that some writers emit as a float (1.4e10) or a
// string.
func wholeNumber(raw json.RawMessage) (int64, error) {
	s := strings.Trim(string(raw), `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f >= math.MaxInt64 {
		return 0, errors.New("is not a non-negative whole number")
	}
	return int64(f), nil
}

// localPath reports whether name is a relative path that stays inside its directory.
func localPath(name string) bool {
	if name == "" || strings.ContainsAny(name, "\\\x00") || path.IsAbs(name) {
		return false
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			return false
		}
	}
	return true
}

// Shards lists the shard files the index names, sorted.
func (ix *Index) Shards() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ix.WeightMap {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// maxProblemsPerShard keeps CheckShards readable when a shard is entirely wrong.
const maxProblemsPerShard = 10

// CheckShards compares an index with what was found: shards holds the Facts of shard files
// that were read (by shard name as the index writes it), sizes the sizes of shard files that
// are known to exist but perhaps were not read (from a file listing). It returns the problems,
// sorted by shard, or nil: a shard that is missing, unreadable or only an LFS pointer; a
// tensor the index places in a shard that does not hold it, or a shard tensor the index does
// not list; a shard whose size disagrees with the listing; and tensor data that does not add
// up to metadata.total_size.
func CheckShards(index *Index, shards map[string]*Facts, sizes map[string]int64) []string {
	var problems []string
	byShard := map[string][]string{}
	for tensor, shard := range index.WeightMap {
		byShard[shard] = append(byShard[shard], tensor)
	}
	var dataSum, fileSum int64
	allData, allSizes := true, true
	for _, shard := range index.Shards() {
		f := shards[shard]
		size, listed := sizes[shard]
		if listed {
			fileSum += size
		} else {
			allSizes = false
		}
		if f == nil {
			allData = false
			if !listed {
				problems = append(problems, fmt.Sprintf("shard %q listed in the index is missing", shard))
			}
			continue
		}
		if listed && f.Size != size {
			problems = append(problems, fmt.Sprintf("shard %q is %d bytes but the file listing says %d", shard, f.Size, size))
		}
		switch {
		case f.Error != "":
			allData = false
			problems = append(problems, fmt.Sprintf("shard %q could not be read: %s", shard, f.Error))
			continue
		case f.Format == FormatLFSPointer:
			allData = false
			problems = append(problems, fmt.Sprintf("shard %q is a Git LFS pointer, not the weights", shard))
			continue
		}
		dataSum += f.TensorBytes
		problems = append(problems, tensorProblems(shard, byShard[shard], f, index)...)
	}
	var unreferenced []string
	for shard := range shards {
		if _, ok := byShard[shard]; !ok {
			unreferenced = append(unreferenced, shard)
		}
	}
	sort.Strings(unreferenced)
	for _, shard := range unreferenced {
		problems = append(problems, fmt.Sprintf("shard %q is not referenced by the index", shard))
	}
	if index.TotalSize > 0 {
		switch {
		case allData && dataSum != index.TotalSize:
			problems = append(problems, fmt.Sprintf("index total_size is %d bytes but the shards hold %d bytes of tensor data", index.TotalSize, dataSum))
		case !allData && allSizes && fileSum < index.TotalSize:
			problems = append(problems, fmt.Sprintf("index total_size is %d bytes but the shard files hold only %d bytes together", index.TotalSize, fileSum))
		}
	}
	return problems
}

// tensorProblems compares the tensors the index places in shard with those f lists.
func tensorProblems(shard string, want []string, f *Facts, index *Index) []string {
	have := make(map[string]bool, len(f.TensorNames))
	for _, n := range f.TensorNames {
		have[n] = true
	}
	sort.Strings(want)
	var out []string
	var absent, extra int
	for _, t := range want {
		if !have[t] {
			if absent < maxProblemsPerShard {
				out = append(out, fmt.Sprintf("tensor %q is listed in the index under %q but that shard does not hold it", t, shard))
			}
			absent++
		}
	}
	if absent > maxProblemsPerShard {
		out = append(out, fmt.Sprintf("%d more tensors listed under %q are not in it", absent-maxProblemsPerShard, shard))
	}
	for _, t := range f.TensorNames {
		if index.WeightMap[t] != shard {
			if extra < maxProblemsPerShard {
				out = append(out, fmt.Sprintf("shard %q holds tensor %q, which the index does not place there", shard, t))
			}
			extra++
		}
	}
	if extra > maxProblemsPerShard {
		out = append(out, fmt.Sprintf("shard %q holds %d more tensors the index does not place there", shard, extra-maxProblemsPerShard))
	}
	return out
}
