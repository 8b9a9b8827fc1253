# Sourced by the scripts: make .venv with Python 3.11+ and install Coop into it.
# Re-running is cheap: pip only installs what changed.
set -euo pipefail

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

ensure_venv() {  # $1: pip extras, e.g. "[test]" or ""
  if [ ! -x .venv/bin/python ]; then
    py=$(find_python) || { echo "Coop needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
    echo "Creating .venv with $("$py" --version)..." >&2
    "$py" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$1" >&2
}
