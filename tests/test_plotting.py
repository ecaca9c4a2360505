import imageio.v3 as iio
import numpy as np
import pytest

from gan_lib.plotting import image_grid, plot_losses, read_history_csv, save_gif, save_image_grid


def test_image_grid_layout():
    images = np.stack([np.full((28, 28), i, np.uint8) for i in range(1, 6)])
    grid = image_grid(images, nrows=2, pad=1)
    assert grid.shape == (2 * 29 - 1, 3 * 29 - 1) and grid.dtype == np.uint8
    assert grid[0, 0] == 1 and grid[0, 29] == 2 and grid[29, 0] == 4 and grid[29, 29] == 5
    assert grid[29, 58] == 0  # the sixth cell is empty
    assert grid[28, 0] == 0  # padding


def test_image_grid_accepts_model_range():
    images = np.array([-1.0, 1.0], np.float32).reshape(2, 1, 1, 1) * np.ones((2, 28, 28, 1), np.float32)
    grid = image_grid(images, nrows=1)
    assert grid[0, 0] == 0 and grid[0, 29] == 255


def test_image_grid_refuses_rgb():
    with pytest.raises(ValueError, match="must have shape"):
        image_grid(np.zeros((2, 28, 28, 3)))


def test_save_grid_and_gif(tmp_path):
    frames = []
    for epoch in (1, 2, 3):
        images = np.full((4, 28, 28), 60 * epoch, np.uint8)
        frames.append(save_image_grid(images, tmp_path / f"generated_plot_e{epoch:03d}.png", nrows=2))
    assert iio.imread(frames[0]).shape == (2 * (57), 2 * 57)  # 2x upscaled 57x57 grid
    gif = iio.imread(save_gif(frames, tmp_path / "progress.gif"), index=None)
    assert gif.shape[0] == 3 and gif.shape[1:3] == (57, 57)  # three frames, half size
    assert gif[0].max() < gif[2].max()
    with pytest.raises(ValueError, match="no frames"):
        save_gif([], tmp_path / "empty.gif")


def test_caption_strip_above_the_grid(tmp_path):
    images = np.zeros((4, 28, 28), np.uint8)
    plain = iio.imread(save_image_grid(images, tmp_path / "plain.png", nrows=2))
    captioned = iio.imread(save_image_grid(images, tmp_path / "captioned.png", nrows=2, caption="epoch 20"))
    assert captioned.shape == (plain.shape[0] + 14, plain.shape[1])
    strip = captioned[:14]
    assert strip.max() == 255 and (strip < 128).sum() > 20  # dark text on white
    assert np.array_equal(captioned[14:], plain)


def test_history_csv_and_loss_plot(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("epoch,d_loss,g_loss,d_acc_real,d_acc_fake,val_d_loss\n0,1.3,0.7,0.6,0.4,NA\n1,1.2,0.8,0.7,0.5,NA\n")
    history = read_history_csv(path)
    assert history == {"epoch": [0, 1], "d_loss": [1.3, 1.2], "g_loss": [0.7, 0.8], "d_acc_real": [0.6, 0.7], "d_acc_fake": [0.4, 0.5]}
    fig = plot_losses(history)
    assert [line.get_label() for line in fig.axes[0].lines] == ["d_loss", "g_loss"]
    assert len(fig.axes[1].lines) == 3  # two accuracies and the 0.5 guide
