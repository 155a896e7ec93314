"""`GroundTruthError`: every refusal of the Ground Truth round trip."""

from __future__ import annotations


class GroundTruthError(ValueError):
    """Input that Ground Truth would refuse or that we cannot read back.

    The message names where (line, key, file), what is wrong and the fix.
    """
