#!/usr/bin/env bash
# Compares glassbox's licence identification with Debian's licensecheck and ruby-licensee on
# the shared licence texts: which licence each tool names for each file, whether that is right,
# and the wall time per file (one process per file, as each tool is used from a shell).
#
# Usage: bench/license/compare.sh [SHARED_EVAL_DIR] > report.md
# SHARED_EVAL_DIR defaults to ../shared/eval beside the repository. The two other tools are
# installed with apt-get when missing. Every file is given to every tool without the ScanCode
# YAML header that tops the texts/ files (that header names the licence, and glassbox skips it
# anyway), so the tools are compared on the licence text alone.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
eval_dir=${1:-$repo/../shared/eval}
lic=$eval_dir/licenses
[ -d "$lic/texts" ] || { echo "compare.sh: $lic/texts not found; pass the shared eval directory" >&2; exit 2; }

need=()
command -v licensecheck >/dev/null || need+=(licensecheck)
command -v licensee >/dev/null || need+=(ruby-licensee)
if [ ${#need[@]} -gt 0 ]; then
	echo "compare.sh: installing ${need[*]}" >&2
	apt-get update >/dev/null
	apt-get install -y "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$repo" && go build -o "$work/glassbox" ./cmd/glassbox)

# Cases: file, expected key, expected version ("-" when only the key is judged), SPDX id or "-".
cases=$work/cases.tsv
# Empty fields become "-" first: read would merge consecutive tabs.
dash() { awk -F'\t' -v OFS='\t' 'NR > 1 { for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print }' "$1"; }
dash "$lic/texts-expected.tsv" | while IFS=$'\t' read -r file key version _; do
	spdx=-
	[ "$key" = openmdw-1.0 ] && spdx=OpenMDW-1.0
	printf 'texts/%s\t%s\t%s\t%s\n' "$file" "$key" "$version" "$spdx"
done >"$cases"
dash "$lic/in-the-wild/labels.tsv" | while IFS=$'\t' read -r file key _ _ spdx _; do
	[ "$key" = skip ] && continue
	case $spdx in LicenseRef-* | *' '*) spdx=- ;; esac
	printf 'in-the-wild/%s\t%s\t-\t%s\n' "$file" "$key" "$spdx"
done >>"$cases"

strip_header() { awk 'NR==1 && /^---[ \t\r]*$/ {h=1; next} h && /^(---|\.\.\.)[ \t\r]*$/ {h=0; next} !h' "$1"; }

now() { date +%s%N; }

# norm folds a licence name for comparison: "Apache License 2.0" and "Apache-2.0" both give
# "apache2.0", "MIT License" and "MIT" give "mit".
norm() { tr '[:upper:]' '[:lower:]' <<<"$1" | sed -e 's/licen[sc]e//g' -e 's/[^a-z0-9.]//g'; }

glassbox_answer() {
	# The match that covers most of the text: KEY VERSION.
	"$work/glassbox" license "$1" | awk 'NR > 1 && $NF != "identifier" { if ($4 + 0 > best) { best = $4 + 0; a = $1 "@" $3 } } END { print (a == "" ? "none" : a) }'
}
licensecheck_answer() { licensecheck --machine "$1" | cut -f2; }
licensee_answer() { licensee detect "$1" 2>/dev/null | awk -F': *' '/^License:/ { print $2; exit }'; }

printf '| file | expected | glassbox | ms | licensecheck | ms | licensee | ms |\n|---|---|---|---|---|---|---|---|\n'
declare -A ok ms ai_missed
total=0 ai_total=0
while IFS=$'\t' read -r file key version spdx; do
	total=$((total + 1))
	# licensee only reads files named like a licence, so every case is a LICENSE of its own.
	mkdir -p "$work/$total"
	f=$work/$total/LICENSE
	strip_header "$lic/$file" >"$f"
	row="| $(basename "$file") | $key"
	[ "$version" != - ] && row="$row@$version"
	is_ai=0
	[ "$spdx" = - ] && is_ai=1 && ai_total=$((ai_total + 1))
	for tool in glassbox licensecheck licensee; do
		t0=$(now)
		answer=$(${tool}_answer "$f" 2>/dev/null) || true
		t1=$(now)
		elapsed=$(((t1 - t0) / 1000000))
		ms[$tool]=$((${ms[$tool]:-0} + elapsed))
		echo "$elapsed" >>"$work/times.$tool"
		right=0
		if [ "$tool" = glassbox ]; then
			want=$key
			[ "$version" != - ] && want=$key@$version
			[ "${answer%@*}" = "$key" ] && { [ "$version" = - ] || [ "$answer" = "$want" ]; } && right=1
		elif [ "$spdx" != - ] && [ "$(norm "$answer")" = "$(norm "$spdx")" ]; then
			right=1
		fi
		ok[$tool]=$((${ok[$tool]:-0} + right))
		[ $is_ai = 1 ] && [ $right = 0 ] && ai_missed[$tool]=$((${ai_missed[$tool]:-0} + 1))
		mark=✗
		[ $right = 1 ] && mark=✓
		row="$row | $mark ${answer:-none} | $elapsed"
	done
	echo "$row |"
done <"$cases"

echo
printf '| tool | correct | AI licences missed (of %d) | median ms per file | mean ms per file |\n|---|---|---|---|---|\n' "$ai_total"
for tool in glassbox licensecheck licensee; do
	median=$(sort -n "$work/times.$tool" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }')
	printf '| %s | %d/%d | %d | %d | %d |\n' "$tool" "${ok[$tool]:-0}" "$total" "${ai_missed[$tool]:-0}" "$median" $((${ms[$tool]} / total))
done
echo
echo "licensecheck $(dpkg-query -W -f '${Version}' licensecheck 2>/dev/null); ruby-licensee $(dpkg-query -W -f '${Version}' ruby-licensee 2>/dev/null)"
