"""Interactive latent-space explorers (ipywidgets): sampler, latent sliders, interpolation, nearest neighbours.

Each explorer is an ``ipywidgets.VBox`` with an ``image`` (``widgets.Image`` holding PNG bytes) and
its controls as attributes, so a test or a script drives it exactly as a learner does: set a
control's ``.value`` or call ``.click()``, and ``image.value`` holds the new PNG. Every event redraws
by calling the generator once (``predict_on_batch``: Keras compiles the predict function on the
first call and reuses it) and encoding one PNG with imageio; no figure is ever rebuilt.
``benchmarks/widget_latency.py`` measures the time from a control change to new PNG bytes.

Works on ipywidgets 7.7.1 (Colab) and 8.x: only controls and traits common to both are used
(``Image.value`` bytes, ``Play.value``, ``link``, ``observe(names="value")``).

Where no widget frontend exists:
* A notebook viewer without widgets (GitHub, nbviewer, a notebook executed by ``nbconvert``) shows
  a PNG of the explorer's first frame: the display data of every explorer carries ``image/png``
  next to the widget view, and a live frontend (Jupyter, Colab) renders only the widget.
* Outside a Jupyter kernel (a terminal, plain Python) widgets cannot be shown at all, so
  :func:`show` draws the current frame as a static matplotlib figure instead. We check for a kernel
  (``get_ipython().kernel``) rather than for a frontend, because a kernel cannot tell whether a
  frontend with widget support is attached; the PNG in the display data covers that case.

Introduced in 04_latent_space.
"""

from __future__ import annotations

import imageio.v3 as iio
import ipywidgets as widgets
import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gan_lib.data import to_uint8
from gan_lib.generation import is_conditional
from gan_lib.latent import interpolate, move, principal_directions, random_latent_vectors
from gan_lib.plotting import image_grid


def generate_uint8(generator: keras.Model, z: np.ndarray) -> np.ndarray:
    """``(N, latent_dim)`` float32 z -> ``(N, 28, 28)`` uint8 images in [0, 255], in inference mode.

    Uses ``predict_on_batch``: compiled once per model, without ``predict()``'s per-call set-up.
    """
    images = generator.predict_on_batch(np.asarray(z, np.float32))  # (N, 28, 28, 1) float32 in [-1, 1]
    return to_uint8(images)[..., 0]  # (N, 28, 28) uint8


def png_bytes(images: np.ndarray, nrows: int | None = None, scale: int = 3) -> bytes:
    """Tile images (:func:`gan_lib.plotting.image_grid`), upscale ``scale`` times (nearest), encode PNG.

    Args:
        images: ``(N, H, W[, 1])`` uint8 in [0, 255] or float in [-1, 1].
        nrows: rows of the grid (default square-ish).
        scale: integer upscaling, so 28-pixel digits are visible.

    Returns:
        PNG file bytes of a grayscale image ``scale`` times the grid's size; the 1-pixel gaps
        between tiles are dark gray, so black backgrounds stay apart.
    """
    grid = image_grid(images, nrows)  # (rows * 29 - 1, cols * 29 - 1) uint8 for 28x28 tiles
    height, width = np.shape(images)[1:3]
    grid[height :: height + 1, :] = 80  # the gaps between tiles
    grid[:, width :: width + 1] = 80
    grid = np.kron(grid, np.ones((scale, scale), np.uint8))  # nearest-neighbour upscale
    return iio.imwrite("<bytes>", grid, extension=".png")


