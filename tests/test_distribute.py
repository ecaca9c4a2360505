"""tf.distribute end to end: --distribute mirrored on two logical CPUs, and real multi-worker
runs (two processes on localhost ports, configured by TF_CONFIG) that train, write one run
folder, agree on their weights, and resume after a worker is killed."""

import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gan_lib.distribute import DistributeError, is_chief, read_tf_config

ROOT = Path(__file__).resolve().parents[1]
SMALL_RUN = ["--model", "mlp", "--max-images", "512", "--batch-size", "32", "--save-every", "1"]
SHA = re.compile(r"generator weights sha256 ([0-9a-f]{64})")


def _env(tmp_path: Path, **extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TF_CONFIG", None)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the CLI then hides TensorFlow's start-up lines itself
    env.update(extra)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp_path / "tmp")  # where a non-chief worker's temporary folder goes
    return env


def _train(args: list[str], env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gan_lib", "train", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, stdin=subprocess.DEVNULL)


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _tf_configs(n: int) -> list[str]:
    workers = [f"localhost:{port}" for port in _free_ports(n)]
    return [json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": i}}) for i in range(n)]


def _start_workers(args: list[str], tmp_path: Path) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-m", "gan_lib", "train", "--distribute", "multi-worker", *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                             env=_env(tmp_path, TF_CONFIG=config))
            for config in _tf_configs(2)]


def _finish(workers: list[subprocess.Popen], timeout: int = 300) -> list[tuple[int, str, str]]:
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=timeout)
        results.append((worker.returncode, out, err))
    return results


def _history(run: Path) -> list[dict]:
    with open(run / "history.csv", newline="") as f:
        return list(csv.DictReader(f))


# --- TF_CONFIG, checked without TensorFlow --------------------------------------------------

GOOD = {"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}


@pytest.mark.parametrize("text, message", [
    (None, "needs the TF_CONFIG environment variable"),
    ("{cluster", "TF_CONFIG is not valid JSON"),
    ('{"task": {"type": "worker", "index": 0}}', 'needs "cluster" with a "worker" list'),
    ('{"cluster": {"worker": ["a"]}, "task": {"type": "worker", "index": 0}}', 'list of "host:port" strings'),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 1}}', '"task" must name a job'),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "ps", "index": 0}}', '"task" must name a job'),
])
def test_bad_tf_config_is_named(text, message):
    with pytest.raises(DistributeError, match=re.escape(message)):
        read_tf_config({} if text is None else {"TF_CONFIG": text})


def test_chief_is_the_chief_task_or_worker_0():
    assert read_tf_config({"TF_CONFIG": json.dumps(GOOD)})["task"]["index"] == 1
    assert not is_chief(GOOD)
    assert is_chief({**GOOD, "task": {"type": "worker", "index": 0}})
    with_chief = {"cluster": {"chief": ["c:1"], "worker": ["a:1"]}, "task": {"type": "worker", "index": 0}}
    assert not is_chief(with_chief) and is_chief({**with_chief, "task": {"type": "chief", "index": 0}})


# --- one process --------------------------------------------------------------------------

NOISE_SCRIPT = textwrap.dedent(
    """
    import numpy as np, tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from gan_lib.gan import GAN
    from gan_lib.models import build_models

    plain = GAN(*build_models("mlp", 4), seed=0)._noise(3).numpy()
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        gan = GAN(*build_models("mlp", 4), seed=0)
    a, b = [v.numpy() for v in tf.function(lambda: strategy.run(lambda: gan._noise(3)))().values]
    assert np.array_equal(a, plain), "replica 0 must draw what a run without a strategy draws"
    assert not np.allclose(a, b), "the two replicas drew the same noise"
    print("NOISE OK")
    """
)


def test_each_replica_draws_its_own_noise(tmp_path):
    result = subprocess.run([sys.executable, "-c", NOISE_SCRIPT], capture_output=True, text=True,
                            env=_env(tmp_path), timeout=300)
    assert result.returncode == 0 and "NOISE OK" in result.stdout, result.stderr[-2000:]


@pytest.mark.parametrize("args, message", [
    (["--distribute", "mirrored", "--batch-size", "33"], "must split evenly over the 2 replicas"),
    (["--distribute", "tpu"], "--distribute tpu: no TPU found"),
])
def test_bad_distribute_settings_get_one_line_and_exit_2(tmp_path, args, message):
    result = _train(["--model", "mlp", "--epochs", "1", "--out", str(tmp_path / "run"), *args], _env(tmp_path))
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert result.stderr.strip().splitlines() == errors and len(errors) == 1, result.stderr[-2000:]
    assert message in errors[0]
    assert not (tmp_path / "run").exists()


