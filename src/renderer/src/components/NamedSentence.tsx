import { Fragment } from 'react';
import { displayName } from '../../../shared/displayName';
import { NAME_SLOT } from '../lib/names';

interface NamedSentenceProps {
  /** A translated sentence with `NAME_SLOT` where the name goes. */
  sentence: string;
  name: string;
}

/** A sentence about a chatter: their name without bidi controls, isolated from the words around. */
export function NamedSentence({ sentence, name }: NamedSentenceProps) {
  const shown = displayName(name);
  return (
    <>
      {sentence.split(NAME_SLOT).map((piece, index) => (
        <Fragment key={index}>
          {index > 0 ? <bdi>{shown}</bdi> : null}
          {piece}
        </Fragment>
      ))}
    </>
  );
}
