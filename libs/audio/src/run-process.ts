import { spawn } from 'node:child_process';
import { type AudioToolName, audioToolPath, toolSpawnError } from './audio-tools.js';
import { acquireProcessSlot } from './process-slots.js';

export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

const STDERR_KEEP = 4000;

/**
 * Runs ffmpeg or ffprobe to completion (once a process slot is free), keeping stdout and the tail of stderr; rejects
 * only if it cannot start.
 */
export async function runTool(tool: AudioToolName, args: readonly string[]): Promise<ProcessResult> {
  const release = await acquireProcessSlot();
  try {
    return await runToCompletion(tool, args);
  } finally {
    release();
  }
}

function runToCompletion(tool: AudioToolName, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const command = audioToolPath(tool);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('error', (error) => reject(toolSpawnError(tool, command, error)));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** The last meaningful line of ffmpeg's stderr, which names the problem. */
export function ffmpegReason(stderr: string, fallback: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.length > 0 ? lines.slice(-2).join(' — ') : fallback;
}
