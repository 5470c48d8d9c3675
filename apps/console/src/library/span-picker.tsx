import { Button, Group, Loader, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import { useWaveform } from '../components/waveform-player.js';
import { clock } from '../format.js';

const SPAN_ID = 'span';
const SPAN_COLOUR = 'rgba(76, 110, 245, 0.22)';

/**
 * The call's waveform (from the API's peaks) on which a trainer drags to choose a span; the span can be moved,
 * resized and played. `start`/`end` typed elsewhere move it too.
 */
export function SpanPicker({ callId, start, end, onChange }: { callId: string; start: number; end: number; onChange: (start: number, end: number) => void }) {
  const { t } = useTranslation('desk');
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const plugin = useRef<ReturnType<typeof RegionsPlugin.create> | null>(null);
  const onChangeRef = useRef(onChange);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  const peaks = useWaveform(callId);

  useEffect(() => {
    if (!container.current || !peaks.data) return;
    const regions = RegionsPlugin.create();
    const media = new Audio();
    media.preload = 'metadata';
    media.src = `/v1/calls/${callId}/audio`;
    const ws = WaveSurfer.create({
      container: container.current,
      media,
      peaks: peaks.data.channels,
      duration: peaks.data.durationSeconds,
      height: 64,
      waveColor: '#868e96',
      progressColor: '#495057',
      normalize: true,
      barWidth: 2,
      barGap: 1,
      plugins: [regions],
    });
    const keepOne = (region: Region) => {
      for (const other of regions.getRegions()) if (other !== region) other.remove();
      onChangeRef.current(Math.round(region.start * 10) / 10, Math.round(region.end * 10) / 10);
    };
    regions.enableDragSelection({ color: SPAN_COLOUR, id: SPAN_ID });
    regions.on('region-created', keepOne);
    regions.on('region-updated', keepOne);
    ws.on('ready', () => setReady(true));
    surfer.current = ws;
    plugin.current = regions;
    return () => {
      ws.destroy();
      media.removeAttribute('src');
      surfer.current = null;
      plugin.current = null;
      setReady(false);
    };
  }, [callId, peaks.data]);

  // typed times move the span
  useEffect(() => {
    const regions = plugin.current;
    if (!regions || !ready || !(end > start)) return;
    const current = regions.getRegions()[0];
    if (current && Math.abs(current.start - start) < 0.05 && Math.abs(current.end - end) < 0.05) return;
    regions.clearRegions();
    regions.addRegion({ id: SPAN_ID, start, end, color: SPAN_COLOUR, drag: true, resize: true });
  }, [start, end, ready]);

  if (peaks.error) return <Text c="dimmed" size="sm">{(peaks.error as Error).message}</Text>;
  return (
    <div>
      {!ready && <Loader size="xs" aria-label={t('library.waveformLoading')} />}
      <div ref={container} data-testid="span-waveform" data-ready={ready} style={{ cursor: 'crosshair' }} />
      <Group gap="xs" mt={4}>
        <Button size="compact-xs" variant="default" disabled={!ready} onClick={() => plugin.current?.getRegions()[0]?.play(true)}>
          {t('library.playSpan')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('library.dragHelp', { start: clock(start), end: clock(end) })}
        </Text>
      </Group>
    </div>
  );
}
