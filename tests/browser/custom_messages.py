"""Custom messages (`model.send` ⇄ the widget's `on_msg` / `send`) on the harness page.

The harness's fake model records `send()` only; `bridge_messages(h)` makes it
deliver: the page's `model.send(content, callbacks, buffers)` runs the real
widget's `_handle_custom_msg(content, buffers)` in Python, and what the
widget `send`s meanwhile comes back to the page as "msg:custom" events
(binary buffers as `DataView`s, as in JupyterLab), after the call, in order,
never inside it. `hold_replies(page)` keeps replies back until
`release_replies(page)`, so a test can make a reply late on purpose.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from playwright.sync_api import Page

from .harness import Harness

BRIDGE_JS = """() => {
  const model = window.__crowdseg.model;
  const toBase64 = (b) => {
    const v = b instanceof ArrayBuffer
      ? new Uint8Array(b)
      : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    let s = '';
    for (let i = 0; i < v.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, v.subarray(i, i + 0x8000));
    }
    return btoa(s);
  };
  const toView = (s) => {
    const raw = atob(s);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new DataView(bytes.buffer);
  };
  window.__held = null;
  const deliver = (replies) => {
    for (const r of replies) model.emit('msg:custom', r.content, r.buffers.map(toView));
  };
  window.__releaseReplies = () => {
    const held = window.__held ?? [];
    window.__held = null;
    deliver(held);
  };
  model.send = (content, callbacks, buffers) => {
    model.messages.push({ content, buffers: buffers?.length ?? 0 });
    const message = JSON.stringify({ content, buffers: (buffers ?? []).map(toBase64) });
    window.__crowdsegMessage(message).then(
      (json) => {
        const replies = JSON.parse(json);
        if (window.__held !== null) window.__held.push(...replies);
        else deliver(replies);
      },
      (err) => window.__errors.push(String(err)),
    );
  };
}"""


def bridge_messages(h: Harness) -> list[dict[str, Any]]:
    """Deliver custom messages between the page and `h.widget`; returns the list of
    every message the page sent (their contents), in order."""
    received: list[dict[str, Any]] = []
    replies: list[tuple[Any, list[bytes]]] = []

    def send(content: Any, buffers: Any = None) -> None:
        replies.append((content, [bytes(b) for b in buffers or []]))

    def on_message(message_json: str) -> str:
        message = json.loads(message_json)
        received.append(message["content"])
        start = len(replies)
        buffers = [base64.b64decode(b) for b in message["buffers"]]
        h.widget._handle_custom_msg(message["content"], buffers)
        out = [
            {"content": c, "buffers": [base64.b64encode(b).decode("ascii") for b in bs]}
            for c, bs in replies[start:]
        ]
        return json.dumps(out)

    h.widget.send = send
    h.page.expose_function("__crowdsegMessage", on_message)
    h.page.evaluate(BRIDGE_JS)
    return received


def hold_replies(page: Page) -> None:
    """Keep Python's replies back on the page until `release_replies`."""
    page.evaluate("window.__held = []")


def release_replies(page: Page) -> int:
    """Deliver the replies held back, in order; how many there were."""
    return int(
        page.evaluate(
            "(() => { const n = window.__held.length; window.__releaseReplies(); return n; })()"
        )
    )
