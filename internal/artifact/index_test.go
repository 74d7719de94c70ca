package artifact

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseIndex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		data  string
		total int64
		want  map[string]string
	}{
		{"typical", `{"metadata":{"total_size":16060522496},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}`,
			16060522496, map[string]string{"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}},
		{"float total", `{"metadata":{"total_size":1.5e3,"format":"pt"},"weight_map":{}}`, 1500, map[string]string{}},
		{"string total", `{"metadata":{"total_size":"42"},"weight_map":{"a":"s"}}`, 42, map[string]string{"a": "s"}},
		{"no metadata", `{"weight_map":{"a":"sub/s.safetensors"}}`, 0, map[string]string{"a": "sub/s.safetensors"}},
	}
	for _, tt := range tests {
		ix, err := ParseIndex([]byte(tt.data))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if ix.TotalSize != tt.total || !reflect.DeepEqual(ix.WeightMap, tt.want) {
			t.Errorf("%s: %+v, want total %d map %v", tt.name, ix, tt.total, tt.want)
		}
	}
}

func TestParseIndexRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
	}{
		{"not json", `{"weight_map":`, "index is not a JSON object"},
		{"array", `[]`, "index is not a JSON object"},
		{"no weight map", `{"metadata":{}}`, "index has no weight_map"},
		{"shard not string", `{"weight_map":{"a":1}}`, `weight_map entry for "a" is 1, not a file name`},
		{"parent dir", `{"weight_map":{"a":"../x.safetensors"}}`, `sends tensor "a" to "../x.safetensors", which is not a file inside the model directory`},
		{"absolute", `{"weight_map":{"a":"/etc/passwd"}}`, "not a file inside"},
		{"backslash", `{"weight_map":{"a":"..\\x"}}`, "not a file inside"},
		{"empty shard", `{"weight_map":{"a":""}}`, "not a file inside"},
		{"negative total", `{"metadata":{"total_size":-1},"weight_map":{}}`, "total_size -1: is not a non-negative whole number"},
		{"fractional total", `{"metadata":{"total_size":1.5},"weight_map":{}}`, "is not a non-negative whole number"},
	}
	for _, tt := range tests {
		_, err := ParseIndex([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestIndexShards(t *testing.T) {
	t.Parallel()
	ix := &Index{WeightMap: map[string]string{"a": "s2", "b": "s1", "c": "s2"}}
	if got, want := ix.Shards(), []string{"s1", "s2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("shards %v, want %v", got, want)
	}
}

func TestCheckShards(t *testing.T) {
	t.Parallel()
	shard := func(tensors ...string) *Facts {
		var ts []Tensor
		for _, n := range tensors {
			ts = append(ts, Tensor{Name: n, DType: "F32", Shape: []int64{2}})
		}
		f, err := readBytes("s.safetensors", writeST(t, ts, nil))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	s1, s2 := shard("a", "b"), shard("c")
	good := &Index{TotalSize: 24, WeightMap: map[string]string{"a": "s1", "b": "s1", "c": "s2"}}
	broken, _ := readBytes("s.safetensors", []byte("12345678"))
	pointer, _ := readBytes("s.safetensors", []byte(lfsPointer))

	many := &Index{WeightMap: map[string]string{"c": "s2"}}
	for _, n := range strings.Split("d e f g h i j k l m n o", " ") {
		many.WeightMap[n] = "s2"
	}

	tests := []struct {
		name   string
		index  *Index
		shards map[string]*Facts
		sizes  map[string]int64
		want   []string
	}{
		{"consistent", good, map[string]*Facts{"s1": s1, "s2": s2}, map[string]int64{"s1": s1.Size, "s2": s2.Size}, nil},
		{"shard missing", good, map[string]*Facts{"s1": s1}, nil,
			[]string{`shard "s2" listed in the index is missing`}},
		{"shard listed but not read", good, map[string]*Facts{"s1": s1}, map[string]int64{"s2": 100}, nil},
		{"tensor not in its shard", &Index{WeightMap: map[string]string{"a": "s1", "b": "s1", "c": "s2", "d": "s2"}},
			map[string]*Facts{"s1": s1, "s2": s2}, nil,
			[]string{`tensor "d" is listed in the index under "s2" but that shard does not hold it`}},
		{"tensor in the wrong shard", &Index{WeightMap: map[string]string{"a": "s1", "b": "s2", "c": "s2"}},
			map[string]*Facts{"s1": s1, "s2": s2}, nil,
			[]string{
				`shard "s1" holds tensor "b", which the index does not place there`,
				`tensor "b" is listed in the index under "s2" but that shard does not hold it`,
			}},
		{"size disagrees", good, map[string]*Facts{"s1": s1, "s2": s2}, map[string]int64{"s1": 1, "s2": s2.Size},
			[]string{`shard "s1" is ` + itoa(int(s1.Size)) + ` bytes but the file listing says 1`}},
		{"total disagrees", &Index{TotalSize: 25, WeightMap: good.WeightMap}, map[string]*Facts{"s1": s1, "s2": s2}, nil,
			[]string{"index total_size is 25 bytes but the shards hold 24 bytes of tensor data"}},
		{"files too small for total", &Index{TotalSize: 1000, WeightMap: good.WeightMap}, nil, map[string]int64{"s1": 100, "s2": 200},
			[]string{"index total_size is 1000 bytes but the shard files hold only 300 bytes together"}},
		{"unreadable shard", good, map[string]*Facts{"s1": s1, "s2": broken}, nil,
			[]string{`shard "s2" could not be read: ` + broken.Error}},
		{"pointer shard", good, map[string]*Facts{"s1": s1, "s2": pointer}, nil,
			[]string{`shard "s2" is a Git LFS pointer, not the weights`}},
		{"unreferenced shard", good, map[string]*Facts{"s1": s1, "s2": s2, "z": s2, "y": s2}, nil,
			[]string{`shard "y" is not referenced by the index`, `shard "z" is not referenced by the index`}},
		{"many absent tensors", many, map[string]*Facts{"s2": s2}, nil, append(func() []string {
			var out []string
			for _, n := range strings.Split("d e f g h i j k l m", " ") {
				out = append(out, `tensor "`+n+`" is listed in the index under "s2" but that shard does not hold it`)
			}
			return out
		}(), `2 more tensors listed under "s2" are not in it`)},
	}
	for _, tt := range tests {
		got := CheckShards(tt.index, tt.shards, tt.sizes)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
