"""Training on more hardware with TensorFlow's own engine, ``tf.distribute``.

``train(config)`` and ``python -m gan_lib train --distribute NAME`` pick a strategy here:

* ``none``: the default strategy, one device (what every lesson uses);
* ``mirrored``: ``tf.distribute.MirroredStrategy`` over the local GPUs. On a machine without
  a GPU it splits the CPU into two logical devices, which checks the code path (replicas,
  all-reduce) but is not faster;
* ``multi-worker``: ``tf.distribute.MultiWorkerMirroredStrategy``, configured by the standard
  ``TF_CONFIG`` environment variable (one process per machine, the same command on each);
* ``tpu``: ``tf.distribute.TPUStrategy`` through ``TPUClusterResolver`` (a Colab TPU runtime).

``--batch-size`` stays the **global** batch: each of R replicas trains on batch/R images per
step, and the losses are averaged over the global batch (``tf.nn.compute_average_loss`` in
:class:`gan_lib.gan.GAN`), so learning rates and label smoothing need no change.

Sources: the TensorFlow guides "Distributed training with TensorFlow" and "Multi-worker
training with Keras" (https://www.tensorflow.org/guide/distributed_training,
https://www.tensorflow.org/tutorials/distribute/multi_worker_with_keras), whose rule this
module follows for files: every worker runs every callback (saving can need collective
ops), but only the chief writes into the run folder; the others write into a temporary
folder that is removed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

import keras
import tensorflow as tf

STRATEGIES = ("none", "mirrored", "multi-worker", "tpu")


class DistributeError(ValueError):
    """A ``--distribute`` setting that cannot work here; the message is one line naming the fix."""


def read_tf_config(environ: Mapping[str, str] | None = None) -> dict:
    """The parsed and checked ``TF_CONFIG``: ``{"cluster": {...}, "task": {"type": ..., "index": ...}}``.

    Raises:
        DistributeError: ``TF_CONFIG`` is unset, not JSON, has no ``cluster`` with a
            ``worker`` (or ``chief``) list of ``host:port`` strings, or its ``task`` does
            not name one of those jobs with an index inside the list.
    """
    text = (os.environ if environ is None else environ).get("TF_CONFIG")
    example = ('TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
               '"task": {"type": "worker", "index": 0}}\'')
    if not text:
        raise DistributeError(f"--distribute multi-worker needs the TF_CONFIG environment variable, e.g. {example}")
    try:
        config = json.loads(text)
    except json.JSONDecodeError as err:
        raise DistributeError(f"TF_CONFIG is not valid JSON ({err.msg} at character {err.pos}); e.g. {example}") from None
    cluster = config.get("cluster") if isinstance(config, dict) else None
    if not isinstance(cluster, dict) or not any(isinstance(cluster.get(job), list) and cluster[job]
                                                 for job in ("worker", "chief")):
        raise DistributeError(f'TF_CONFIG needs "cluster" with a "worker" list of "host:port" addresses; e.g. {example}')
    for job, addresses in cluster.items():
        if not isinstance(addresses, list) or not all(isinstance(a, str) and ":" in a for a in addresses):
            raise DistributeError(f'TF_CONFIG cluster "{job}" must be a list of "host:port" strings, got {addresses!r}')
    task = config.get("task")
    if not isinstance(task, dict) or task.get("type") not in cluster or not isinstance(task.get("index"), int) \
            or not 0 <= task["index"] < len(cluster[task["type"]]):
        raise DistributeError(f'TF_CONFIG "task" must name a job of the cluster and an index in it, got {task!r}; '
                              f"e.g. {example}")
    return config


def is_chief(tf_config: Mapping) -> bool:
    """True for the task that writes the run folder: the ``chief``, or worker 0 when there is no chief."""
    task = tf_config["task"]
    if "chief" in tf_config["cluster"]:
        return task["type"] == "chief"
    return task["type"] == "worker" and task["index"] == 0


def make_strategy(name: str) -> tf.distribute.Strategy:
    """The ``tf.distribute`` strategy named by ``name`` (one of :data:`STRATEGIES`).

    Call it before any other TensorFlow work in the process: logical CPUs (``mirrored``
    without a GPU) and the collective ops of ``multi-worker`` must be set up first.

    Raises:
        DistributeError: an unknown name; ``multi-worker`` with a bad ``TF_CONFIG``
            (:func:`read_tf_config`); ``tpu`` where no TPU can be found.
    """
    if name == "none":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        if tf.config.list_physical_devices("GPU"):
            return tf.distribute.MirroredStrategy()
        cpu = tf.config.list_physical_devices("CPU")[0]
        try:
            tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        except RuntimeError:  # TensorFlow already initialized: use the devices it has
            pass
        return tf.distribute.MirroredStrategy([d.name for d in tf.config.list_logical_devices("CPU")[:2]])
    if name == "multi-worker":
        read_tf_config()
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        try:
            resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
            tf.config.experimental_connect_to_cluster(resolver)
            tf.tpu.experimental.initialize_tpu_system(resolver)
        except (ValueError, RuntimeError, tf.errors.OpError) as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise DistributeError(f"--distribute tpu: no TPU found ({first}); in Colab choose Runtime > Change "
                                  f"runtime type > TPU, elsewhere use --distribute mirrored or none") from None
        return tf.distribute.TPUStrategy(resolver)
    raise DistributeError(f"unknown --distribute {name!r}; choose one of {', '.join(STRATEGIES)}")


def worker_info(name: str) -> tuple[int, int, bool]:
    """``(worker index, number of workers, is chief)`` of this process under strategy ``name``.

    Read from ``TF_CONFIG`` alone (no TensorFlow call, so it can be checked before the strategy
    connects to its peers); ``(0, 1, True)`` for every strategy but ``multi-worker``.
    """
    if name != "multi-worker":
        return 0, 1, True
    config = read_tf_config()
    tasks = [(job, i) for job in ("chief", "worker") for i in range(len(config["cluster"].get(job, [])))]
    return tasks.index((config["task"]["type"], config["task"]["index"])), len(tasks), is_chief(config)


class ReplicaSeedGenerator(keras.random.SeedGenerator):
    """A ``keras.random.SeedGenerator`` whose draws differ between ``tf.distribute`` replicas.

    A plain ``SeedGenerator`` under ``MirroredStrategy`` hands every replica the same seed,
    so every replica draws the **same** noise z: with two replicas half of each global batch
    of fakes would repeat the other half. This one folds the replica's id into the seed
    (``tf.random.experimental.stateless_fold_in``). Replica 0, and any run without a
    strategy, draws exactly what a plain ``SeedGenerator`` draws, so results off
    ``tf.distribute`` are unchanged.
    """

    def next(self, ordered: bool = True):
        seed = super().next(ordered)
        context = tf.distribute.get_replica_context()
        replica = 0 if context is None else context.replica_id_in_sync_group
        if isinstance(replica, int) and replica == 0:
            return seed
        replica = tf.cast(replica, tf.int32)
        folded = tf.cast(tf.random.experimental.stateless_fold_in(tf.cast(seed, tf.int64), replica), seed.dtype)
        return tf.where(replica > 0, folded, seed)


def logs_for_fit(logs: dict[str, tf.Tensor]) -> dict[str, tf.Tensor]:
    """What a ``train_step`` returns: its scalar logs, as ``(1,)`` under ``MultiWorkerMirroredStrategy``.

    Keras 3's ``fit()`` averages a multi-worker run's logs with ``strategy.reduce("MEAN", v, axis=0)``,
    which rejects scalars ("Invalid reduction dimension 0 for input with 0 dimensions",
    tensorflow/tensorflow#72388); a one-element vector reduces to the same mean, as a scalar.
    """
    strategy = tf.distribute.get_strategy()
    # Keras does this reduction only with several workers (replicas beyond this worker's own devices).
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and \
            strategy.num_replicas_in_sync > len(strategy.extended.worker_devices):
        return {name: tf.reshape(value, [1]) for name, value in logs.items()}
    return logs
