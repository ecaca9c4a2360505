"""Errors of the package that callers may want to catch by type. Imports nothing heavy."""


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; training stopped before anything was saved from that epoch."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``train()``; the message says which checkpoint ``--resume`` continues from."""


class DataUnavailable(OSError):
    """A data set could not be downloaded (no network, a proxy, a server error).

    An ``OSError``, so the command line reports it in one line with exit code 2. The
    message names the failed download, its cause and the offline fix (``--data-dir`` /
    ``GAN_LIB_DATA_DIR`` pointing at a folder of IDX files).
    """
