#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from the repository's own files, so
# the repository carries no corpora. Run from anywhere; safe to run again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
files="$root/tests/fixtures/files"
seed() { # target file...
  local target="$1"; shift
  mkdir -p "$corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] || continue
    # Files over 64 KB are past the -max_len of the runs; libFuzzer would cut them.
    [ "$(wc -c < "$f")" -le 65536 ] || continue
    cp "$f" "$corpus/$target/$(echo "${f#"$root"/}" | tr '/' '_')"
  done
}
seed programme "$root/www/demo/programme.json" "$files"/v*/programme.json "$root"/tests/fixtures/evaluate/programme.json
seed backup "$root"/tests/fixtures/backups/*.json "$files"/v*/backup-*.json
seed stored "$root"/tests/fixtures/backups/*.json "$files"/v*/backup-*.json
seed dataset "$files"/v1/dataset.json
seed submission "$files"/v*/submission.json
seed decision "$files"/v*/decision.json
seed signed "$files"/v*/programme.json "$files"/v*/decision.json "$files"/v*/submission.json
seed key "$files"/v*/key.json
seed change # seeded below
seed lead_file "$root/www/demo/campaign-leads.csv"
seed names
# Changes: one of each kind the tests write, as JSON lines in src/workspace.rs.
n=0
grep -o "r#\"{\"type\":[^#]*}\"#" "$root/src/workspace.rs" "$root"/tests/*.rs 2>/dev/null | sed 's/^[^:]*:r#"//; s/"#$//' |
  while IFS= read -r line; do n=$((n + 1)); printf '%s' "$line" > "$corpus/change/seed-$n"; done
printf '{"type":"expireDue"}' > "$corpus/change/expire"
printf '{"type":"chooseRole","role":{"kind":"partner","partnerId":"p-nordlys"}}' > "$corpus/change/role"
# A lead file as a JSON array too.
printf '[{"Company":"Fjordbris Maskin AS","Country":"NO","E-mail":"ola@fjordbris.no","Campaign":"C-1"}]' \
  > "$corpus/lead_file/array.json"
# Names: a few hundred real company names (one per file) and some domains.
grep -v '^#' "$root/bench/company-names.txt" | awk 'NR % 50 == 1' | head -400 |
  while IFS= read -r line; do printf '%s' "$line" > "$corpus/names/$(printf '%s' "$line" | cksum | cut -d' ' -f1)"; done
for d in "https://www.volvocars.com/se" "ola.nordmann@fjordbris.no" "a.b.co.uk" "gmail.com" "xn--bcher-kva.example"; do
  printf '%s' "$d" > "$corpus/names/domain-$(printf '%s' "$d" | cksum | cut -d' ' -f1)"
done
for t in "$corpus"/*/; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
