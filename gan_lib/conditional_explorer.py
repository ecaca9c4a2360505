"""Exploring a conditional generator: pick a digit, then move style sliders with z fixed.

A conditional generator ``G(z, y)`` (:mod:`gan_lib.conditional`) splits what it draws
into *what* (the label y) and *how* (the noise z: slant, thickness, width ...). Hold z
and change y, and the style should carry over to the new digit; hold y and move z,
and only the style should change.

The sliders do not move raw coordinates of z, which a generator has no reason to align
with anything visible. They move z along **style directions**: GANSpace-style principal
directions (Härkönen et al. 2020; :func:`gan_lib.latent.principal_directions`) found on
generated images from which each class's mean image was subtracted, so the directions
describe variation *within* a class, shared by all ten digits.

The widget is built like lesson 04's explorers (:mod:`gan_lib.widgets`: ipywidgets 7.7.1 and
8.x, a static PNG of the first frame for viewers without widgets). Tests drive it headlessly
by setting ``.value`` and calling ``.click()``.

Introduced in 06_conditional_gan.
"""

from __future__ import annotations

import ipywidgets as widgets
import keras
import numpy as np

from gan_lib.generation import generate
from gan_lib.latent import move, principal_directions, random_latent_vectors
from gan_lib.widgets import _Explorer, png_bytes


