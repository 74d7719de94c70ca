package bom

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/github/go-spdx/v2/spdxexp"
)

// CycloneDXVersions are the spec versions CycloneDX accepts ("1.6", "1.7").
var CycloneDXVersions = map[string]cdx.SpecVersion{"1.6": cdx.SpecVersion1_6, "1.7": cdx.SpecVersion1_7}

// CycloneDX writes the release as a CycloneDX ML-BOM in JSON: the model as the
// machine-learning-model metadata component with its modelCard, the weights files (with
// SHA-256) and training datasets as components it depends on, base models as pedigree
// ancestors, and glassbox's verdicts as glassbox:… properties. The serial number is a UUID
// derived from the rest of the document, so the same input gives the same bytes.
func CycloneDX(w io.Writer, d *Description, spec, tool string) error {
	sv, ok := CycloneDXVersions[spec]
	if !ok {
		return fmt.Errorf("unsupported CycloneDX version %q (1.6 or 1.7)", spec)
	}
	b := cycloneBOM(d, tool)
	var body bytes.Buffer
	if err := encodeCDX(&body, b, sv); err != nil {
		return err
	}
	b.SerialNumber = "urn:uuid:" + contentUUID(body.Bytes())
	return encodeCDX(w, b, sv)
}

func encodeCDX(w io.Writer, b *cdx.BOM, sv cdx.SpecVersion) error {
	return cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false).EncodeVersion(b, sv)
}

