#!/usr/bin/env bash
# The Colab-versions check: gan-lib's widget tests, the pretrained-generator test and every lesson (fast mode,
# under nbval) in a second environment on Colab's Python (3.12) pinned to the versions Colab ships
# (ci/colab-constraints.txt: TensorFlow, Keras, NumPy, ipywidgets 7.7.1, IPython 7.34).
#
#   ci/colab_check.sh                # creates the venv the first time, reuses it after
#   COLAB_FRESH=1 ci/colab_check.sh  # rebuilds it from scratch
#   ci/colab_check.sh --next         # "the next Colab": Python 3.13 with the newest TensorFlow, Keras and
#                                    # ipywidgets 8 (ci/colab-next-constraints.txt); not part of .ci/run
#
# The venv lives outside the checkout, in a cache folder shared by every clone (about 2.4 GB):
# $GAN_LIB_COLAB_VENV, else ${XDG_CACHE_HOME:-~/.cache}/gan-lib/venv-colab-py<version>.
# It is rebuilt whenever ci/colab-constraints.txt changes (a copy is kept inside the venv).
# Python: Colab's 3.12 ($COLAB_PYTHON, else `python3.12`, e.g. through pyenv); where none is found the
# script says so in one line and falls back to the default python3.
# The notebook runs in its own Jupyter kernel, "gan-lib-colab", installed INTO the venv
# (`ipykernel install --prefix`), so it executes with the venv's Python and packages, not the main
# environment's; the script prints that kernel's ipywidgets version before running the notebook.
set -euo pipefail
cd "$(dirname "$0")/.."

COLAB_PY_VERSION=3.12
CONSTRAINTS=ci/colab-constraints.txt
FLAVOUR=colab
if [ "${1:-}" = "--next" ]; then
  COLAB_PY_VERSION=3.13
  CONSTRAINTS=ci/colab-next-constraints.txt
  FLAVOUR=colab-next
elif [ -n "${1:-}" ]; then
  echo "colab_check: unknown option $1 (the only one is --next)" >&2
  exit 2
fi
if [ -n "${COLAB_PYTHON:-}" ]; then
  BASE_PY="$COLAB_PYTHON"
elif command -v "python$COLAB_PY_VERSION" >/dev/null 2>&1 && "python$COLAB_PY_VERSION" -V >/dev/null 2>&1; then
  BASE_PY="python$COLAB_PY_VERSION"
elif command -v pyenv >/dev/null 2>&1 && V=$(pyenv versions --bare | grep "^$COLAB_PY_VERSION\." | tail -1) && [ -n "$V" ]; then
  BASE_PY="$(pyenv root)/versions/$V/bin/python"
else
  BASE_PY="${PYTHON:-python3}"
  echo "colab_check: WARNING: no Python $COLAB_PY_VERSION found (Colab's version); using $($BASE_PY -V 2>&1) instead"
fi
BASE_VERSION=$("$BASE_PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
VENV="${GAN_LIB_COLAB_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gan-lib/venv-$FLAVOUR-py$BASE_VERSION}"
PY="$VENV/bin/python"
KERNEL=gan-lib-$FLAVOUR
START=$(date +%s)

if [ -d ../shared/data/mnist ] && [ -z "${GAN_LIB_DATA_DIR:-}" ]; then
  export GAN_LIB_DATA_DIR="$(cd ../shared/data && pwd)"  # the offline data folder (mnist/ inside), as in .ci/run
fi
# TensorFlow 2.19's C++ start-up lines ("computation placer already registered" by the hundred, cuInit,
# cuBLAS/cuDNN factories) bury the lines that matter. Level 3 hides most of them, in the kernels too (they
# inherit this environment); those printed before TensorFlow's logging starts ignore it, so `quiet` also
# drops them from the stderr of the commands below. Python errors and test output pass through.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
TF_NOISE='^[IWEF][0-9]{4} .*\.cc:[0-9]+\] |^[0-9-]{10} [0-9:.]+: [IWEF] .*\.cc:[0-9]+\] |^WARNING: All log messages before absl::InitializeLog|^To enable the following instructions: AVX'
quiet() { "$@" 2> >(grep -v -E "$TF_NOISE" >&2); }
export PYDEVD_DISABLE_FILE_VALIDATION=1  # quiets ipykernel 6's debugger warning about frozen modules
# tests/test_widgets.py fails unless it runs under exactly this ipywidgets version (when one is pinned):
export GAN_LIB_EXPECT_IPYWIDGETS="$(sed -n 's/^ipywidgets==//p' "$CONSTRAINTS")"

if [ -n "${COLAB_FRESH:-}" ] || [ ! -x "$PY" ] || ! cmp -s "$CONSTRAINTS" "$VENV/colab-constraints.txt"; then
  echo "colab_check: building $VENV from $CONSTRAINTS"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$BASE_PY" -m venv "$VENV"
  "$PY" -m pip install -q -c "$CONSTRAINTS" -e . pytest nbval ipykernel
  "$PY" -m ipykernel install --prefix "$VENV" --name "$KERNEL" --display-name "Python 3 (Colab versions)" >/dev/null
  cp "$CONSTRAINTS" "$VENV/colab-constraints.txt"
else
  echo "colab_check: reusing $VENV"
fi
echo "colab_check: environment ready after $(( $(date +%s) - START )) s"

# Which versions does the notebook kernel really run? Ask the kernel itself.
quiet "$PY" - "$KERNEL" <<'EOF'
import sys
from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name=sys.argv[1])
try:
    code = ("import sys, ipywidgets, IPython, numpy, keras; print(f'kernel {sys.executable}: Python {sys.version.split()[0]}, ipywidgets '"
            "f'{ipywidgets.__version__}, IPython {IPython.__version__}, NumPy {numpy.__version__}, Keras {keras.__version__}'); "
            "import os; expected = os.environ['GAN_LIB_EXPECT_IPYWIDGETS']; "
            "assert not expected or ipywidgets.__version__ == expected, 'wrong ipywidgets in the kernel'")
    def show(msg):  # the kernel's stdout and any error; its stderr is TensorFlow's start-up chatter
        content = msg["content"]
        if msg["msg_type"] == "stream" and content.get("name") == "stdout":
            print(content["text"], end="")
        elif msg["msg_type"] == "error":
            print(f"{content['ename']}: {content['evalue']}")

    reply = kc.execute_interactive(code, timeout=120, output_hook=show)
    if reply["content"]["status"] != "ok":
        sys.exit("colab_check: the notebook kernel failed the version check (see above)")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
EOF

quiet "$PY" -m pytest -q -p no:cacheprovider tests/test_widgets.py tests/test_conditional_explorer.py tests/test_pretrained.py
quiet "$PY" -m pytest -q -p no:cacheprovider --nbval-lax --nbval-kernel-name "$KERNEL" notebooks/*.ipynb
echo "colab_check: passed in $(( $(date +%s) - START )) s"
