import subprocess
import sys

import gan_lib


def test_every_exported_name_resolves():
    missing = [name for name in gan_lib.__all__ if getattr(gan_lib, name, None) is None]
    assert missing == []


def test_import_is_lazy():
    code = "import sys, gan_lib; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
