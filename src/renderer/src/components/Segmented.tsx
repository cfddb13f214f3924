interface SegmentedProps<T extends string> {
  legend: string;
  /** The radio group's name, unique in the page. */
  name: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  label: (value: T) => string;
}

/** A choice of one among a few, as a row of radio buttons under a legend. */
export function Segmented<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  label,
}: SegmentedProps<T>) {
  return (
    <fieldset className="segmented">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option}>
          <input
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          {label(option)}
        </label>
      ))}
    </fieldset>
  );
}
