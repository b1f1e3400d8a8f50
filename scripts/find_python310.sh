#!/usr/bin/env bash
# Prints the path of a working CPython 3.10 (Rasa 3.6 installs on 3.8-3.10 only).
# Looks on PATH first, then in pyenv's and asdf's version folders; never a fixed machine path.
set -u
works() { "$1" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
for cand in "${PYTHON310:-}" python3.10 python3 python; do
  [ -n "$cand" ] || continue
  p=$(command -v "$cand" 2>/dev/null) || continue
  if works "$p"; then echo "$p"; exit 0; fi
done
roots=""
command -v pyenv >/dev/null 2>&1 && roots="$(pyenv root 2>/dev/null)/versions"
roots="$roots ${PYENV_ROOT:-$HOME/.pyenv}/versions ${ASDF_DATA_DIR:-$HOME/.asdf}/installs/python"
for r in $roots; do
  for p in "$r"/3.10*/bin/python3.10; do
    if [ -x "$p" ] && works "$p"; then echo "$p"; exit 0; fi
  done
done
cat >&2 <<'MSG'
No Python 3.10 found. Rasa 3.6 needs CPython 3.8-3.10 (it does not install on 3.11+).
Install one, then run make again, for example:
  pyenv install 3.10.13          # with pyenv
  sudo apt-get install python3.10 python3.10-venv   # on Debian/Ubuntu releases that ship it
or point PYTHON310=/path/to/python3.10 at an existing one.
MSG
exit 1
