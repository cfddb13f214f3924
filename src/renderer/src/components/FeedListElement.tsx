import { forwardRef, type HTMLAttributes } from 'react';

export interface FeedListContext {
  label: string;
}

type FeedListElementProps = HTMLAttributes<HTMLDivElement> & { context?: FeedListContext };

/**
 * The element that holds a column's rows: an ARIA feed (a list of articles a screen reader can
 * page through), deliberately not a live region: a busy room would never stop talking.
 */
export const FeedListElement = forwardRef<HTMLDivElement, FeedListElementProps>(
  function FeedListElement({ context, ...props }, ref) {
    return <div {...props} ref={ref} role="feed" aria-label={context?.label} />;
  },
);
