import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import '../desk/i18n.js';
import { AuditTab } from './audit-tab.js';
import { CallComplianceTab } from './call-compliance-tab.js';
import { CriticalTab } from './critical-tab.js';
import { DeliveriesTab } from './deliveries-tab.js';
import { OptOutsTab } from './opt-outs-tab.js';
import { RetentionTab } from './retention-tab.js';

const TABS = ['opt-outs', 'deliveries', 'critical', 'audit', 'retention'] as const;

/** The compliance desk (compliance, admin): one route per tab, so every view is a link. */
export default function ComplianceSection() {
  const { t } = useTranslation('desk');
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'opt-outs';
  return (
    <Stack>
      <Title order={2}>{t('compliance.title')}</Title>
      <Tabs value={current} onChange={(value) => value && navigate(`/compliance/${value}`)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {t(`compliance.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route path="opt-outs" element={<OptOutsTab />} />
        <Route path="deliveries" element={<DeliveriesTab />} />
        <Route path="critical" element={<CriticalTab />} />
        <Route path="audit" element={<AuditTab />} />
        <Route path="retention" element={<RetentionTab />} />
        <Route path="calls/:id" element={<CallComplianceTab />} />
        <Route path="*" element={<Navigate to="opt-outs" replace />} />
      </Routes>
    </Stack>
  );
}
