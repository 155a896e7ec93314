/**
 * A label the labeler typed, checked by the rules Python's `labels` applies
 * (`parse_labels`): some visible character, plain text (no control
 * characters, no lone surrogates), and not a label already there once both
 * are NFC-normalised and stripped of spaces.
 */

/** What makes two labels the same (Python's `label_key`). */
export function labelKey(label: string): string {
  return label.normalize("NFC").trim();
}

/** The label to add (`typed`, normalised and trimmed), or why it is refused. */
export function checkNewLabel(typed: string, labels: readonly string[]): { label: string } | { problem: string } {
  const label = labelKey(typed);
  if (label === "") return { problem: "Type a label first: an empty label cannot name anything." };
  if (/\p{Cc}/u.test(label)) return { problem: "A label is plain text: it cannot hold a control character (a tab, a line break)." };
  if (/\p{Cs}/u.test(label)) return { problem: "That label holds a broken character (a lone surrogate); type it again." };
  if (/^[\s\p{Cf}]*$/u.test(label)) return { problem: "That label has no visible character." };
  const same = labels.find((existing) => labelKey(existing) === label);
  if (same !== undefined) return { problem: `"${same}" is already a label.` };
  return { label };
}
