import { Button, Group, ScrollArea, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, queryString } from '../api.js';
import { Pager } from '../components/pager.js';
import { QueryState } from '../components/query-state.js';
import { type CsvColumn, downloadText, fetchAllPages, toCsv } from './csv.js';
import './i18n.js';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** the CSV value; columns without one (buttons) are left out of the export */
  csv?: (row: T) => string | number | boolean | null | undefined;
}

export interface Paging {
  cursor: string;
  pageNumber: number;
  hasPrevious: boolean;
  nextPage: (cursor: string) => void;
  previousPage: () => void;
}

/**
 * One cursor-paginated API list as a table, with empty, loading and error states and a CSV export of every page
 * (the same filters) in the reader's language.
 */
export function PagedTable<T>({
  path,
  params,
  columns,
  rowKey,
  paging,
  csvName,
  pageSize,
  testId,
  rowProps,
}: {
  path: string;
  params: Record<string, string | undefined>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  paging: Paging;
  csvName: string;
  /** the largest page the endpoint allows, for the export */
  pageSize: number;
  testId: string;
  rowProps?: (row: T) => Record<string, unknown>;
}) {
  const { t } = useTranslation('desk');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const list = useQuery({
    queryKey: [path, params, paging.cursor],
    queryFn: ({ signal }) => api<{ items: T[]; nextCursor?: string | null }>(`${path}${queryString({ ...params, cursor: paging.cursor })}`, { signal }),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const rows = await fetchAllPages<T>(path, params, pageSize);
      const csvColumns: CsvColumn<T>[] = columns.flatMap((c) => (c.csv ? [{ header: c.header, value: c.csv }] : []));
      downloadText(`${csvName}-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(rows, csvColumns));
    } catch (error) {
      setExportError((error as Error).message);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {list.data ? t('table.shown', { count: items.length }) : ''}
        </Text>
        <Button variant="default" size="xs" onClick={() => void exportCsv()} loading={exporting} disabled={items.length === 0} data-testid={`${testId}-csv`}>
          {t('table.exportCsv')}
        </Button>
      </Group>
      {exportError && (
        <Text c="red" size="sm" role="alert">
          {exportError}
        </Text>
      )}
      <QueryState error={list.error} pending={list.isPending} />
      {list.data && items.length === 0 && <Text c="dimmed">{t('table.empty')}</Text>}
      {items.length > 0 && (
        <ScrollArea>
          <Table highlightOnHover verticalSpacing="xs" data-testid={testId} miw={700}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((column, index) => (
                  <Table.Th key={index}>{column.header}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((row) => (
                <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
                  {columns.map((column, index) => (
                    <Table.Td key={index}>{column.cell(row)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <Pager page={paging.pageNumber} hasPrevious={paging.hasPrevious} nextCursor={list.data?.nextCursor} onPrevious={paging.previousPage} onNext={paging.nextPage} />
    </>
  );
}
