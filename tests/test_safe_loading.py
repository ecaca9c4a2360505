"""Files that carry code are refused: a .keras model with a Lambda layer, an .npz with a pickled object array."""

import keras
import numpy as np
import pytest

from gan_lib.cli import main
from gan_lib.modelio import load_generator, load_model
from gan_lib.samples import load_samples


@pytest.fixture
def lambda_generator(tmp_path):
    """A generator-shaped model whose Lambda layer would run arbitrary Python on load (pickled bytecode)."""
    z = keras.Input((16,))
    x = keras.layers.Dense(28 * 28)(z)
    x = keras.layers.Lambda(lambda t: keras.ops.tanh(t), output_shape=(28 * 28,))(x)  # the payload: a marshalled Python function
    images = keras.layers.Reshape((28, 28, 1))(x)
    path = tmp_path / "lambda_generator.keras"
    keras.Model(z, images).save(path)
    return path


def test_the_lambda_file_would_load_without_safe_mode(lambda_generator):
    # The fixture really holds code: Keras loads it only when safe_mode is switched off.
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(lambda_generator, compile=False, safe_mode=True)
    model = keras.models.load_model(lambda_generator, compile=False, safe_mode=False)
    assert model.output_shape == (None, 28, 28, 1)


def test_load_model_refuses_a_lambda_layer(lambda_generator):
    with pytest.raises(ValueError, match=r"lambda_generator\.keras is not a loadable Keras generator \(.*safe_mode"):
        load_generator(lambda_generator)
    with pytest.raises(ValueError, match="is not a loadable Keras model"):
        load_model(lambda_generator)


def test_sample_cli_refuses_a_lambda_layer_in_one_line(lambda_generator, tmp_path, capsys):
    out = tmp_path / "s.npz"
    code = main(["sample", str(lambda_generator), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "safe_mode" in err and "Traceback" not in err, err
    assert not out.exists()


def test_sample_file_with_a_pickled_object_array_is_refused(tmp_path):
    path = tmp_path / "pickled.npz"
    # np.save pickles object arrays; allow_pickle=True on load would run the payload's __reduce__.
    np.savez(path, images=np.array([{"payload": "__import__('os').system('echo pwned')"}], dtype=object))
    with pytest.raises(ValueError, match=r"holds Python objects \(pickle\), which are refused"):
        load_samples(path)


def test_the_package_never_loads_pickles_or_unsafe_models():
    """Source scan: every np.load passes allow_pickle=False; every Keras load_model passes safe_mode=True."""
    import ast
    from pathlib import Path

    import gan_lib

    calls = []
    for path in Path(gan_lib.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                keywords = {k.arg: getattr(k.value, "value", None) for k in node.keywords}
                if node.func.attr == "load" and getattr(node.func.value, "id", "") in ("np", "numpy"):
                    calls.append((path.name, "np.load", keywords.get("allow_pickle") is False))
                if node.func.attr == "load_model" and "keras" in ast.unparse(node.func.value):
                    calls.append((path.name, "load_model", keywords.get("safe_mode") is True))
    assert ("modelio.py", "load_model", True) in calls
    assert [c for c in calls if not c[2]] == []
