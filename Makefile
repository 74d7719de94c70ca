# Developer targets. CI (.ci/run) does not use this file.

GO ?= go
# FUZZTIME is how long each fuzz target runs.
FUZZTIME ?= 30s
# FUZZ_TARGETS are package:function pairs fuzzed besides every Fuzz function in
# internal/artifact, which `go test -list` finds.
FUZZ_TARGETS ?= \
	./internal/card:FuzzParse \
	./internal/yamlguard:FuzzCheck \
	./internal/license:FuzzIdentify \
	./internal/license:FuzzTokenize \
	./internal/framework/mof:FuzzParseRecord \
	./internal/release:FuzzUnmarshal \
	./internal/release:FuzzEncodeName \
	./internal/framework/osai:FuzzParseRecord \
	./internal/evidence:FuzzTrainingTokens \
	./internal/source/hub:FuzzParseTarget \
	./internal/source/hub:FuzzDecodeInfo \
	./internal/source/hub:FuzzDecodeTreePage \
	./internal/source/hub:FuzzNextLink \
	./internal/source/hub:FuzzRateLimit \
	./internal/source/hub:FuzzDecodeListPage \
	./internal/ratelimit:FuzzParseHeader \
	./internal/ratelimit:FuzzBucketOf \
	./internal/links:FuzzExtract \
	./internal/source/github:FuzzDecode \
	./internal/policy:FuzzParse

.PHONY: fuzz bench-pickle eval

# fuzz runs each fuzz target for FUZZTIME, one after another. A target that finds a crasher
# fails (the input is left under the package's testdata/fuzz). A target that fails without
# writing one is retried once: Go 1.26's fuzzer can report "context deadline exceeded" at the
# end of -fuzztime though nothing failed (go.dev/issue/75804, fixed in Go 1.27).
fuzz:
	@targets="$$($(GO) test -list '^Fuzz' ./internal/artifact | grep '^Fuzz' | sed 's|^|./internal/artifact:|') $(FUZZ_TARGETS)"; \
	failed=""; \
	for t in $$targets; do \
		pkg=$${t%%:*}; fn=$${t##*:}; corpus=$$pkg/testdata/fuzz/$$fn; \
		for try in 1 2; do \
			before=$$(ls $$corpus 2>/dev/null | wc -l); \
			echo "== $$pkg $$fn ($(FUZZTIME))"; \
			if $(GO) test $$pkg -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME); then break; fi; \
			if [ $$try = 1 ] && [ "$$(ls $$corpus 2>/dev/null | wc -l)" = "$$before" ]; then \
				echo "== $$fn failed without a failing input; retrying once (go.dev/issue/75804)"; continue; \
			fi; \
			failed="$$failed $$fn"; break; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz failures:$$failed"; exit 1; fi

# bench-pickle times the pickle opcode walk against Python's pickletools (see bench/).
bench-pickle:
	bench/pickle_walk.sh

# eval runs glassbox over the real-world data in ../shared/eval, prints one table and rewrites
# EVAL.md; it fails when an area is below its bar (CI runs the same program, see .ci/run).
eval:
	$(GO) run ./cmd/glassbox-eval -markdown EVAL.md
