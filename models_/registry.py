"""The selling models the shop knows: the built-ins plus installed plug-ins.

Plug-ins register under the entry-point group `storefront.selling_models`
(name = model code, value = `package.module:Class`). The registry is a lookup:
exactly one model owns a line; there is no chain and no import-order magic.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from .agent_operated import AgentOperated
from .base import SellingModel
from .oem_dropship import OemDropship
from .self_produced import SelfProduced
from .wholesale_retail import WholesaleRetail

ENTRY_POINT_GROUP = "storefront.selling_models"
BUILT_INS: tuple[type, ...] = (WholesaleRetail, SelfProduced, AgentOperated, OemDropship)


class UnknownSellingModel(LookupError):
    def __init__(self, code: str, known: list[str]):
        super().__init__(f"Unknown selling model {code!r}; expected one of: {', '.join(known)}.")
        self.code = code


class RegistrationError(TypeError):
    """A plug-in that does not implement the selling-model interface."""


def _check(model: object, name: str) -> SellingModel:
    for attribute in ("code", "label", "settings"):
        if not hasattr(model, attribute):
            raise RegistrationError(f"selling model {name!r} has no {attribute!r}")
    if not isinstance(model, SellingModel):
        raise RegistrationError(
            f"selling model {name!r} lacks methods of the SellingModel interface"
        )
    if model.code != name:
        raise RegistrationError(
            f"selling model registered as {name!r} says its code is {model.code!r}"
        )
    for setting, spec in model.settings.items():
        if not (isinstance(spec, tuple) and len(spec) == 3 and spec[0] in (int, str)):
            raise RegistrationError(
                f"setting {setting!r} of {name!r} is not (int|str, required, help)"
            )
    return model


class Registry:
    def __init__(self, models: list[SellingModel]):
        self._models: dict[str, SellingModel] = {}
        for model in models:
            if model.code in self._models:
                raise RegistrationError(f"two selling models claim the code {model.code!r}")
            self._models[model.code] = _check(model, model.code)

    @classmethod
    def installed(cls) -> Registry:
        """Built-ins first, then every entry point of the group, instantiated once."""
        models: list[SellingModel] = [model() for model in BUILT_INS]
        for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if entry.name in {m.code for m in models}:
                continue  # a built-in also declared as an entry point by this package
            models.append(_check(entry.load()(), entry.name))
        return cls(models)

    def get(self, code: str) -> SellingModel:
        try:
            return self._models[code]
        except KeyError:
            raise UnknownSellingModel(code, self.codes()) from None

    def codes(self) -> list[str]:
        return list(self._models)

    def choices(self) -> list[tuple[str, str]]:
        return [(code, model.label) for code, model in self._models.items()]

    def __contains__(self, code: str) -> bool:
        return code in self._models
