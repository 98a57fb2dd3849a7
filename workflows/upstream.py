"""The Viewflow code that workflows.engine and workflows.nodes copy or override, with the SHA-256 of
its source in the version the copies were made from (django-viewflow 2.4.0). A test compares them
with the installed Viewflow (tests/workflows/test_upstream.py): when an upgrade changes one, read
the new upstream code, carry the change into our copy, and only then record the new digest here."""

import hashlib
import importlib
import inspect

VERSION = "2.4.0"
COPIED = {  # upstream → (our copy or override, SHA-256 of the upstream source)
    "viewflow.workflow.nodes.view:ViewActivation.create": (
        "workflows.nodes:ViewActivation.create",
        "1acf0ecc2f1d6629c7120023e224a754807c7b90937a21c7159574586c7cc341",
    ),
    "viewflow.workflow.nodes.view:View.can_assign": (
        "workflows.nodes:View.can_assign",
        "de7bb586f6085cf9dce52ed664c330a5b35959683c2460ad4019b47c28ccc1cb",
    ),
    "viewflow.workflow.nodes.view:View.can_execute": (
        "workflows.nodes:View.can_execute",
        "0469d181ee2705aa5d65bab358bf4279a122f30a7e1984526c3bd97d8133da95",
    ),
    "viewflow.workflow.nodes.if_gate:IfActivation": (
        "workflows.nodes:InlineIfActivation",
        "774358b3ac555e3525a615941ccba91e97ab345b1ae9069357f26f08b6d011ae",
    ),
    "viewflow.workflow.nodes.switch:SwitchActivation": (
        "workflows.nodes:InlineSwitchActivation",
        "7a0cd445bc01f4d7f9b129a3f59daf578e27461c0551d66ae4209181a11c163c",
    ),
    "viewflow.workflow.models:Task.activation": (
        "workflows.engine:activation",
        "5e5594c2f7eeecdae4a989145d302035b74a1c5d52ffffd94d5bd3b33a66c8d5",
    ),
    "viewflow.workflow.flow.utils:wrap_view": (
        "workflows.engine:wrap_view",
        "9c5296cc0bae4cff7222ec1c9bc495dc5ab0e9056ed71b7c2d38d88d27bab7d0",
    ),
    "viewflow.workflow.lock:SelectForUpdateLock": (
        "workflows.engine:ProcessLock",
        "bb2003d651abe84e91ca34da2c0d47f823c9b55fb3a92bd78958b43c2ea1ba20",
    ),
}


def resolve(name: str):
    module, _sep, path = name.partition(":")
    found = importlib.import_module(module)
    for part in path.split("."):
        found = getattr(found, part)
    return found


def digest(name: str) -> str:
    return hashlib.sha256(inspect.getsource(resolve(name)).encode()).hexdigest()


def changed() -> list[str]:
    """The upstream pieces whose installed source is no longer the one our copies were made from."""
    return [name for name, (_ours, recorded) in COPIED.items() if digest(name) != recorded]
