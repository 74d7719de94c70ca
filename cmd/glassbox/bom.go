package main

import (
	"context"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/glassbox-dev/glassbox/internal/assess"
	"github.com/glassbox-dev/glassbox/internal/bom"
	"github.com/glassbox-dev/glassbox/internal/release"
	"github.com/glassbox-dev/glassbox/internal/target"
)

func newBOM(stdout, stderr io.Writer) *cobra.Command {
	var format, spec, out string
	var opts auditOptions
	c := &cobra.Command{
		Use:   "bom TARGET",
		Short: "Write an AI bill of materials (CycloneDX ML-BOM or SPDX 3.0.1) for a model release",
		Long: `Audit a release and write its AI bill of materials.

--format cyclonedx (default) writes a CycloneDX ML-BOM in JSON (--spec 1.6 or 1.7): the model
as a machine-learning-model component with its modelCard (task and architecture, the training
datasets, the card's model-index results as performance metrics, intended uses and
limitations), its weights files with their SHA-256 (computed, Git LFS or Hub), the training
datasets as data components, licences with their acknowledgement (declared by the card,
concluded from a licence file's text, which is attached), the base models as pedigree
ancestors, the purl pkg:huggingface/ORG/NAME@SHA for Hub models, and glassbox's verdicts as
glassbox:… properties.

--format spdx writes SPDX 3.0.1 JSON-LD with the AI profile (ai_AIPackage) for the model and
the Dataset profile (dataset_DatasetPackage) for its training data, relationships for the
training data (trainedOn), lineage (ancestorOf) and files (contains), and licences as SPDX
expressions or LicenseRefs with their texts.

Output is deterministic: no random identifiers (the CycloneDX serial number and the SPDX ids
derive from the content and the release's revision) and no clock: CycloneDX carries no
timestamp, and SPDX's required creation time is SOURCE_DATE_EPOCH (seconds since 1970) when
set, else 1970-01-01T00:00:00Z. The same release gives the same bytes.

TARGET is anything 'glassbox scan' accepts: a directory, a snapshot file or hf:ORG/NAME[@REV].`,
		Example: `  glassbox bom ./my-model --verify -o model.cdx.json
  glassbox bom hf:allenai/OLMo-2-1124-7B --spec 1.7
  glassbox bom ./my-model --format spdx -o model.spdx.json`,
		Args: exactArgs(1, "one TARGET"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "cyclonedx" && format != "spdx" {
				return usageErr("bom: unknown --format %q (cyclonedx or spdx)", format)
			}
			created, err := sourceDate()
			if err != nil {
				return err
			}
			if _, ok := bom.CycloneDXVersions[spec]; !ok {
				return usageErr("bom: unknown --spec %q (1.6 or 1.7)", spec)
			}
			rel, a, err := readAndAssess(cmd.Context(), args[0], opts, stderr)
			if err != nil {
				return err
			}
			w, closeOut, err := output(out, stdout)
			if err != nil {
				return err
			}
			d := bom.Describe(rel, a)
			if format == "spdx" {
				err = bom.SPDX(w, d, version, created)
			} else {
				err = bom.CycloneDX(w, d, spec, version)
			}
			if cerr := closeOut(); err == nil {
				err = cerr
			}
			return err
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "cyclonedx", "cyclonedx or spdx")
	c.Flags().StringVar(&spec, "spec", "1.6", "CycloneDX specification version: 1.6 or 1.7")
	c.Flags().StringVarP(&out, "output", "o", "", "write the BOM to FILE instead of standard output")
	c.Flags().BoolVar(&opts.verify, "verify", false, "hash every weights file (as scan --verify does), so local weights get a SHA-256 in the BOM")
	c.Flags().StringVar(&opts.weights, "weights", "", "with --verify and a Hub target: the folder holding a local copy of the repository's files")
	addHubFlags(c, &opts)
	return c
}

// sourceDate is the SPDX creation time: SOURCE_DATE_EPOCH (reproducible-builds.org) when set,
// else the Unix epoch, so that output never depends on the clock.
func sourceDate() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 {
		return time.Time{}, usageErr("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970", v)
	}
	return time.Unix(secs, 0).UTC(), nil
}

// readAndAssess reads a target and audits it, keeping the release for what the BOM needs
// beyond the assessment (the card's model-index, config.json, licence texts, Hub commit).
func readAndAssess(ctx context.Context, t string, opts auditOptions, stderr io.Writer) (*release.Release, *assess.Assessment, error) {
	rel, err := readTarget(ctx, t, opts, stderr)
	if err != nil {
		return nil, nil, err
	}
	a, err := target.AuditRelease(ctx, t, rel, targetOptions(opts, stderr))
	if err != nil {
		return nil, nil, exitFor(err)
	}
	return rel, a, nil
}
