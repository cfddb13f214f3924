/** Timers for the feed's pacing, each returning the function that cancels it. */

export function afterDelay(callback: () => void, ms: number): () => void {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
}

/**
 * On the next animation frame, with the time the frame began (on `performance.now()`'s clock);
 * where there are none (no rendering), after 16 ms, with the time then.
 */
export function nextFrame(callback: (frameStart: number) => void): () => void {
  if (typeof requestAnimationFrame !== 'function') {
    return afterDelay(() => callback(performance.now()), 16);
  }
  const id = requestAnimationFrame((frameStart) => {
    callback(frameStart);
  });
  return () => cancelAnimationFrame(id);
}
