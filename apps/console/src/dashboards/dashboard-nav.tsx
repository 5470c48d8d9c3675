import { Anchor, Group, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';

const VIEWS = [
  ['/dashboards', 'dash.views.drillDown'],
  ['/dashboards/trends', 'dash.views.trends'],
  ['/dashboards/rankings', 'dash.views.rankings'],
  ['/alerts', 'dash.views.alerts'],
] as const;

/** The title and the links between the dashboard views; the period and campaign travel with them. */
export function DashboardHeader({ title }: { title: string }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  const carry = new URLSearchParams(search);
  const keep = new URLSearchParams();
  for (const key of ['from', 'to', 'campaign']) if (carry.get(key)) keep.set(key, carry.get(key) as string);
  const suffix = keep.toString() ? `?${keep.toString()}` : '';
  return (
    <Group justify="space-between" mb="sm" wrap="wrap">
      <Title order={2} size="h3">
        {title}
      </Title>
      <Group gap="md" component="nav" aria-label={t('dash.viewsNav')}>
        {VIEWS.map(([path, label]) => (
          <Anchor key={path} component={NavLink} to={`${path}${path === '/alerts' ? '' : suffix}`} end size="sm">
            {t(label)}
          </Anchor>
        ))}
      </Group>
    </Group>
  );
}
