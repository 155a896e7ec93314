import { KEYMAP } from "../keymap";
import { Dialog } from "./dialog";
import { h } from "./dom";

/** The shortcut overlay (`?`), one row per shortcut of the keymap. */
export function shortcutHelp(): Dialog {
  const dialog = new Dialog("crowdseg-help", "Keyboard shortcuts (while the image has focus)");
  const table = h("table", "crowdseg-shortcuts");
  for (const { keys, action } of KEYMAP) {
    const row = h("tr", "");
    row.append(h("td", "crowdseg-shortcut-keys", keys), h("td", "", action));
    table.append(row);
  }
  dialog.body.append(table);
  return dialog;
}
