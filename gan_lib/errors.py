"""Errors of the package that callers may want to catch by type. Imports nothing heavy."""


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; training stopped before anything was saved from that epoch."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``train()``; the message says which checkpoint ``--resume`` continues from."""
