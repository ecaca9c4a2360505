"""One line that says where a result came from: hardware and library versions.

Lessons print it under their stored outputs, so a reader knows what "took 4 min" means.
"""

from __future__ import annotations

import os
import platform


def hardware_summary() -> str:
    """e.g. ``"Linux x86_64, 2 CPU cores, no GPU; Python 3.11.7, TensorFlow 2.21.0, Keras 3.15.1"``."""
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    gpu = f"{len(gpus)} GPU" if gpus else "no GPU"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{platform.system()} {platform.machine()}, {cores} CPU cores, {gpu}; "
            f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}")
