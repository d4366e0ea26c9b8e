"""Docker tests share the project's recipe images (built once, content-addressed)."""

from __future__ import annotations

import pytest

from abcbench.images.manager import ImageManager


@pytest.fixture(scope="session")
def images() -> ImageManager:
    return ImageManager()


@pytest.fixture(scope="session")
def tester_image(images: ImageManager) -> str:
    return images.ensure("tester")
