# Shared by bench/compare*.sh: Debian's Python with torch (installed when missing), JSON field
# extraction and medians. Source it; it sets ROOT and PY.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3   # Debian's interpreter: pyenv's python3 may come first on PATH and has no torch
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "bench: installing python3-torch (Debian) ..." >&2
  apt-get install -y -qq python3-torch >/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null; }
fi
"$ROOT/cambench" --version >/dev/null 2>&1 || true   # builds on first use, outside the timings

# field NAME: reads one JSON object on stdin, prints its field NAME
field() { "$PY" -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }
# median V...: the median of the numbers
median() { "$PY" -c "import statistics,sys; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }
# ratio LABEL OURS THEIRS: one result line, ours/theirs
ratio() { "$PY" -c "import sys; c,p=float(sys.argv[2]),float(sys.argv[3]); print('%-12s %14.1f %14.1f %7.2fx' % (sys.argv[1], p, c, c/p))" "$@"; }
