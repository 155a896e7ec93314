"""The template rendered as Ground Truth renders it, for the tests (python-liquid)."""

from __future__ import annotations

import html
import json
import re

from liquid import Environment


def liquid() -> Environment:
    """Ground Truth's Liquid as far as the template needs it: autoescape on, its two filters."""
    env = Environment(autoescape=True)
    env.filters["grant_read_access"] = lambda uri: (
        f"https://signed.example/{uri[5:]}?X-Amz-Signature=ab&x=1"
    )
    env.filters["to_json"] = json.dumps
    return env


def initial_value(page: str) -> dict | None:
    found = re.search(r"initial-value='([^']*)'", page)
    return json.loads(html.unescape(found.group(1))) if found else None
