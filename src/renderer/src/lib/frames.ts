/** Timers for the feed's pacing, each returning the function that cancels it. */

export function afterDelay(callback: () => void, ms: number): () => void {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
}

/** On the next animation frame; where there are none (no rendering), after 16 ms. */
export function nextFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') return afterDelay(callback, 16);
  const id = requestAnimationFrame(() => {
    callback();
  });
  return () => cancelAnimationFrame(id);
}
