"""`python -m gan_lib evaluate` and `train-classifier` end to end, and their refusals of bad input."""

import hashlib
import json

import numpy as np
import pytest

from gan_lib.cli import main
from gan_lib.data import load_mnist
from gan_lib.metrics import format_report
from gan_lib.samples import save_samples


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_real_digits_and_a_collapsed_set(tmp_path, capsys, mnist_dir):
    (x_train, _), _ = load_mnist(mnist_dir)
    picked = x_train[np.random.default_rng(0).choice(len(x_train), 300, replace=False)]  # real digits, all classes
    good, collapsed = tmp_path / "good.npz", tmp_path / "collapsed.npz"
    save_samples(good, picked)
    save_samples(collapsed, np.repeat(picked[:1], 300, axis=0))  # one image 300 times: total mode collapse

    code, out, err = run_cli(capsys, "evaluate", good, "--reference", mnist_dir, "--json")
    assert code == 0, err
    good_result = json.loads(out)
    assert good_result["n"] == 300 and good_result["generated"]["n"] == 300
    assert good_result["generated"]["classes"] == 10
    assert good_result["generated"]["nn_median"] == 0.0  # they are training images: memorized exactly

    code, out, err = run_cli(capsys, "evaluate", collapsed, "--reference", mnist_dir, "--json")
    assert code == 0, err
    bad_result = json.loads(out)
    assert bad_result["generated"]["classes"] == 1
    assert bad_result["generated"]["fid"] > 10 * good_result["generated"]["fid"]
    assert bad_result["generated"]["classifier_score"] < 1.1

    table = format_report(good_result)  # what evaluate prints without --json
    assert "N = 300 generated images" in table and "| FID" in table and "classifier score" in table


def test_evaluate_refuses_bad_input_with_one_line(tmp_path, capsys, mnist_dir):
    code, _, err = run_cli(capsys, "evaluate", tmp_path / "missing.npz", "--reference", mnist_dir)
    assert code == 2 and "missing.npz does not exist" in err and "Traceback" not in err

    not_npz = tmp_path / "notes.npz"
    not_npz.write_text("hello")
    code, _, err = run_cli(capsys, "evaluate", not_npz, "--reference", mnist_dir)
    assert code == 2 and "notes.npz is not a readable .npz sample file" in err

    floats = tmp_path / "floats.npz"
    np.savez(floats, images=np.zeros((4, 28, 28), np.float32))
    code, _, err = run_cli(capsys, "evaluate", floats, "--reference", mnist_dir)
    assert code == 2 and "uint8" in err

    one = tmp_path / "one.npz"
    save_samples(one, np.zeros((1, 28, 28), np.uint8))
    code, _, err = run_cli(capsys, "evaluate", one, "--reference", mnist_dir)
    assert code == 2 and "n must be between 2" in err

    code, _, err = run_cli(capsys, "evaluate", one, "--reference", tmp_path / "nowhere")
    assert code == 2 and "nowhere does not exist" in err
    assert len(err.strip().splitlines()) == 1


def test_evaluate_needs_a_sample_file(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: samples" in capsys.readouterr().err


def test_train_classifier_writes_model_and_record(tmp_path, capsys, idx_folder):
    out = tmp_path / "clf.keras"
    code, stdout, err = run_cli(capsys, "train-classifier", "--epochs", 1, "--data-dir", idx_folder, "--out", out)
    assert code == 0, err
    assert "test accuracy" in stdout
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert record["epochs"] == 1 and record["test_images"] == 64 and 0 <= record["test_accuracy"] <= 1
    assert "train-classifier --epochs 1" in record["command"]
    assert not list(tmp_path.glob(".*tmp*")), "temporary files left behind"

    # the new classifier plugs into evaluate
    samples = tmp_path / "s.npz"
    save_samples(samples, np.random.default_rng(0).integers(0, 256, (20, 28, 28), dtype=np.uint8))
    code, stdout, err = run_cli(capsys, "evaluate", samples, "--reference", idx_folder, "--classifier", out, "--json")
    assert code == 0, err
    assert json.loads(stdout)["n"] == 20

    code, stdout, err = run_cli(capsys, "train-classifier", "--data-dir", idx_folder, "--out", tmp_path / "clf.h5")
    assert code == 2 and "--out must end in .keras" in err
