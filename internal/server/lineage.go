package server

import "strings"

// A lineage graph, drawn as SVG on the model page: the base models in a row above the model,
// each joined to it by an arrow labelled with the relation (finetune, adapter, merge,
// quantized) and coloured by whether the base's terms are open. Positions are computed here so
// the template only places boxes.

// lineageNode is one box of the graph.
type lineageNode struct {
	X, Y, W, H int
	Label      string // the repository, clipped to fit
	Terms      string // the licence, or "terms unknown"
	Open       bool
	Relation   string
	// MidX, MidY place the relation's label on the arrow.
	MidX, MidY int
}

// lineageGraph is the picture's geometry.
type lineageGraph struct {
	Width, Height int
	Parents       []lineageNode
	Model         lineageNode
	Summary       string // the same in words, for screen readers
}

const (
	nodeW, nodeH, gap = 200, 44, 20
	maxParentsDrawn   = 6
)

// parentRef is a lineage entry of a stored report.
type parentRef struct {
	Ref, Relation, License string
	Open                   bool
}

// newLineageGraph lays out a model and its bases; nil when it has none.
func newLineageGraph(model string, parents []parentRef) *lineageGraph {
	if len(parents) == 0 {
		return nil
	}
	parents = parents[:min(len(parents), maxParentsDrawn)]
	width := len(parents)*(nodeW+gap) + gap
	g := &lineageGraph{Width: width, Height: 2*nodeH + 80}
	g.Model = lineageNode{X: (width - nodeW) / 2, Y: nodeH + 60, W: nodeW, H: nodeH, Label: clipLabel(model)}
	var words []string
	for i, p := range parents {
		n := lineageNode{X: gap + i*(nodeW+gap), Y: 10, W: nodeW, H: nodeH, Label: clipLabel(strings.TrimPrefix(p.Ref, "hf:")),
			Terms: p.License, Open: p.Open, Relation: p.Relation}
		if n.Terms == "" {
			n.Terms = "terms unknown"
		}
		if n.Relation == "" {
			n.Relation = "derived"
		}
		n.MidX, n.MidY = (n.X+nodeW/2+g.Model.X+nodeW/2)/2, (n.Y+nodeH+g.Model.Y)/2
		g.Parents = append(g.Parents, n)
		words = append(words, n.Relation+" of "+n.Label+" ("+n.Terms+")")
	}
	g.Summary = model + " is a " + strings.Join(words, "; ")
	return g
}

// clipLabel shortens a repository name to fit a box.
func clipLabel(s string) string {
	if r := []rune(s); len(r) > 28 {
		return string(r[:27]) + "…"
	}
	return s
}
