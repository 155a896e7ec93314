"""Model-assisted labeling: prompts, the GrabCut default, the SAM adapter, the checked runner.

An assist is any callable `assist(image, prompt) -> mask | [(mask, score), ...]`
taking the (H, W, 3) uint8 RGB image and a `Prompt`; see `docs/assist.md`.
"""

from .grabcut import GrabCut, grabcut
from .prompt import Prompt
from .regions import label_regions
from .runner import Assist, AssistError, AssistResult, check_answer, run_assist
from .sam import Sam, sam
from .scripting import accept_mask, add_instance_from_prompt, add_to_instance
from .wire import decode_candidate, decode_result, encode_candidate, encode_result

__all__ = [
    "Assist",
    "AssistError",
    "AssistResult",
    "GrabCut",
    "Prompt",
    "Sam",
    "accept_mask",
    "add_instance_from_prompt",
    "add_to_instance",
    "check_answer",
    "decode_candidate",
    "decode_result",
    "encode_candidate",
    "encode_result",
    "grabcut",
    "label_regions",
    "run_assist",
    "sam",
]
