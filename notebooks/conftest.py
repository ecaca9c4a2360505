"""nbval runs every lesson in fast mode: fewer images and epochs, the same architectures.

Kernels inherit this process's environment, so setting the flag here reaches them.
"""

import os

os.environ["GAN_LIB_FAST"] = "1"
