package policy

// Starter is the policy 'glassbox check --init' writes: it fails on HIGH findings, unsafe
// pickles and hash mismatches, and shows the other helpers as commented-out rules.
const Starter = `# glassbox policy (glassbox check --policy FILE TARGET...)
#
# Every rule's expr is a CEL expression (https://cel.dev) over the glassbox.report/v1 JSON
# report; it must be true for a release to pass. A release that breaks a rule makes
# 'glassbox check' exit 1, naming the rule, its message and what the helpers found.
#
# Variables: report (the whole document) and its fields name, target, tier (the G7 label),
# frameworks, weights, findings, licenses, components, lineage, datasets, artifacts.
#
# Helpers:
#   tier_at_least("open-weights")   G7 tier at least this (closed, weights-available,
#                                   open-weights, open-source-ai, open-source-ai-open-data)
#   has_term("non-commercial")      the weights' terms (inherited ones too) have this clause;
#                                   true when a licence's terms are unknown (fails closed).
#                                   Clause names: glassbox license --list --term NAME, e.g.
#                                   user-cap, non-commercial, use-policy, research-only
#   terms()                         the clause names the weights' terms have
#   has_finding("unsafe-pickle")    a finding with this id (license-conflict, openwashing,
#                                   license-mismatch, license-missing, unsafe-pickle,
#                                   hash-mismatch, card-unparseable, gated)
#   has_severity("high")            a finding of this severity or higher
#   mof_class_at_least(2)           MOF Class II or I (Unclassified meets none)
#   osaid_pass()                    OSI Open Source AI Definition verdict is pass

rules:
  - name: no-high-findings
    message: the release has a HIGH finding (a licence conflict, unsafe pickle or corrupt file)
    expr: '!has_severity("high")'

  - name: no-unsafe-pickles
    message: a weights file runs code when loaded; convert it to safetensors
    expr: '!has_finding("unsafe-pickle")'

  - name: no-hash-mismatches
    message: a weights file does not match its published hash (run with --verify to check)
    expr: '!has_finding("hash-mismatch")'

  # - name: open-weights
  #   message: we only ship models whose weights are under an Open Source licence
  #   expr: tier_at_least("open-weights")

  # - name: commercial-use
  #   message: the weights' terms must allow commercial use at any scale
  #   expr: '!has_term("non-commercial") && !has_term("user-cap")'

  # - name: no-openwashing
  #   expr: '!has_finding("openwashing")'

  # - name: mof-open-tooling
  #   expr: mof_class_at_least(2)

  # - name: osaid
  #   expr: osaid_pass()

  # Any CEL over the report works too, e.g. at most 2 medium findings:
  # - name: few-medium-findings
  #   expr: findings.filter(f, f.severity == "medium").size() <= 2
`
