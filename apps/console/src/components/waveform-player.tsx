import { Alert, Button, Group, Loader, SegmentedControl, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import { api, ApiError } from '../api.js';
import { clock } from '../format.js';

export interface PlayerRegion {
  id: string;
  start: number;
  end: number;
  severity: string;
}

export interface PlayerHandle {
  seek(seconds: number): void;
  /** moves the playhead by this many seconds, back when negative */
  skip(seconds: number): void;
  playPause(): void;
}

const RATES = ['1', '1.25', '1.5', '2'];

const REGION_COLOUR: Record<string, string> = {
  critical: 'rgba(224, 49, 49, 0.16)',
  major: 'rgba(247, 103, 7, 0.14)',
  minor: 'rgba(250, 176, 5, 0.14)',
};

/**
 * The call's recording with its waveform (drawn from peaks the API computed, so nothing is downloaded to draw it),
 * the findings as regions on it, and playback streamed by the browser's audio element with HTTP ranges.
 */
export interface Waveform {
  durationSeconds: number;
  channels: number[][];
}

/** The call's waveform; the call view asks for it beside the call, so neither waits for the other. */
export function useWaveform(callId: string) {
  return useQuery({
    queryKey: ['waveform', callId],
    queryFn: () => api<Waveform>(`/v1/calls/${callId}/waveform`),
    staleTime: Infinity,
    // 409: the muted copy is not made yet (the call is early in the pipeline); it comes within seconds to minutes
    retry: (failures, error) => error instanceof ApiError && error.status === 409 && failures < 60,
    retryDelay: 3000,
  });
}

export const WaveformPlayer = forwardRef<PlayerHandle, { callId: string; regions: PlayerRegion[]; onTime: (seconds: number) => void; onReady?: () => void }>(function WaveformPlayer(
  { callId, regions, onTime, onReady },
  ref,
) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const regionsPlugin = useRef<ReturnType<typeof RegionsPlugin.create> | null>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [ready, setReady] = useState(false);
  const [rate, setRate] = useState('1');
  const onTimeRef = useRef(onTime);
  const onReadyRef = useRef(onReady);
  useEffect(() => {
    onTimeRef.current = onTime;
    onReadyRef.current = onReady;
  });
  const peaks = useWaveform(callId);

  useImperativeHandle(ref, () => ({
    seek(seconds) {
      surfer.current?.setTime(Math.max(0, seconds));
    },
    skip(seconds) {
      const ws = surfer.current;
      if (ws) ws.setTime(Math.min(ws.getDuration(), Math.max(0, ws.getCurrentTime() + seconds)));
    },
    playPause() {
      void surfer.current?.playPause();
    },
  }));

  useEffect(() => {
    if (!container.current || !peaks.data) return;
    const plugin = RegionsPlugin.create();
    const media = new Audio();
    media.preload = 'metadata';
    media.src = `/v1/calls/${callId}/audio`;
    const ws = WaveSurfer.create({
      container: container.current,
      media,
      peaks: peaks.data.channels,
      duration: peaks.data.durationSeconds,
      height: peaks.data.channels.length > 1 ? 56 : 96,
      splitChannels: peaks.data.channels.length > 1 ? [{ waveColor: '#4c6ef5', progressColor: '#364fc7' }, { waveColor: '#12b886', progressColor: '#087f5b' }] : undefined,
      waveColor: '#4c6ef5',
      progressColor: '#364fc7',
      normalize: true,
      barWidth: 2,
      barGap: 1,
      dragToSeek: true,
      plugins: [plugin],
    });
    ws.on('timeupdate', (seconds) => {
      setTime(seconds);
      onTimeRef.current(seconds);
    });
    ws.on('play', () => setPlaying(true));
    ws.on('pause', () => setPlaying(false));
    ws.on('ready', () => {
      setReady(true);
      onReadyRef.current?.();
    });
    surfer.current = ws;
    regionsPlugin.current = plugin;
    return () => {
      ws.destroy();
      media.removeAttribute('src');
      surfer.current = null;
      regionsPlugin.current = null;
      setReady(false);
    };
  }, [callId, peaks.data]);

  useEffect(() => {
    const plugin = regionsPlugin.current;
    if (!plugin || !ready) return;
    plugin.clearRegions();
    for (const region of regions) {
      plugin.addRegion({ id: region.id, start: region.start, end: Math.max(region.end, region.start + 0.3), color: REGION_COLOUR[region.severity] ?? REGION_COLOUR.minor, drag: false, resize: false });
    }
  }, [regions, ready]);

  if (peaks.error) return <Alert color="gray">{t('call.noAudio', { message: (peaks.error as Error).message })}</Alert>;
  return (
    <div>
      {!ready && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('call.waveformLoading')}</Text>
        </Group>
      )}
      <div ref={container} className="waveform" data-testid="waveform" data-ready={ready} />
      <Group gap="sm" mt="xs">
        <Button size="xs" onClick={() => void surfer.current?.playPause()} disabled={!ready} data-testid="play">
          {playing ? t('call.pause') : t('call.play')}
        </Button>
        <Text size="sm" ff="monospace" data-testid="current-time" data-seconds={time.toFixed(2)}>
          {clock(time)} / {clock(peaks.data?.durationSeconds ?? 0)}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label={t('call.speed')}
          data={RATES.map((value) => ({ value, label: `${value}×` }))}
          value={rate}
          onChange={(value) => {
            setRate(value);
            surfer.current?.setPlaybackRate(Number(value), true);
          }}
          data-testid="speed"
          data-rate={rate}
        />
      </Group>
    </div>
  );
});
