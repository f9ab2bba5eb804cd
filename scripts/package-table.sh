#!/usr/bin/env bash
# The package table of src/main/java/dev/llmcls at a commit (default: the working tree): per package, its
# files, lines, and the other llmcls packages it imports. Markdown on stdout.
#   scripts/package-table.sh            the working tree
#   scripts/package-table.sh REV        the tree at REV (e.g. 78cb620^, before issue 18's package move)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rev="${1:-}"
root=src/main/java/dev/llmcls
if [[ -n "$rev" ]]; then
  files() { git ls-tree -r --name-only "$rev" -- "$root" | grep '\.java$'; }
  show() { git show "$rev:$1"; }
else
  files() { git ls-files -co --exclude-standard -- "$root" | grep '\.java$'; }
  show() { cat "$1"; }
fi
declare -A nfiles nlines uses
while read -r f; do
  rel="${f#"$root"/}"
  dir="$(dirname "$rel")"
  [[ "$dir" == "." ]] && pkg="(root)" || pkg="${dir//\//.}"
  text="$(show "$f")"
  nfiles[$pkg]=$(( ${nfiles[$pkg]:-0} + 1 ))
  nlines[$pkg]=$(( ${nlines[$pkg]:-0} + $(printf '%s\n' "$text" | wc -l) ))
  used="$(printf '%s\n' "$text" | sed -n 's/^import \(static \)\{0,1\}dev\.llmcls\.\([a-z][a-z0-9_.]*\)\.[A-Z].*/\2/p' | sort -u)"
  for u in $used; do
    [[ "$u" == "$pkg" ]] && continue
    uses[$pkg]+=" $u"
  done
done < <(files)
echo "| package | files | lines | uses |"
echo "|---|---:|---:|---|"
for pkg in $(printf '%s\n' "${!nfiles[@]}" | sort); do
  u="$(printf '%s\n' ${uses[$pkg]:-} | sort -u | tr '\n' ' ' | sed 's/ $//; s/ /, /g')"
  echo "| $pkg | ${nfiles[$pkg]} | ${nlines[$pkg]} | ${u:--} |"
done
printf '| **total** | %d | %d | |\n' \
  "$(IFS=+; echo $(( ${nfiles[*]} )))" "$(IFS=+; echo $(( ${nlines[*]} )))"
