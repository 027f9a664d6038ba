# Sourced by bin/run and bin/test: create or update .venv from uv.lock with the machine's python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
UV_VERSION="0.13.9"
if ! command -v uv >/dev/null 2>&1; then
  echo "Installing uv ${UV_VERSION} (the Python package installer)…"
  python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}" \
    || python3 -m pip install --quiet --user --disable-pip-version-check "uv==${UV_VERSION}"
  export PATH="$HOME/.local/bin:$PATH"
fi
PYTHON="$(command -v python3)"
uv sync --quiet --frozen --python "$PYTHON"
export PATH="$PWD/.venv/bin:$PATH"
