#!/bin/sh
# A contributor's loop, timed as a whole: scaffold a new country, then validate it (with every cross-file
# rule). Run from a checkout (or an archive of one) whose data it may write to; the record is removed after.
#   /usr/bin/time -v sh bench/contributor_loop.sh [CHECKOUT] [PYTHON]
set -e
cd "${1:-.}"
python="${2:-python}"
rm -f countries/URY.yaml
"$python" cli.py new-country URY --region "Latin America" >/dev/null
"$python" cli.py validate countries/URY.yaml >/dev/null 2>&1
rm -f countries/URY.yaml
