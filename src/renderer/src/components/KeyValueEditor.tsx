import { useTranslation } from 'react-i18next';

export interface KeyValue {
  id: number;
  key: string;
  value: string;
}

interface KeyValueEditorProps {
  legend: string;
  rows: KeyValue[];
  onChange: (rows: KeyValue[]) => void;
}

let rowId = 0;

/** A new, empty key–value row. */
export function emptyKeyValue(): KeyValue {
  rowId += 1;
  return { id: rowId, key: '', value: '' };
}

/** The rows as an object; rows without a key are left out. Null when a key is used twice. */
export function keyValueData(rows: readonly KeyValue[]): Record<string, string> | null {
  const data: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '') continue;
    if (Object.hasOwn(data, key)) return null;
    data[key] = row.value;
  }
  return data;
}

/** Key–value data for an admin message: add, edit and remove rows. */
export function KeyValueEditor({ legend, rows, onChange }: KeyValueEditorProps) {
  const { t } = useTranslation();
  const duplicate = keyValueData(rows) === null;

  function update(id: number, change: Partial<KeyValue>): void {
    onChange(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  }

  return (
    <fieldset className="key-values">
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div key={row.id} className="key-value">
          <input
            type="text"
            aria-label={t('composer.dataKey', { index: index + 1 })}
            placeholder={t('composer.dataKeyHint')}
            value={row.key}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update(row.id, { key: event.target.value })}
          />
          <input
            type="text"
            aria-label={t('composer.dataValue', { index: index + 1 })}
            placeholder={t('composer.dataValueHint')}
            value={row.value}
            autoComplete="off"
            onChange={(event) => update(row.id, { value: event.target.value })}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={t('composer.dataRemove', { index: index + 1 })}
            onClick={() => onChange(rows.filter((other) => other.id !== row.id))}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      ))}
      {duplicate ? (
        <p className="form-error" role="alert">
          {t('composer.dataDuplicate')}
        </p>
      ) : null}
      <button type="button" onClick={() => onChange([...rows, emptyKeyValue()])}>
        {t('composer.dataAdd')}
      </button>
    </fieldset>
  );
}
