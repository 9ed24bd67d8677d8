"""The gateway's data layer; ``Base`` and ``metadata`` come with every model registered.

Models are imported on first access rather than at package import, so that
``python -m mcpgateway.db`` can report a broken model module as one line.
"""

from typing import Any

__all__ = ["Base", "metadata"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from mcpgateway.db.base import Base
    from mcpgateway.db.registry import load_models

    load_models()
    return Base if name == "Base" else Base.metadata
