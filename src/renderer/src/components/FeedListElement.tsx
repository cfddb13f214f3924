import { forwardRef, useLayoutEffect, type HTMLAttributes } from 'react';

export interface FeedListContext {
  label: string;
  /** Called once the virtualised list shows its rows (it hides them until its first position). */
  onShown?: () => void;
}

type FeedListElementProps = HTMLAttributes<HTMLDivElement> & { context?: FeedListContext };

/**
 * The element that holds a column's rows: an ARIA feed (a list of articles a screen reader can
 * page through), deliberately not a live region: a busy room would never stop talking.
 */
export const FeedListElement = forwardRef<HTMLDivElement, FeedListElementProps>(
  function FeedListElement({ context, ...props }, ref) {
    const shown = props.style?.visibility !== 'hidden';
    const onShown = context?.onShown;
    useLayoutEffect(() => {
      if (shown) onShown?.();
    }, [shown, onShown]);
    return <div {...props} ref={ref} role="feed" aria-label={context?.label} />;
  },
);
