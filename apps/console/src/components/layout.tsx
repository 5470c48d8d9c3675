import { ActionIcon, AppShell, Button, Group, Kbd, Modal, Table, Text, Title } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from './badges.js';
import { NavLink, Outlet } from 'react-router';
import { LanguageSwitch } from './language-switch.js';
import { useSession } from '../session.js';

export function Layout() {
  const { t } = useTranslation();
  const { me, pages, signOut } = useSession();
  const [helpOpen, help] = useDisclosure(false);
  useHotkeys([['shift+?', help.toggle]]);
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
            <Title order={1} size="h4">
              {t('app.name')}
            </Title>
            {/* one line whatever the role: an admin's nine pages used to wrap under the header at 1440 px */}
            <nav aria-label={t('nav.mainNavigation')} style={{ minWidth: 0, overflowX: 'auto' }}>
              <Group gap={4} wrap="nowrap">
                {pages.map((page) => (
                  <Button key={page} component={NavLink} to={`/${page}`} variant="subtle" size="compact-sm" style={{ flexShrink: 0 }}>
                    {t(`nav.${page}`)}
                  </Button>
                ))}
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <LanguageSwitch />
            <ActionIcon variant="default" aria-label={t('nav.shortcuts')} onClick={help.open}>
              ?
            </ActionIcon>
            {me && (
              <Group gap={6} wrap="nowrap">
                <Text size="sm" data-testid="signed-in-as">
                  {me.kind === 'user' ? me.displayName : me.name}
                </Text>
                <ToneBadge tone="indigo">{t(`roles.${me.role}`)}</ToneBadge>
              </Group>
            )}
            <Button variant="default" size="compact-sm" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <ShortcutsHelp opened={helpOpen} onClose={help.close} />
    </AppShell>
  );
}

const SHORTCUTS: [string[], string][] = [
  [['J'], 'shortcuts.next'],
  [['K'], 'shortcuts.previous'],
  [['Enter'], 'shortcuts.open'],
  [['Space'], 'shortcuts.playPause'],
  [['←', '→'], 'shortcuts.skip'],
  [['C'], 'shortcuts.confirm'],
  [['D'], 'shortcuts.dismiss'],
  [['?'], 'shortcuts.help'],
];

function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Table>
        <Table.Tbody>
          {SHORTCUTS.map(([keys, label]) => (
            <Table.Tr key={label}>
              <Table.Td>
                {keys.map((key) => (
                  <Kbd key={key}>{key}</Kbd>
                ))}
              </Table.Td>
              <Table.Td>{t(label)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
