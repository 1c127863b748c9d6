# Sourced by the notebook scripts: sets JUPYTER_PYTHON to a Python that has Jupyter's client
# libraries. On Debian these belong to /usr/bin/python3, which a pyenv or venv python3 earlier on
# PATH would hide; set JUPYTER_PYTHON yourself to pick another (a conda env, a venv).
find_jupyter_python() {
  local candidate
  for candidate in ${JUPYTER_PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import jupyter_client, nbclient, nbconvert, nbformat' >/dev/null 2>&1; then
      JUPYTER_PYTHON="$(command -v "$candidate")"
      return 0
    fi
  done
  echo "No Python with Jupyter found (tried: ${JUPYTER_PYTHON:-} python3 /usr/bin/python3)." >&2
  echo "Install it: 'apt-get install jupyter-nbconvert jupyter-client' (Debian/Ubuntu)," >&2
  echo "'pip install nbconvert' or 'conda install nbconvert' (both bring nbclient and jupyter_client)," >&2
  echo "or point JUPYTER_PYTHON at a Python that has them." >&2
  return 1
}
