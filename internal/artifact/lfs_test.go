package artifact

import (
	"strings"
	"testing"
)

const (
	lfsOID     = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
	lfsPointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + lfsOID + "\nsize 16060522496\n"
)

func TestParseLFSPointer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		ok   bool
		size int64
	}{
		{"canonical", lfsPointer, true, 16060522496},
		{"no final newline", strings.TrimSuffix(lfsPointer, "\n"), true, 16060522496},
		{"crlf", strings.ReplaceAll(lfsPointer, "\n", "\r\n"), true, 16060522496},
		{"extension line", "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + lfsOID + "\noid sha256:" + lfsOID + "\nsize 1\n", true, 1},
		{"pre-release version", "version https://hawser.github.com/spec/v1\noid sha256:" + lfsOID + "\nsize 0\n", true, 0},
		{"empty", "", false, 0},
		{"missing size", "version https://git-lfs.github.com/spec/v1\noid sha256:" + lfsOID + "\n", false, 0},
		{"missing oid", "version https://git-lfs.github.com/spec/v1\nsize 5\n", false, 0},
		{"version not first", "oid sha256:" + lfsOID + "\nversion https://git-lfs.github.com/spec/v1\nsize 5\n", false, 0},
		{"unknown version", strings.Replace(lfsPointer, "v1", "v2", 1), false, 0},
		{"version with suffix", strings.Replace(lfsPointer, "v1", "v1x", 1), false, 0},
		{"uppercase hex", strings.Replace(lfsPointer, lfsOID, strings.ToUpper(lfsOID), 1), false, 0},
		{"short hex", strings.Replace(lfsPointer, lfsOID, lfsOID[:40], 1), false, 0},
		{"sha1", strings.Replace(lfsPointer, "sha256:", "sha1:", 1), false, 0},
		{"negative size", strings.Replace(lfsPointer, "size 16060522496", "size -1", 1), false, 0},
		{"plus size", strings.Replace(lfsPointer, "size 16060522496", "size +1", 1), false, 0},
		{"size overflow", strings.Replace(lfsPointer, "size 16060522496", "size 9223372036854775808", 1), false, 0},
		{"size not a number", strings.Replace(lfsPointer, "size 16060522496", "size 1e9", 1), false, 0},
		{"duplicate size", lfsPointer + "size 2\n", false, 0},
		{"blank line inside", strings.Replace(lfsPointer, "\noid", "\n\noid", 1), false, 0},
		{"uppercase key", strings.Replace(lfsPointer, "size", "Size", 1), false, 0},
		{"too long", lfsPointer + "x-pad " + strings.Repeat("a", 1024) + "\n", false, 0},
		{"real weights", "\x00\x01binary", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, ok := ParseLFSPointer([]byte(tt.data))
			if ok != tt.ok {
				_, err := parseLFSPointer([]byte(tt.data))
				t.Fatalf("ok = %v, want %v (%v)", ok, tt.ok, err)
			}
			if !ok {
				if p != nil {
					t.Errorf("pointer %+v returned with false", p)
				}
				return
			}
			if p.OID != lfsOID || p.Size != tt.size {
				t.Errorf("pointer %+v, want oid %s size %d", p, lfsOID, tt.size)
			}
		})
	}
}

func TestReadLFSPointer(t *testing.T) {
	t.Parallel()
	got, err := readBytes("model-00001-of-00004.safetensors", []byte(lfsPointer))
	if err != nil {
		t.Fatal(err)
	}
	want := LFSPointer{OID: lfsOID, Size: 16060522496}
	if got.Format != FormatLFSPointer || got.Safety != SafetySafe || got.LFS == nil || *got.LFS != want || got.Parameters != 0 {
		t.Errorf("facts %+v (lfs %+v), want an LFS pointer %+v", got, got.LFS, want)
	}

	long := lfsPointer + "x-pad " + strings.Repeat("a", 1024) + "\n"
	_, err = readBytes("model.safetensors", []byte(long))
	if want := "file starts like a Git LFS pointer but is 1167 bytes; pointers are under 1024"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	_, err = readBytes("model.safetensors", []byte(strings.Replace(lfsPointer, "size", "size x", 1)))
	if want := `LFS pointer size "x 16060522496" is not a non-negative integer`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