// contentUUID is a name-based (version 5 layout) UUID from a SHA-256 of data.
func contentUUID(data []byte) string {
	h := sha256.Sum256(data)
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func cycloneBOM(d *Description, tool string) *cdx.BOM {
	model := modelComponent(d)
	var comps []cdx.Component
	var deps []string
	for _, wf := range d.Weights {
		c := weightsComponent(wf)
		comps = append(comps, c)
		deps = append(deps, c.BOMRef)
	}
	for _, ds := range d.Datasets {
		c := datasetComponent(ds)
		comps = append(comps, c)
		deps = append(deps, c.BOMRef)
	}
	b := cdx.NewBOM()
	b.Metadata = &cdx.Metadata{
		Tools:     &cdx.ToolsChoice{Components: &[]cdx.Component{{Type: cdx.ComponentTypeApplication, Name: "glassbox", Version: tool}}},
		Component: &model,
	}
	if len(comps) > 0 {
		b.Components = &comps
		b.Dependencies = &[]cdx.Dependency{{Ref: model.BOMRef, Dependencies: &deps}}
	}
	return b
}

func modelComponent(d *Description) cdx.Component {
	c := cdx.Component{
		BOMRef: d.PURL, Type: cdx.ComponentTypeMachineLearningModel,
		Group: d.Group, Name: d.Name, Version: d.Revision, PackageURL: d.PURL,
		Licenses: cdxLicences(d.Licenses), ModelCard: modelCard(d),
	}
	if c.BOMRef == "" {
		c.BOMRef = "model:" + d.Name
	}
	props := make([]cdx.Property, 0, len(d.Properties)+1)
	if d.Parameters > 0 {
		props = append(props, cdx.Property{Name: "glassbox:parameters", Value: strconv.FormatInt(d.Parameters, 10)})
	}
	for _, p := range d.Properties {
		props = append(props, cdx.Property{Name: p.Name, Value: p.Value})
	}
	c.Properties = &props
	if d.HubID != "" {
		c.ExternalReferences = &[]cdx.ExternalReference{{Type: cdx.ERTypeWebsite, URL: "https://huggingface.co/" + d.HubID}}
	}
	if len(d.Bases) > 0 {
		var anc []cdx.Component
		for _, base := range d.Bases {
			anc = append(anc, baseComponent(base))
		}
		c.Pedigree = &cdx.Pedigree{Ancestors: &anc}
	}
	return c
}

func modelCard(d *Description) *cdx.MLModelCard {
	mc := &cdx.MLModelCard{ModelParameters: &cdx.MLModelParameters{Task: d.Task, ArchitectureFamily: d.Family, ModelArchitecture: d.Architecture}}
	if len(d.Datasets) > 0 {
		var ds []cdx.MLDatasetChoice
		for _, x := range d.Datasets {
			ds = append(ds, cdx.MLDatasetChoice{Ref: datasetRef(x)})
		}
		mc.ModelParameters.Datasets = &ds
	}
	if len(d.Metrics) > 0 {
		var ms []cdx.MLPerformanceMetric
		for _, m := range d.Metrics {
			ms = append(ms, cdx.MLPerformanceMetric{Type: m.Type, Value: m.Value, Slice: m.Slice})
		}
		mc.QuantitativeAnalysis = &cdx.MLQuantitativeAnalysis{PerformanceMetrics: &ms}
	}
	if len(d.UseCases) > 0 || len(d.Limitations) > 0 {
		mc.Considerations = &cdx.MLModelCardConsiderations{}
		if len(d.UseCases) > 0 {
			mc.Considerations.UseCases = &d.UseCases
		}
		if len(d.Limitations) > 0 {
			mc.Considerations.TechnicalLimitations = &d.Limitations
		}
	}
	return mc
}

func weightsComponent(wf Weights) cdx.Component {
	c := cdx.Component{BOMRef: "file:" + wf.Path, Type: cdx.ComponentTypeFile, Name: wf.Path}
	if wf.SHA256 != "" {
		c.Hashes = &[]cdx.Hash{{Algorithm: cdx.HashAlgoSHA256, Value: wf.SHA256}}
	}
	props := []cdx.Property{{Name: "glassbox:format", Value: wf.Format}, {Name: "glassbox:safety", Value: wf.Safety}, {Name: "glassbox:size", Value: strconv.FormatInt(wf.Size, 10)}}
	if wf.Parameters > 0 {
		props = append(props, cdx.Property{Name: "glassbox:parameters", Value: strconv.FormatInt(wf.Parameters, 10)})
	}
	if wf.Intermediate {
		props = append(props, cdx.Property{Name: "glassbox:intermediate", Value: "true"})
	}
	c.Properties = &props
	return c
}

func datasetRef(ds Dataset) string { return "dataset:" + ds.Ref }

func datasetComponent(ds Dataset) cdx.Component {
	c := cdx.Component{BOMRef: datasetRef(ds), Type: cdx.ComponentTypeData, Name: ds.Name,
		Data: &[]cdx.ComponentData{{Type: cdx.ComponentDataTypeDataset, Name: ds.Name}}}
	if ds.License != "" {
		c.Licenses = cdxLicences([]Licence{{Expression: ds.License, Acknowledged: "declared"}})
	}
	if ds.URL != "" {
		c.ExternalReferences = &[]cdx.ExternalReference{{Type: cdx.ERTypeWebsite, URL: ds.URL}}
	}
	return c
}

func baseComponent(b Base) cdx.Component {
	c := cdx.Component{BOMRef: "base:" + b.Ref, Type: cdx.ComponentTypeMachineLearningModel, Name: b.Name, PackageURL: b.PURL}
	if b.License != "" {
		c.Licenses = cdxLicences([]Licence{{Expression: b.License, Acknowledged: "declared"}})
	}
	if b.Relation != "" {
		c.Properties = &[]cdx.Property{{Name: "glassbox:relation", Value: b.Relation}}
	}
	return c
}

// cdxLicences writes licence statements as licence objects with their acknowledgement: an
// SPDX id when the expression is one, else its name (CycloneDX allows an expression only as
// the sole entry), with the text of a concluded licence's file.
func cdxLicences(ls []Licence) *cdx.Licenses {
	if len(ls) == 0 {
		return nil
	}
	out := cdx.Licenses{}
	for _, l := range ls {
		lic := &cdx.License{Acknowledgement: cdx.LicenseAcknowledgement(l.Acknowledged)}
		if isSPDXID(l.Expression) {
			lic.ID = l.Expression
		} else {
			lic.Name = l.Expression
		}
		if l.Text != "" {
			lic.Text = &cdx.AttachedText{ContentType: "text/plain", Content: l.Text}
		}
		out = append(out, cdx.LicenseChoice{License: lic})
	}
	return &out
}

// isSPDXID reports whether s is a single licence id of the SPDX list.
func isSPDXID(s string) bool {
	if strings.ContainsAny(s, " ()+:") || strings.HasPrefix(s, "LicenseRef-") || strings.HasPrefix(s, "DocumentRef-") {
		return false
	}
	ok, _ := spdxexp.ValidateLicenses([]string{s})
	return ok
}
