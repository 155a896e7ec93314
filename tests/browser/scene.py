"""The image most browser tests paint on: small enough to show at 1:1.

Harness tests build it with `gradient_image()`; in a notebook kernel it is read
from GRADIENT_PNG, which the server fixtures write into their notebook folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

W, H = 200, 150
GRADIENT_PNG = "gradient.png"

#: A notebook cell showing the gradient scene with labels Cat and Dog as `w`.
GRADIENT_CELL = f"""\
import numpy as np
from PIL import Image
from crowdseg_widget import InstanceSegmentation

image = np.asarray(Image.open({GRADIENT_PNG!r}))
w = InstanceSegmentation(image, labels=["Cat", "Dog"], header="Paint the cat")
w"""


def gradient_image(width: int = W, height: int = H) -> np.ndarray:
    """(height, width, 3) uint8, different at every pixel's neighbours."""
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([x * 255 // width, y * 255 // height, (x + y) % 256], -1).astype(np.uint8)


def save_gradient(folder: Path) -> Path:
    """Write the W x H gradient to folder/GRADIENT_PNG (lossless) for notebook kernels."""
    path = folder / GRADIENT_PNG
    Image.fromarray(gradient_image()).save(path)
    return path
