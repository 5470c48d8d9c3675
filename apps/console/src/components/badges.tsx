import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const SEVERITY_COLOUR: Record<string, string> = { critical: 'red', major: 'orange', minor: 'yellow' };
const STATE_COLOUR: Record<string, string> = { pending: 'gray', confirmed: 'red', dismissed: 'teal' };
const STATUS_COLOUR: Record<string, string> = { queued: 'gray', processing: 'blue', completed: 'teal', failed: 'red' };

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useTranslation();
  // filled red on white text passes contrast; light variants for the rest
  return (
    <Badge color={SEVERITY_COLOUR[severity] ?? 'gray'} variant={severity === 'critical' ? 'filled' : 'light'} autoContrast>
      {t(`severity.${severity}`, severity)}
    </Badge>
  );
}

export function ReviewStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOUR[state] ?? 'gray'} variant="outline" data-testid="review-state">
      {t(`reviewState.${state}`, state)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOUR[status] ?? 'gray'} variant="light">
      {t(`status.${status}`, status)}
    </Badge>
  );
}
