package evidence

import (
	"fmt"
	"testing"

	"github.com/glassbox-dev/glassbox/internal/license"
	"github.com/glassbox-dev/glassbox/internal/release"
)

func TestScratch(t *testing.T) {
	rel := &release.Release{Complete: true, Files: []release.File{
		{Path: "LICENSE-CODE", Size: 10},
		{Path: "modeling_x.py", Size: 10},
		{Path: "train.py", Size: 10},
		{Path: "data/prepare.py", Size: 10},
		{Path: "vocab.bin", Size: 10},
		{Path: "training_args.bin", Size: 10},
		{Path: "pytorch_model.bin", Size: 10},
	}, Texts: []release.Text{
		{Path: "LICENSE-CODE", Content: "SPDX-License-Identifier: Apache-2.0\nThe code here is ours to share.\n"},
		{Path: "modeling_x.py", Content: "# SPDX-License-Identifier: MIT\nprint(1)\n"},
		{Path: "train.py", Content: "print(2)\n"},
	}}
	rel.Sort()
	f := Detect(rel, license.Default())
	for _, c := range f.Components {
		fmt.Println(c.ID, c.Name, c.Status, c.Locations, c.License)
	}
	fmt.Printf("%+v\n", f.Artifacts)
}
