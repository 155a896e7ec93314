"""Optional dependencies: imported when first needed, with an error naming the extra."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or raise ImportError: `purpose` needs it, and which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        raise ImportError(
            f"{purpose} needs {package}: pip install 'crowdseg-widget[{extra}]'"
        ) from None
