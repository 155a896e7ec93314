import { Dialog } from "./dialog";
import { h } from "./dom";

/** Every keyboard shortcut, as shown in the help overlay and the README. */
export const SHORTCUTS: ReadonlyArray<readonly [keys: string, action: string]> = [
  ["1 – 9", "select label 1 – 9 (its latest instance)"],
  ["n", "add an instance of the selected label"],
  ["b / e / p / f", "brush / eraser / polygon / fill bucket"],
  ["[ / ]", "brush size smaller / larger"],
  ["Enter", "close the polygon"],
  ["Backspace", "remove the polygon's last vertex"],
  ["Esc", "cancel the polygon; close this help"],
  ["Ctrl/Cmd + Z", "undo"],
  ["Ctrl/Cmd + Shift + Z, Ctrl + Y", "redo"],
  ["h", "hide / show the selected instance"],
  ["Delete", "delete the selected instance (its pixels become background)"],
  ["o", "outline-only view on / off"],
  ["+ / −, wheel", "zoom in / out (around the pointer)"],
  ["0", "fit the image"],
  ["Shift + 0", "zoom to 100 % (one image pixel per screen pixel)"],
  ["Space + drag, middle drag", "pan"],
  [". / PageDown", "dataset: done with this image, go to the next"],
  [", / PageUp", "dataset: previous image"],
  ["s", "dataset: skip this image"],
  ["?", "this help"],
];

/** The shortcut overlay (`?`), listing `SHORTCUTS`. */
export function shortcutHelp(): Dialog {
  const dialog = new Dialog("crowdseg-help", "Keyboard shortcuts (while the image has focus)");
  const table = h("table", "crowdseg-shortcuts");
  for (const [keys, action] of SHORTCUTS) {
    const row = h("tr", "");
    row.append(h("td", "crowdseg-shortcut-keys", keys), h("td", "", action));
    table.append(row);
  }
  dialog.body.append(table);
  return dialog;
}
