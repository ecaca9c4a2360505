#!/usr/bin/env bash
# The Colab-versions check: gan-lib's widget tests, the pretrained-generator test and lesson 04 (fast mode,
# under nbval) in a second environment pinned to the versions Colab ships (ci/colab-constraints.txt:
# TensorFlow, Keras, NumPy, ipywidgets 7.7.1, IPython 7.34).
#
#   ci/colab_check.sh            # creates .venv-colab the first time, reuses it after
#   COLAB_FRESH=1 ci/colab_check.sh  # rebuilds it from scratch
#
# The venv is rebuilt whenever ci/colab-constraints.txt changes (a copy is kept inside the venv).
# The notebook runs in its own Jupyter kernel, "gan-lib-colab", installed INTO the venv
# (`ipykernel install --prefix`), so it executes with the venv's Python and packages, not the main
# environment's; the script prints that kernel's ipywidgets version before running the notebook.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-colab
PY="$VENV/bin/python"
KERNEL=gan-lib-colab
START=$(date +%s)

if [ -d ../shared/data/mnist ] && [ -z "${GAN_LIB_DATA_DIR:-}" ]; then
  export GAN_LIB_DATA_DIR="$(cd ../shared/data && pwd)"  # the offline data folder (mnist/ inside), as in .ci/run
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export PYDEVD_DISABLE_FILE_VALIDATION=1  # quiets ipykernel 6's debugger warning about frozen modules
# tests/test_widgets.py fails unless it runs under exactly this ipywidgets version:
export GAN_LIB_EXPECT_IPYWIDGETS="$(sed -n 's/^ipywidgets==//p' ci/colab-constraints.txt)"

if [ -n "${COLAB_FRESH:-}" ] || [ ! -x "$PY" ] || ! cmp -s ci/colab-constraints.txt "$VENV/colab-constraints.txt"; then
  echo "colab_check: building $VENV from ci/colab-constraints.txt"
  rm -rf "$VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$PY" -m pip install -q -c ci/colab-constraints.txt -e . pytest nbval ipykernel
  "$PY" -m ipykernel install --prefix "$VENV" --name "$KERNEL" --display-name "Python 3 (Colab versions)" >/dev/null
  cp ci/colab-constraints.txt "$VENV/colab-constraints.txt"
else
  echo "colab_check: reusing $VENV"
fi
echo "colab_check: environment ready after $(( $(date +%s) - START )) s"

# Which versions does the notebook kernel really run? Ask the kernel itself.
"$PY" - "$KERNEL" <<'EOF'
import sys
from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name=sys.argv[1])
try:
    code = ("import sys, ipywidgets, IPython, numpy, keras; print(f'kernel {sys.executable}: ipywidgets '"
            "f'{ipywidgets.__version__}, IPython {IPython.__version__}, NumPy {numpy.__version__}, Keras {keras.__version__}'); "
            "import os; assert ipywidgets.__version__ == os.environ['GAN_LIB_EXPECT_IPYWIDGETS'], 'wrong ipywidgets in the kernel'")
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: print(msg["content"].get("text", ""), end=""))
    if reply["content"]["status"] != "ok":
        sys.exit("colab_check: the notebook kernel failed the version check (see above)")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
EOF

"$PY" -m pytest -q -p no:cacheprovider tests/test_widgets.py tests/test_conditional_explorer.py tests/test_pretrained.py
"$PY" -m pytest -q -p no:cacheprovider --nbval-lax --nbval-kernel-name "$KERNEL" notebooks/04_latent_space.ipynb
echo "colab_check: passed in $(( $(date +%s) - START )) s"
