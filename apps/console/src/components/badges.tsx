import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Tone = 'red' | 'orange' | 'yellow' | 'teal' | 'gray' | 'blue' | 'indigo';

// Mantine's light badges put a mid tone on a pale one (about 3.6:1); these darker texts keep WCAG AA's 4.5:1
const TEXT: Record<Tone, string> = {
  red: '#8b1a1a',
  orange: '#8a3a00',
  yellow: '#5f4500',
  teal: '#075046',
  gray: '#343a40',
  blue: '#1c4587',
  indigo: '#2b3a8f',
};

/** A badge whose colour carries meaning and whose text stays readable. */
export function ToneBadge({ tone, filled, children, ...rest }: { tone: Tone; filled?: boolean; children: ReactNode } & Omit<BadgeProps, 'color' | 'variant'> & Record<`data-${string}`, string | number>) {
  return filled ? (
    <Badge color={`${tone}.9`} variant="filled" {...rest}>
      {children}
    </Badge>
  ) : (
    <Badge color={tone} variant="light" c={TEXT[tone]} {...rest}>
      {children}
    </Badge>
  );
}

const SEVERITY_TONE: Record<string, Tone> = { critical: 'red', major: 'orange', minor: 'yellow' };
const STATE_TONE: Record<string, Tone> = { pending: 'gray', confirmed: 'red', dismissed: 'teal' };
const STATUS_TONE: Record<string, Tone> = { queued: 'gray', processing: 'blue', completed: 'teal', failed: 'red' };

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useTranslation();
  return (
    <ToneBadge tone={SEVERITY_TONE[severity] ?? 'gray'} filled={severity === 'critical'}>
      {t(`severity.${severity}`, severity)}
    </ToneBadge>
  );
}

export function ReviewStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <ToneBadge tone={STATE_TONE[state] ?? 'gray'} data-testid="review-state">
      {t(`reviewState.${state}`, state)}
    </ToneBadge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <ToneBadge tone={STATUS_TONE[status] ?? 'gray'}>{t(`status.${status}`, status)}</ToneBadge>;
}
