/**
 * Cuts `s` to at most `max` UTF-16 units without splitting a surrogate pair.
 * A cut is never silent: the result ends with `…[truncated N chars]` (within
 * `max`; just `…` when `max` is too small for the marker). Every output shape
 * cuts strings with this one function, so stdout and OTLP show the same text.
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const longest = `…[truncated ${s.length} chars]`.length;
  let end = max >= longest + 1 ? max - longest : Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const cut = s.slice(0, end);
  if (max >= longest + 1) return `${cut}…[truncated ${s.length - end} chars]`;
  return max >= 1 ? cut + '…' : '';
}
