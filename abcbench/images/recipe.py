"""Image recipes: one folder of `dockerfiles/` each, described by its `recipe.yaml`.

A recipe is either a root filesystem (`from: rootfs`, built by mmdebstrap and `docker import`)
or a Dockerfile on top of another recipe (`from: <recipe>`, passed as build arg BASE_IMAGE).
Its tag is a hash of its folder and of its parent's tag, so an unchanged recipe is never rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from abcbench.errors import UserError
from abcbench.hashing import hash_parts, hash_tree

IMAGE_NAMESPACE = "abcbench"
ALIAS_TAG = "latest"
RECIPE_FILE = "recipe.yaml"


class RootfsSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    suite: str = "trixie"
    variant: str = "minbase"
    packages: list[str] = Field(default_factory=list)
    changes: list[str] = Field(
        default_factory=list, description="Dockerfile instructions applied by `docker import`."
    )


class RecipeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    from_: str = Field(alias="from", description="'rootfs' or the name of the parent recipe.")
    rootfs: RootfsSpec | None = None
    languages: list[str] = Field(default_factory=list, description="Languages it serves.")


@dataclass(frozen=True)
class Recipe:
    name: str
    directory: Path
    spec: RecipeSpec
    parent: Recipe | None

    @cached_property
    def content_hash(self) -> str:
        parent = self.parent.content_hash if self.parent else "rootfs"
        return hash_parts(self.name, parent, hash_tree(self.directory))[:16]

    @property
    def repository(self) -> str:
        return f"{IMAGE_NAMESPACE}/{self.name}"

    @property
    def ref(self) -> str:
        """The content-addressed reference: what every consumer of the image should use."""
        return f"{self.repository}:{self.content_hash}"

    @property
    def alias(self) -> str:
        """The stable name task Dockerfiles write in FROM (`abcbench/python`)."""
        return f"{self.repository}:{ALIAS_TAG}"

    def chain(self) -> list[Recipe]:
        """This recipe and its ancestors, root first: the build order."""
        out: list[Recipe] = []
        node: Recipe | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return list(reversed(out))


class RecipeBook:
    """All recipes under a `dockerfiles/` folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        specs: dict[str, RecipeSpec] = {}
        if not root.is_dir():
            raise UserError(f"image recipes folder {root} does not exist (set ABCBENCH_HOME)")
        for folder in sorted(p for p in root.iterdir() if (p / RECIPE_FILE).is_file()):
            specs[folder.name] = _read_spec(folder / RECIPE_FILE)
        self._recipes: dict[str, Recipe] = {}
        for name in specs:
            self._resolve(name, specs, ())

    def _resolve(self, name: str, specs: dict[str, RecipeSpec], seen: tuple[str, ...]) -> Recipe:
        if name in self._recipes:
            return self._recipes[name]
        if name in seen:
            raise UserError(f"image recipes form a cycle: {' -> '.join((*seen, name))}")
        spec = specs[name]
        parent: Recipe | None = None
        if spec.from_ == "rootfs":
            if spec.rootfs is None:
                raise UserError(f"{self.root / name / RECIPE_FILE}: 'from: rootfs' needs 'rootfs:'")
        else:
            if spec.from_ not in specs:
                raise UserError(
                    f"{self.root / name / RECIPE_FILE}: field 'from': no recipe {spec.from_!r} in "
                    f"{self.root}"
                )
            if not (self.root / name / "Dockerfile").is_file():
                raise UserError(f"{self.root / name}: a recipe built on {spec.from_!r} needs a "
                                "Dockerfile")
            parent = self._resolve(spec.from_, specs, (*seen, name))
        recipe = Recipe(name=name, directory=self.root / name, spec=spec, parent=parent)
        self._recipes[name] = recipe
        return recipe

    def names(self) -> list[str]:
        return sorted(self._recipes)

    def get(self, name: str) -> Recipe:
        try:
            return self._recipes[name]
        except KeyError:
            raise UserError(
                f"no image recipe {name!r}; known: {', '.join(self.names())} (folders of "
                f"{self.root})"
            ) from None

    def find(self, name: str) -> Recipe | None:
        return self._recipes.get(name)


def _read_spec(path: Path) -> RecipeSpec:
    try:
        return RecipeSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise UserError(f"{path}: invalid image recipe: {exc}".splitlines()[0]) from None
