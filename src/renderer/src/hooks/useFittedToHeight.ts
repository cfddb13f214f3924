import { useLayoutEffect, useState } from 'react';

/**
 * A number worked out from the element's height (`fit`, a function that does not change), kept up
 * to date as the element resizes; `initial` until its height is known (none without a layout, or
 * without `ResizeObserver`). A list uses it for how many rows fill it.
 */
export function useFittedToHeight(
  element: React.RefObject<HTMLElement | null>,
  initial: number,
  fit: (height: number) => number,
): number {
  const [value, setValue] = useState(initial);
  useLayoutEffect(() => {
    const target = element.current;
    if (!target || typeof ResizeObserver !== 'function') return;
    const measured = (height: number) => {
      if (height > 0) setValue(fit(height));
    };
    measured(target.clientHeight);
    const observer = new ResizeObserver((entries) => {
      measured(entries[entries.length - 1]?.contentRect.height ?? 0);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [element, fit]);
  return value;
}
