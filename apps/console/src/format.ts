import { useTranslation } from 'react-i18next';

// Building an Intl formatter costs far more than using one: a drill-down of 100 agents formats thousands of figures.
const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = NUMBER_FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    NUMBER_FORMATS.set(key, format);
  }
  return format;
}

/** Locale-aware formatting of what the console shows: dates, clock times, durations, percentages, ages. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return {
    dateTime: (iso: string | null | undefined, timeZone?: string | null) =>
      iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso)) : '—',
    number: (value: number | null | undefined, digits = 1) =>
      value === null || value === undefined ? '—' : numberFormat(locale, { maximumFractionDigits: digits }).format(value),
    percent: (share: number | null | undefined) =>
      share === null || share === undefined ? '—' : numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share),
    duration: (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? '—' : clock(seconds)),
    age: (iso: string) => relativeAge(locale, new Date(iso)),
    /** a rule family's name in the current language; its id when the console does not know it */
    family: (family: string | null, ruleId: string) => (family ? i18n.t(`family.${family}`, { defaultValue: family }) : ruleId),
  };
}

/** 75.4 -> "1:15"; 3723 -> "1:02:03" */
export function clock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

function relativeAge(locale: string, at: Date): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = (at.getTime() - Date.now()) / 1000;
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(Math.round(seconds), 'second');
}