def test_multi_worker_refuses_a_malformed_tf_config_and_a_time_limit(tmp_path):
    bad = _train(["--distribute", "multi-worker", "--epochs", "1", "--out", str(tmp_path / "run")],
                 _env(tmp_path, TF_CONFIG='{"cluster": {"worker": "localhost:1"}}'))
    assert bad.returncode == 2 and 'needs "cluster" with a "worker" list' in bad.stderr, bad.stderr[-2000:]
    timed = _train(["--distribute", "multi-worker", "--time-limit", "1", "--out", str(tmp_path / "run")],
                   _env(tmp_path, TF_CONFIG=_tf_configs(2)[0]))
    assert timed.returncode == 2 and "give --epochs instead" in timed.stderr, timed.stderr[-2000:]


def test_mirrored_on_two_logical_cpus_trains_and_resumes(tmp_path):
    run = tmp_path / "run"
    first = _train([*SMALL_RUN, "--distribute", "mirrored", "--epochs", "1", "--out", str(run)], _env(tmp_path))
    assert first.returncode == 0, first.stderr[-2000:]
    summary = json.loads((run / "run.json").read_text())
    assert summary["distribute"] == {"strategy": "mirrored", "replicas": 2, "workers": 1}
    assert summary["steps_total"] == 16  # 512 images / global batch 32: the batch is global, not per replica
    second = _train([*SMALL_RUN, "--distribute", "mirrored", "--epochs", "2", "--resume", "--out", str(run)],
                    _env(tmp_path))
    assert second.returncode == 0, second.stderr[-2000:]
    assert [row["epoch"] for row in _history(run)] == ["0", "1"]
    assert json.loads((run / "run.json").read_text())["steps_total"] == 32


# --- two worker processes -------------------------------------------------------------------

def test_two_workers_train_one_run_folder_with_equal_weights(tmp_path):
    run = tmp_path / "run"
    results = _finish(_start_workers([*SMALL_RUN, "--epochs", "2", "--out", str(run)], tmp_path))
    for code, out, err in results:
        assert code == 0, err[-3000:]
    hashes = [SHA.search(out).group(1) for _, out, _ in results]
    assert hashes[0] == hashes[1], "the workers' generators differ after training"
    assert [f"worker {i} of 2 trained 2 epochs" in out for i, (_, out, _) in enumerate(results)] == [True, True]
    summary = json.loads((run / "run.json").read_text())
    assert summary["distribute"]["workers"] == 2 and summary["generator_sha256"] == hashes[0]
    assert summary["steps_total"] == 32
    assert sorted(p.name for p in run.glob("generator_model_*.keras")) == ["generator_model_001.keras",
                                                                           "generator_model_002.keras"]
    assert list((tmp_path / "tmp").iterdir()) == [], "worker 1 left its temporary folder behind"

    # The same global batch on one worker: the same data, only the noise of the second half of
    # each batch differs (each replica draws its own), so the losses agree to within 0.15.
    single = tmp_path / "single"
    alone = _train([*SMALL_RUN, "--epochs", "2", "--out", str(single)], _env(tmp_path))
    assert alone.returncode == 0, alone.stderr[-2000:]
    for multi_row, single_row in zip(_history(run), _history(single), strict=True):
        for key in ("d_loss", "g_loss"):
            assert abs(float(multi_row[key]) - float(single_row[key])) < 0.15, (key, multi_row, single_row)


@pytest.mark.slow
def test_killed_worker_then_resume_loses_nothing(tmp_path):
    """SIGKILL one worker mid-run, stop the other (it cannot go on alone), restart both with
    --resume: the run continues from the chief's last checkpoint and ends with the same
    weights as an uninterrupted two-worker run (same batches, same noise, same order)."""
    epochs = ["--epochs", "6"]
    run = tmp_path / "run"
    workers = _start_workers([*SMALL_RUN, *epochs, "--out", str(run)], tmp_path)
    deadline = time.monotonic() + 240
    while not list((run / "checkpoints").glob("ckpt-32.index")) and time.monotonic() < deadline:
        time.sleep(0.2)  # until the checkpoint of epoch 2 (32 steps) exists
    assert all(w.poll() is None for w in workers), "a worker ended before it could be killed"
    workers[1].send_signal(signal.SIGKILL)
    time.sleep(1)
    workers[0].send_signal(signal.SIGKILL)  # a collective without its peer would wait; restart the cluster
    _finish(workers)
    rows_before = len(_history(run))
    assert 2 <= rows_before < 6, rows_before

    resumed = _finish(_start_workers([*SMALL_RUN, *epochs, "--resume", "--out", str(run)], tmp_path))
    for code, out, err in resumed:
        assert code == 0, err[-3000:]
    assert [row["epoch"] for row in _history(run)] == [str(e) for e in range(6)], "epochs lost or repeated"
    hashes = {SHA.search(out).group(1) for _, out, _ in resumed}
    assert len(hashes) == 1

    straight = tmp_path / "straight"
    uninterrupted = _finish(_start_workers([*SMALL_RUN, *epochs, "--out", str(straight)], tmp_path))
    assert {SHA.search(out).group(1) for _, out, _ in uninterrupted} == hashes, "the resumed run differs"
