"""The selling models the shop knows: the built-ins plus installed plug-ins.

Plug-ins register under the entry-point group `storefront.selling_models`
(name = model code, value = `package.module:Class`). The registry is a lookup:
exactly one model owns a line; there is no chain and no import-order magic.
"""

from __future__ import annotations

import inspect
from importlib.metadata import EntryPoint, entry_points

from .agent_operated import AgentOperated
from .base import RELIST, RETURN_OUTCOMES, SellingModel
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
    """A plug-in that does not implement the selling-model interface, or claims a taken code."""


# The interface's methods and how many arguments the core passes each: a model written
# for another version of the interface is refused here, not at a buyer's checkout.
METHODS = {
    "operator": 1,
    "holding_supplier": 1,
    "check_settings": 2,
    "quote": 3,
    "reserve": 4,
    "start_fulfilment": 3,
    "cancel": 3,
    "route_return": 2,
}


def _check(model: object, name: str) -> SellingModel:
    for attribute in ("code", "label", "settings"):
        if not hasattr(model, attribute):
            raise RegistrationError(f"selling model {name!r} has no {attribute!r}")
    missing = [method for method in METHODS if not callable(getattr(model, method, None))]
    if missing:
        raise RegistrationError(
            f"selling model {name!r} lacks methods of the SellingModel interface: "
            + ", ".join(missing)
        )
    if not isinstance(model, SellingModel):  # SellingModelDefaults gives both declarations
        raise RegistrationError(
            f"selling model {name!r} has no 'surplus_model' or 'return_outcomes'"
        )
    unknown = [o for o in model.return_outcomes if o not in RETURN_OUTCOMES]
    if unknown:
        raise RegistrationError(
            f"selling model {name!r} declares unknown return outcomes {unknown}; "
            f"known: {', '.join(RETURN_OUTCOMES)}"
        )
    if RELIST in model.return_outcomes and model.surplus_model is None:
        raise RegistrationError(f"selling model {name!r} relists returns but has no surplus_model")
    for method, arguments in METHODS.items():
        try:
            inspect.signature(getattr(model, method)).bind(*[None] * arguments)
        except TypeError:
            raise RegistrationError(
                f"{method} of selling model {name!r} does not take {arguments} arguments"
            ) from None
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


def _refuse_built_in_claim(entry: EntryPoint, built_in: type) -> None:
    if entry.load() is not built_in:
        package = entry.dist.name if entry.dist is not None else "an installed package"
        raise RegistrationError(
            f"entry point {entry.name} = {entry.value} (group {ENTRY_POINT_GROUP}, from "
            f"{package}) claims the code {entry.name!r} of the built-in selling model "
            f"{built_in.__module__}.{built_in.__qualname__}; give the plug-in its own code"
        )


class Registry:
    def __init__(self, models: list[SellingModel]):
        self._models: dict[str, SellingModel] = {}
        for model in models:
            if model.code in self._models:
                raise RegistrationError(f"two selling models claim the code {model.code!r}")
            self._models[model.code] = _check(model, model.code)
        for model in self._models.values():
            if model.surplus_model is not None and model.surplus_model not in self._models:
                raise RegistrationError(
                    f"selling model {model.code!r} relists surplus under "
                    f"{model.surplus_model!r}, which is not registered"
                )

    @classmethod
    def installed(cls) -> Registry:
        """Built-ins first, then every entry point of the group, instantiated once.

        A plug-in that claims a built-in's code is refused: it would silently replace,
        or be silently ignored in favour of, the model the shop's orders were sold under.
        """
        models: list[SellingModel] = [model() for model in BUILT_INS]
        built_in = {model.code: type(model) for model in models}
        for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if entry.name in built_in:
                _refuse_built_in_claim(entry, built_in[entry.name])
                continue  # the built-in itself, declared again as an entry point
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