def conditional_generate(generator: keras.Model, z: np.ndarray, labels: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Run a conditional generator in inference mode (BatchNorm uses its moving statistics).

    Args:
        generator: maps ``[z (B, latent_dim), y (B,) int]`` to ``(B, 28, 28, 1)`` float32 in [-1, 1]
            (:func:`gan_lib.conditional.build_conditional_generator`).
        z: ``(N, latent_dim)`` float32 latent vectors.
        labels: ``(N,)`` integer class labels.
        batch_size: images per forward pass (bounds memory for large N).

    Returns:
        ``(N, 28, 28, 1)`` float32 NumPy array in [-1, 1].

    Raises:
        ValueError: z is not ``(N, latent_dim)`` for this generator, or labels are not ``(N,)`` integers.
    """
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be ({len(z)},) integers, one per latent vector, got {labels.shape} {labels.dtype}")
    return generate(generator, z, batch_size, labels=labels)


def style_directions(generator: keras.Model, k: int = 4, n: int = 1000, num_classes: int = 10,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Latent directions that change a digit's style, the same for every class.

    Draws ``n`` latent vectors with labels cycling through the classes, subtracts each
    class's mean image from its images (so "which digit" is not a direction), and runs
    :func:`gan_lib.latent.principal_directions` on what is left.

    Args:
        generator: a conditional generator (see :func:`conditional_generate`).
        k: number of directions.
        n: samples used (a few hundred or more; about 1 s for 1,000 on a 2-core CPU).
        num_classes: labels cycle through ``0..num_classes-1``.
        seed: seed of the latent vectors.

    Returns:
        ``(directions, explained)``: ``(k, latent_dim)`` float32 unit vectors and ``(k,)`` float32
        shares of the within-class image variance, decreasing.

    Raises:
        ValueError: k < 1 or n <= k (from :func:`principal_directions`).
    """
    z = random_latent_vectors(n, generator.input_shape[0][-1], seed)
    labels = np.arange(n) % num_classes
    images = conditional_generate(generator, z, labels).reshape(n, -1)  # (n, 784)
    for label in range(num_classes):
        rows = labels == label
        images[rows] -= images[rows].mean(axis=0)  # remove the class: keep the style
    return principal_directions(z, images, k)


class ConditionalExplorer(_Explorer):
    """Widget: choose a digit, move style sliders with z fixed, draw a new style.

    A :class:`gan_lib.widgets` explorer (an ``ipywidgets.VBox``, 7.7.1 and 8.x): its display data
    also carries a PNG of the current frame, so a viewer without widgets (GitHub, a notebook run
    by nbconvert) shows the first frame; :func:`gan_lib.widgets.show` draws it outside a kernel.

    Args:
        generator: a conditional generator (see :func:`conditional_generate`).
        directions: ``(k, latent_dim)`` style directions; default :func:`style_directions`
            with ``k`` directions (computed once, about 1 s).
        k: number of sliders when ``directions`` is not given.
        num_classes: digits offered (0..num_classes-1).
        seed: seed of the first z (and of each "new style", which draws from the same
            seeded stream): the same seed gives the same frames.
        scale: display upscaling of the 28x28 image.
        span: each slider moves z by ``-span .. +span`` latent units along its direction
            (z itself has norm about sqrt(latent_dim) = 10).

    Attributes:
        digit: ``ToggleButtons`` with value 0..num_classes-1.
        sliders: one ``FloatSlider`` per direction.
        new_style: ``Button`` that draws a fresh z and resets the sliders.
        image: ``Image`` holding the current frame as PNG bytes, ``(28 * scale, 28 * scale)`` grayscale.
        status: ``Label`` saying what is shown.
        z: ``(latent_dim,)`` float32, the drawn z before the sliders move it.

    Raises:
        ValueError: ``directions`` not ``(k, latent_dim)`` for this generator.
    """

    def __init__(self, generator: keras.Model, directions: np.ndarray | None = None, k: int = 4,
                 num_classes: int = 10, seed: int = 0, scale: int = 6, span: float = 6.0):
        latent_dim = generator.input_shape[0][-1]
        if directions is None:
            directions, _ = style_directions(generator, k=k, num_classes=num_classes, seed=seed)
        directions = np.asarray(directions, np.float32)
        if directions.ndim != 2 or directions.shape[1] != latent_dim:
            raise ValueError(f"directions must be (k, {latent_dim}) for this generator, got {directions.shape}")
        self.directions = directions
        self._rng = np.random.default_rng(seed)
        self.z = self._rng.standard_normal(latent_dim).astype(np.float32)  # (latent_dim,) ~ N(0, I)
        self.digit = widgets.ToggleButtons(options=list(range(num_classes)), value=0, description="digit")
        self.digit.style.button_width = "2.5em"
        self.sliders = [widgets.FloatSlider(value=0.0, min=-span, max=span, step=0.5, description=f"style {j + 1}",
                                            continuous_update=False) for j in range(len(directions))]
        self.new_style = widgets.Button(description="new style (new z)")
        super().__init__(generator, [self.digit, self.new_style], scale)
        self.children = (self.children[0], widgets.HBox([widgets.VBox(self.sliders), self.image]), self.status)
        for control in (self.digit, *self.sliders):
            control.observe(self.redraw, names="value")
        self.new_style.on_click(self._new_style)
        self.redraw()

    def current_z(self) -> np.ndarray:
        """The latent vector shown: ``z`` moved by the slider amounts, ``(latent_dim,)`` float32."""
        return move(self.z, self.directions, np.asarray([slider.value for slider in self.sliders]))

    def current_image(self) -> np.ndarray:
        """The frame shown: ``(28, 28, 1)`` float32 in [-1, 1] (inference mode, ``predict_on_batch``)."""
        label = np.array([self.digit.value], np.int32)
        return np.asarray(self.generator.predict_on_batch([self.current_z()[None], label]))[0]

    def _new_style(self, _button=None) -> None:
        self.z = self._rng.standard_normal(self.latent_dim).astype(np.float32)
        self._zero_sliders(self.sliders)  # back to the new z itself

    def redraw(self, change=None) -> None:
        amounts = np.array([slider.value for slider in self.sliders])
        self.image.value = png_bytes(self.current_image()[None], scale=self.scale)
        self.status.value = (f"digit {self.digit.value}; z moved {np.linalg.norm(amounts):.1f} latent units "
                             f"along the style directions (|z| = {np.linalg.norm(self.z):.1f})")
