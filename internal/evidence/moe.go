package evidence

import (
	"strconv"
	"strings"

	"github.com/glassbox-dev/glassbox/internal/lazyre"
)

// Mixture-of-experts models and training compute.
//
// Training compute is estimated as 6 × N × D, where N is the number of parameters used for each
// token. In a mixture-of-experts model only the routed experts a token is sent to do work, so N
// is the activated parameter count, not the total: a 671B-total model with 37B activated per
// token trained on 14.8T tokens needs about 3.3e24 FLOP, not 6e25. glassbox reads the activated
// count, in this order, from:
//  1. the card ("37B activated parameters", "17B active", "Active params: 22B");
//  2. config.json, from the expert layout: routed-expert parameters are
//     MoE layers × experts × 3 × hidden size × expert FFN size (a gated FFN has three
//     matrices), and the activated count is the total less the routed experts plus the share a
//     token uses (experts per token ÷ experts).
//
// When the config shows experts but neither gives the activated count, the total-parameter
// estimate is an upper bound, and the EU AI Act verdict says so instead of presuming systemic
// risk from it.

// MoE describes a mixture-of-experts layout.
type MoE struct {
	// Experts and PerToken are the routed experts and how many each token uses.
	Experts  int `json:"experts,omitempty"`
	PerToken int `json:"per_token,omitempty"`
	// Active is the activated parameter count (0 when unknown); Source says where it came from:
	// "card" or "config".
	Active   int64    `json:"active,omitempty"`
	Source   string   `json:"source,omitempty"`
	Evidence []string `json:"evidence"`
}

var (
	expertKeys   = []string{"n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts", "num_routed_experts", "n_experts"}
	perTokenKeys = []string{"num_experts_per_tok", "num_selected_experts", "moe_top_k", "top_k_experts", "router_top_k", "num_experts_per_token", "n_experts_per_tok"}
	hiddenKeys   = []string{"hidden_size", "d_model", "n_embd", "dim"}
	layerKeys    = []string{"num_hidden_layers", "n_layers", "num_layers", "n_layer"}
	expertFFKeys = []string{"moe_intermediate_size", "expert_intermediate_size", "intermediate_size", "ffn_dim"}
)

// activeRe finds an activated-parameter statement: "37B activated", "17B active parameters",
// "activated parameters: 3.3B", "Active Params | 22B".
var (
	activeAfterRe  = lazyre.New(`(?i)(\d+(?:\.\d+)?)\s*(B|M|T|billion|million|trillion)\b[^.\n|]{0,20}?\b(?:activated|active)\b`)
	activeBeforeRe = lazyre.New(`(?i)\b(?:activated|active)\s+(?:parameters|params)\b\W{0,6}(\d+(?:\.\d+)?)\s*(B|M|T|billion|million|trillion)\b`)
)

// moe reads the expert layout from config.json and the activated count from the card or the
// config.
func (v *view) moe() {
	e, eOK := configInt(v.config, expertKeys)
	k, kOK := configInt(v.config, perTokenKeys)
	if !eOK || !kOK || e <= 1 || k <= 0 || k > e {
		return
	}
	m := &MoE{Experts: e, PerToken: k, Evidence: []string{v.fileEvidence("config.json", 0, 0)}}
	if n, line, ok := v.cardActive(); ok {
		m.Active, m.Source = n, "card"
		m.Evidence = append(m.Evidence, v.cardLine(line, "activated parameters: "+HumanParams(n)))
	} else if n, ok := v.configActive(e, k); ok {
		m.Active, m.Source = n, "config"
	}
	v.facts.MoE = m
}

// cardActive finds the activated parameter count the card states.
func (v *view) cardActive() (int64, int, bool) {
	for i, line := range strings.Split(v.card.Body, "\n") {
		for _, re := range []*lazyre.Regexp{activeAfterRe, activeBeforeRe} {
			if m := re.FindStringSubmatch(line); m != nil {
				if n, ok := scaledParams(m[1], m[2]); ok {
					return n, v.card.BodyStartLine + i, true
				}
			}
		}
	}
	return 0, 0, false
}

// configActive computes the activated count from the expert layout and the total.
func (v *view) configActive(experts, perToken int) (int64, bool) {
	hidden, ok1 := configInt(v.config, hiddenKeys)
	layers, ok2 := configInt(v.config, layerKeys)
	ff, ok3 := configInt(v.config, expertFFKeys)
	total := v.facts.Parameters
	if !ok1 || !ok2 || !ok3 || total <= 0 {
		return 0, false
	}
	moeLayers := layers
	if dense, ok := configInt(v.config, []string{"first_k_dense_replace"}); ok && dense < layers {
		moeLayers -= dense
	}
	if step, ok := configInt(v.config, []string{"decoder_sparse_step", "moe_layer_freq"}); ok && step > 1 {
		moeLayers /= step
	}
	routed := float64(moeLayers) * float64(experts) * 3 * float64(hidden) * float64(ff)
	if routed <= 0 || routed >= float64(total) {
		return 0, false // the layout does not fit the weights: no estimate
	}
	active := float64(total) - routed + routed*float64(perToken)/float64(experts)
	return int64(active), true
}

// configInt returns the first of keys that config.json sets to a positive whole number.
func configInt(config map[string]any, keys []string) (int, bool) {
	for _, k := range keys {
		if f, ok := config[k].(float64); ok && f > 0 && f == float64(int(f)) {
			return int(f), true
		}
	}
	return 0, false
}

// scaledParams turns "37" and "B" into 37e9.
func scaledParams(num, unit string) (int64, bool) {
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 {
		return 0, false
	}
	switch strings.ToLower(unit) {
	case "m", "million":
		f *= 1e6
	case "b", "billion":
		f *= 1e9
	case "t", "trillion":
		f *= 1e12
	}
	return int64(f), true
}
