// Package component holds the one taxonomy glassbox uses for what a model release contains: the
// 17 components of the Model Openness Framework (LF AI & Data, arXiv 2403.13784). Detectors find
// them, and every framework reads them through its own lens.
package component

import "fmt"

// ID is the MOF's own number for a component (9 = Model architecture, 10 = final parameters …).
type ID int

// The 17 MOF components, by the framework's own numbers.
const (
	TrainingCode           ID = 7
	InferenceCode          ID = 8
	ModelArchitecture      ID = 9
	ModelParameters        ID = 10
	TechnicalReport        ID = 11
	EvaluationResults      ID = 12
	ModelCard              ID = 13
	DataCard               ID = 14
	Datasets               ID = 15
	DataPreprocessingCode  ID = 16
	ModelMetadata          ID = 17
	EvaluationCode         ID = 18
	EvaluationData         ID = 19
	SampleOutputs          ID = 20
	ResearchPaper          ID = 21
	SupportingLibraries    ID = 22
	IntermediateParameters ID = 24
)

// Type is what kind of artefact a component is; it decides which scoped licence applies to it
// (a LICENSE-CODE covers code, a data licence covers data, documentation licences documents).
type Type string

// Component types, as the MOF names them.
const (
	Code     Type = "code"
	Data     Type = "data"
	Document Type = "document"
)

// Info describes one component: its number, its exact MOF name (the reference tool matches on
// it), its type and the MOF class that requires it or lists it as optional.
type Info struct {
	ID   ID
	Name string
	Type Type
	// Class is the MOF class (1, 2 or 3) where the component first appears.
	Class int
	// Optional components appear in Class but never change the class a release reaches.
	Optional bool
}

// All lists the components in the MOF's own order: Class III first, then II, then I.
var All = []Info{
	{ModelArchitecture, "Model architecture", Code, 3, false},
	{ModelParameters, "Model parameters (Final)", Data, 3, false},
	{TechnicalReport, "Technical report", Document, 3, false},
	{EvaluationResults, "Evaluation results", Document, 3, false},
	{ModelCard, "Model card", Document, 3, false},
	{DataCard, "Data card", Document, 3, false},
	{SampleOutputs, "Sample model outputs", Document, 3, true},
	{TrainingCode, "Training code", Code, 2, false},
	{InferenceCode, "Inference code", Code, 2, false},
	{EvaluationCode, "Evaluation code", Code, 2, false},
	{EvaluationData, "Evaluation data", Data, 2, false},
	{SupportingLibraries, "Supporting libraries and tools", Code, 2, true},
	{Datasets, "Datasets", Data, 1, false},
	{DataPreprocessingCode, "Data preprocessing code", Code, 1, false},
	{ResearchPaper, "Research paper", Document, 1, false},
	{IntermediateParameters, "Model parameters (Intermediate)", Data, 1, false},
	{ModelMetadata, "Model metadata", Data, 1, true},
}

// Lookup returns the description of component id, and false for a number the MOF does not use.
func Lookup(id ID) (Info, bool) {
	for _, c := range All {
		if c.ID == id {
			return c, true
		}
	}
	return Info{}, false
}

// ByName returns the component whose MOF name is exactly name (case-sensitive, as the reference
// tool compares).
func ByName(name string) (Info, bool) {
	for _, c := range All {
		if c.Name == name {
			return c, true
		}
	}
	return Info{}, false
}

// Required returns the components a class adds to the classes above it (optional ones excluded).
// Required(3) has 6 entries, Required(2) 4 and Required(1) 4.
func Required(class int) []Info {
	var out []Info
	for _, c := range All {
		if c.Class == class && !c.Optional {
			out = append(out, c)
		}
	}
	return out
}

// Name returns the MOF name of id, or "component N" for an unknown number.
func (id ID) Name() string {
	if c, ok := Lookup(id); ok {
		return c.Name
	}
	return fmt.Sprintf("component %d", int(id))
}
