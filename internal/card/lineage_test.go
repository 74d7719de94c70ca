package card

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProseBases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		want []string // name@line
	}{
		{"As this model is based on Llama 2, it is also subject to the Meta Llama 2 license terms.", []string{"Llama 2@5"}},
		{"# Marathi-Tiny is a Bloom fine-tuned model trained on tweets.", []string{"Bloom@5"}},
		{"This is a fine-tuned version of Llama-3.1 for chat.", []string{"Llama-3.1@5"}},
		{"We release a model derived from Gemma.\n\nIt was continued pretraining of Qwen2.5 on code.", []string{"Gemma@5", "Qwen2.5@7"}},
		{"Built on top of the Mistral 7B base.", []string{"Mistral@5"}},
		{"A decoder based on the Llama 2 architecture, trained from scratch.", nil},
		{"It uses a tokenizer based on Llama tokenizer ideas.", nil},
		{"Quantised based on the recommendation of a friend.", []string{"recommendation@5"}},
		{"```\nbased on Llama 2\n```", nil},
		{"| based on Llama 2 | table |\n|---|---|", nil},
		{"Nothing about lineage here.", nil},
	}
	for _, tc := range cases {
		c := Parse("README.md", []byte("---\nlicense: mit\n---\n\n"+tc.body+"\n"))
		var got []string
		for _, b := range c.ProseBases {
			got = append(got, b.Name+"@"+strconv.Itoa(b.Line))
			if b.Excerpt == "" {
				t.Errorf("%q: empty excerpt", tc.body)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.body, diff)
		}
	}
}
