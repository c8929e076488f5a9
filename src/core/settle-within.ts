/**
 * Waits for `p` to settle, but at most `ms`: resolves then either way (never
 * rejects; `p`'s value and error are dropped). The timer is unref'd, so a
 * wait never keeps the process alive by itself.
 */
export function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([p.then(() => undefined, () => undefined), deadline]).finally(() => clearTimeout(timer));
}