class FrameBox(widgets.VBox):
    """A VBox whose display data also carries a PNG of its current frame, ``self.image.value``.

    A viewer without widgets (GitHub, nbviewer, a stored notebook) then shows the frame instead
    of the widget's text repr. Subclasses set ``self.image`` (a ``widgets.Image`` of PNG bytes).
    """

    # ipywidgets 7 displays widgets through _ipython_display_, which IPython prefers to
    # _repr_mimebundle_; None makes IPython skip it, so 7 and 8 both go through the method below.
    _ipython_display_ = None

    def _repr_mimebundle_(self, **kwargs) -> dict:
        parent = getattr(super(), "_repr_mimebundle_", None)
        if parent is not None:  # ipywidgets 8
            bundle = dict(parent(**kwargs) or {})
        else:  # ipywidgets 7: the data its Widget._ipython_display_ would publish
            bundle = {"text/plain": f"{type(self).__name__} widget",
                      "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                                   "model_id": self.model_id}}
            self._handle_displayed()  # its display callbacks take no include/exclude arguments
        bundle["image/png"] = bytes(self.image.value)  # the static frame for viewers without widgets
        return bundle


class _Explorer(FrameBox):
    """An explorer of a generator: controls, one image, a status line (see the module docstring)."""

    def __init__(self, generator: keras.Model, controls: list[widgets.Widget], scale: int):
        self.generator = generator
        self.latent_dim = generator.input_shape[0][-1] if is_conditional(generator) else generator.input_shape[-1]
        self.scale = scale
        self.image = widgets.Image(format="png")
        self.status = widgets.Label()
        super().__init__([widgets.HBox(controls), self.image, self.status])

    def _zero_sliders(self, sliders: list[widgets.FloatSlider]) -> None:
        """Set ``sliders`` back to 0 with one redraw at the end, not one per slider."""
        for slider in sliders:
            slider.unobserve(self.redraw, names="value")
            slider.value = 0.0
            slider.observe(self.redraw, names="value")
        self.redraw()

    def figure(self) -> Figure:
        """The current frame as a matplotlib figure (for terminals and scripts)."""
        frame = iio.imread(bytes(self.image.value))
        height, width = frame.shape[:2]
        fig, ax = plt.subplots(figsize=(min(10.0, width / 72), min(10.0, width / 72) * height / width))
        ax.imshow(frame, cmap="gray", vmin=0, vmax=255)
        ax.set_axis_off()
        ax.set_title(self.status.value or type(self).__name__, fontsize=9)
        return fig


def show(explorer: _Explorer):
    """Display ``explorer`` as a live widget in a Jupyter kernel, else as a static figure.

    Returns:
        None in a kernel (the widget was displayed); otherwise the matplotlib figure of the
        current frame (also shown with ``plt.show()`` where a GUI backend exists).
    """
    from IPython import get_ipython
    from IPython.display import display

    if getattr(get_ipython(), "kernel", None) is not None:
        display(explorer)
        return None
    fig = explorer.figure()
    plt.show(block=False)
    return fig


class Sampler(_Explorer):
    """1. A grid of generated digits, with a "new samples" button, a seed box and a grid-size slider.

    Attributes:
        seed: ``IntText``; the grid is ``random_latent_vectors(n * n, latent_dim, seed)``.
        grid_size: ``IntSlider`` (1..10), digits per row and column.
        new_samples: ``Button``; adds 1 to the seed.
        z: ``(n * n, latent_dim)`` float32, the latent vectors on show, in reading order (hand them
            to :class:`Interpolation` or :class:`LatentSliders` to pick digits from the grid).
    """

    def __init__(self, generator: keras.Model, seed: int = 0, grid_size: int = 6, scale: int = 3):
        self.seed = widgets.IntText(value=seed, description="seed", layout=widgets.Layout(width="160px"))
        self.grid_size = widgets.IntSlider(value=grid_size, min=1, max=10, description="grid")
        self.new_samples = widgets.Button(description="new samples")
        super().__init__(generator, [self.new_samples, self.seed, self.grid_size], scale)
        self.new_samples.on_click(lambda _: setattr(self.seed, "value", self.seed.value + 1))
        self.seed.observe(self.redraw, names="value")
        self.grid_size.observe(self.redraw, names="value")
        self.redraw()

    def redraw(self, change=None) -> None:
        n = self.grid_size.value
        self.z = random_latent_vectors(n * n, self.latent_dim, self.seed.value)
        self.image.value = png_bytes(generate_uint8(self.generator, self.z), nrows=n, scale=self.scale)
        self.status.value = f"{n * n} samples from seed {self.seed.value}; grid index i is row i // {n}, column i % {n}"


class LatentSliders(_Explorer):
    """2. One digit, moved along the latent directions that change its image most.

    The directions are GANSpace-style principal directions (:func:`gan_lib.latent.principal_directions`):
    PCA of ``n_fit`` generated images, regressed back into latent space. We prefer them to the first
    k coordinates of z because a generator has no reason to put its important factors on the axes:
    moving one coordinate of a 100-dimensional z changes a digit a little and in no particular way,
    while principal direction 1 is, by construction, the one along which generated digits vary most.
    ``directions="coordinates"`` gives the axes instead, for comparison.

    Attributes:
        seed: ``IntText``; the digit is ``random_latent_vectors(1, latent_dim, seed)`` (or ``z``).
        sliders: one ``FloatSlider`` per direction, in latent units (z itself has norm ~10 for latent_dim 100).
        reset: ``Button``; all sliders back to 0.
        directions: ``(k, latent_dim)`` float32 unit vectors; ``explained``: each PC's share of image variance.

    Raises:
        ValueError: ``directions`` is not "principal" or "coordinates".
    """

    def __init__(self, generator: keras.Model, z: np.ndarray | None = None, seed: int = 0, k: int = 5,
                 directions: str = "principal", n_fit: int = 2000, span: float = 4.0, scale: int = 8):
        latent_dim = generator.input_shape[-1]
        if directions == "principal":
            z_fit = random_latent_vectors(n_fit, latent_dim, seed=12345)  # a fixed sample: the same directions every time
            self.directions, self.explained = principal_directions(z_fit, generate_uint8(generator, z_fit), k)
            names = [f"PC {j + 1}" for j in range(k)]
        elif directions == "coordinates":
            self.directions, self.explained = np.eye(k, latent_dim, dtype=np.float32), np.full(k, np.nan, np.float32)
            names = [f"z[{j}]" for j in range(k)]
        else:
            raise ValueError(f"directions must be 'principal' or 'coordinates', got {directions!r}")
        self.z_fixed = None if z is None else np.asarray(z, np.float32).reshape(latent_dim)
        self.seed = widgets.IntText(value=seed, description="seed", layout=widgets.Layout(width="160px"),
                                    disabled=z is not None)
        self.sliders = [widgets.FloatSlider(value=0.0, min=-span, max=span, step=0.1, description=name,
                                            continuous_update=True) for name in names]
        self.reset = widgets.Button(description="reset")
        super().__init__(generator, [self.seed, self.reset], scale)
        self.children = (self.children[0], widgets.HBox([widgets.VBox(self.sliders), self.image]), self.status)
        self.reset.on_click(self._reset)
        for control in (self.seed, *self.sliders):
            control.observe(self.redraw, names="value")
        self.redraw()

    @property
    def z(self) -> np.ndarray:
        """``(latent_dim,)`` float32: the digit before moving."""
        if self.z_fixed is not None:
            return self.z_fixed
        return random_latent_vectors(1, self.latent_dim, self.seed.value)[0]

    def _reset(self, _button=None) -> None:
        self._zero_sliders(self.sliders)

    def redraw(self, change=None) -> None:
        amounts = np.array([slider.value for slider in self.sliders])
        z_moved = move(self.z, self.directions, amounts)  # (latent_dim,)
        self.image.value = png_bytes(generate_uint8(self.generator, z_moved[None]), scale=self.scale)
        self.status.value = f"moved {np.linalg.norm(amounts):.1f} latent units from the start (|z| = {np.linalg.norm(self.z):.1f})"


class Interpolation(_Explorer):
    """3. Walk from one latent vector to another: a step slider, a play control, slerp or lerp.

    The end points are picked from ``candidates`` by index (pass ``Sampler.z`` to pick digits from a
    sampler's grid; by default 16 random vectors), or drawn at random with the "random end points"
    button. The frame shows start | current | end, and the status line the norm of the current z:
    with lerp it sags in the middle, which is why slerp suits Gaussian latents (see
    :func:`gan_lib.latent.slerp`).

    Attributes:
        start, end: ``BoundedIntText`` indices into ``candidates``.
        random_ends: ``Button``; two new random end points (seeded, so reproducible).
        method: ``ToggleButtons`` "slerp" / "lerp".
        step: ``IntSlider`` 0..steps-1; ``play``: ``Play`` linked to it (Python-side ``link``).
        path: ``(steps, latent_dim)`` float32, the current path.

    Raises:
        ValueError: ``start`` or ``end`` is not an index into ``candidates``, or steps < 2.
    """

    def __init__(self, generator: keras.Model, candidates: np.ndarray | None = None, start: int = 0, end: int = 1,
                 seed: int = 0, steps: int = 16, method: str = "slerp", scale: int = 5):
        latent_dim = generator.input_shape[-1]
        self.candidates = (random_latent_vectors(16, latent_dim, seed) if candidates is None
                           else np.asarray(candidates, np.float32).reshape(-1, latent_dim))
        last = len(self.candidates) - 1
        if not (0 <= start <= last and 0 <= end <= last):
            raise ValueError(f"start and end must be indices into the {last + 1} candidates, got {start} and {end}")
        if steps < 2:
            raise ValueError(f"steps must be at least 2 (the two end points), got {steps}")
        self._rng = np.random.default_rng(seed)
        self.start = widgets.BoundedIntText(value=start, min=0, max=last, description="from #",
                                            layout=widgets.Layout(width="150px"))
        self.end = widgets.BoundedIntText(value=end, min=0, max=last, description="to #",
                                          layout=widgets.Layout(width="150px"))
        self.random_ends = widgets.Button(description="random end points")
        self.method = widgets.ToggleButtons(options=["slerp", "lerp"], value=method)
        self.step = widgets.IntSlider(value=0, min=0, max=steps - 1, description="step")
        self.play = widgets.Play(value=0, min=0, max=steps - 1, interval=150)
        widgets.link((self.play, "value"), (self.step, "value"))
        super().__init__(generator, [self.start, self.end, self.random_ends], scale)
        self.children = (self.children[0], widgets.HBox([self.method, self.play, self.step]), self.image, self.status)
        self.steps = steps
        self.z0, self.z1 = self.candidates[start], self.candidates[end]
        self.start.observe(self._pick, names="value")
        self.end.observe(self._pick, names="value")
        self.random_ends.on_click(self._random)
        self.method.observe(self.redraw, names="value")
        self.step.observe(self.redraw, names="value")
        self.redraw()

    def _pick(self, change=None) -> None:
        self.z0, self.z1 = self.candidates[self.start.value], self.candidates[self.end.value]
        self.redraw()

    def _random(self, _button=None) -> None:
        self.z0, self.z1 = self._rng.standard_normal((2, self.latent_dim)).astype(np.float32)
        self.redraw()

    def redraw(self, change=None) -> None:
        self.path = interpolate(self.z0, self.z1, self.steps, self.method.value)  # (steps, latent_dim)
        z_now = self.path[self.step.value]
        images = generate_uint8(self.generator, np.stack([self.z0, z_now, self.z1]))  # (3, 28, 28)
        self.image.value = png_bytes(images, nrows=1, scale=self.scale)
        norms = np.linalg.norm(self.path, axis=1)
        self.status.value = (f"start | step {self.step.value}/{self.steps - 1} ({self.method.value}) | end;   "
                             f"|z| now {norms[self.step.value]:.1f}, ends {norms[0]:.1f} and {norms[-1]:.1f}")


class NearestNeighbours(_Explorer):
    """4. A generated digit next to its k nearest real training images: memorized or invented?

    Distances come from :func:`gan_lib.metrics.nearest_neighbours` (Euclidean, pixels in [0, 1]).
    A copy of a training image would sit at distance ~0; compare with the distances between real
    test and training digits (lesson 04 prints them).

    Attributes:
        seed: ``IntText``; the digit is ``random_latent_vectors(1, latent_dim, seed)``.
        new_digit: ``Button``; adds 1 to the seed.
        distances, indices: ``(k,)`` of the current neighbours (indices into ``train_images``).

    Args:
        train_images: ``(M, 28, 28[, 1])`` uint8 in [0, 255] or float in [-1, 1], e.g. ``load_mnist()``'s x_train.

    Raises:
        ValueError: bad training images, or k not in 1..M (from :func:`gan_lib.metrics.nearest_neighbours`).
    """

    def __init__(self, generator: keras.Model, train_images: np.ndarray, seed: int = 0, k: int = 5, scale: int = 4):
        train_images = np.asarray(train_images)
        self.train_images = train_images if train_images.dtype == np.uint8 else to_uint8(train_images)
        self.k = k
        self.seed = widgets.IntText(value=seed, description="seed", layout=widgets.Layout(width="160px"))
        self.new_digit = widgets.Button(description="new digit")
        super().__init__(generator, [self.new_digit, self.seed], scale)
        self.new_digit.on_click(lambda _: setattr(self.seed, "value", self.seed.value + 1))
        self.seed.observe(self.redraw, names="value")
        self.redraw()

    def redraw(self, change=None) -> None:
        from gan_lib.metrics import nearest_neighbours

        fake = generate_uint8(self.generator, random_latent_vectors(1, self.latent_dim, self.seed.value))  # (1, 28, 28)
        distances, indices = nearest_neighbours(fake, self.train_images, k=self.k)  # (1, k) each
        self.distances, self.indices = distances[0], indices[0]
        train = self.train_images[self.indices].reshape(self.k, 28, 28)
        self.image.value = png_bytes(np.concatenate([fake, train]), nrows=1, scale=self.scale)
        self.status.value = ("generated | nearest training images, distances "
                             + ", ".join(f"{d:.1f}" for d in self.distances))
