import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export type AudioToolName = 'ffmpeg' | 'ffprobe';

/** Where a tool's binary came from: a setting (FFMPEG_PATH/FFPROBE_PATH), the system PATH, or the npm package. */
export type AudioToolSource = 'setting' | 'path' | 'npm';

export interface ResolvedAudioTool {
  path: string;
  source: AudioToolSource;
}

export type AudioTools = Record<AudioToolName, ResolvedAudioTool>;

const SETTING: Record<AudioToolName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const NPM_PACKAGE: Record<AudioToolName, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };

/**
 * A tool Earshot needs cannot be run on this machine. It is the environment's fault, not the call's: retrying the
 * call cannot help, and the message says how to fix it.
 */
export class AudioToolMissingError extends Error {
  override readonly name = 'AudioToolMissingError';
  readonly permanent = true;

  constructor(
    readonly tool: AudioToolName,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${tool} cannot be run (${path}: ${reason}); install ${tool} on the PATH (Debian: apt-get install -y ffmpeg), ` +
        `set ${SETTING[tool]} to an executable, or run npm install so ${NPM_PACKAGE[tool]} is present`,
      options,
    );
  }
}

/**
 * Picks each tool's binary: the setting when given, else the first executable of that name on `searchPath`,
 * else the static binary shipped inside the npm package (made executable if npm skipped its chmod).
 * Throws AudioToolMissingError when none exists.
 */
export function resolveAudioTools(settings: { ffmpegPath?: string; ffprobePath?: string }, searchPath: string): AudioTools {
  return {
    ffmpeg: resolveTool('ffmpeg', settings.ffmpegPath, searchPath),
    ffprobe: resolveTool('ffprobe', settings.ffprobePath, searchPath),
  };
}

function resolveTool(tool: AudioToolName, setting: string | undefined, searchPath: string): ResolvedAudioTool {
  if (setting) return { path: setting, source: 'setting' };
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, tool);
    if (isExecutableFile(candidate)) return { path: candidate, source: 'path' };
  }
  const shipped = packagedBinary(tool);
  if (!shipped) throw new AudioToolMissingError(tool, tool, `not on the PATH and ${NPM_PACKAGE[tool]} is not installed`);
  if (!isExecutableFile(shipped)) {
    // npm blocks these packages' postinstall, which only runs chmod +x
    try {
      chmodSync(shipped, 0o755);
    } catch (error) {
      throw new AudioToolMissingError(tool, shipped, `not executable and chmod failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return { path: shipped, source: 'npm' };
}

function packagedBinary(tool: AudioToolName): string | null {
  try {
    const installer = createRequire(import.meta.url)(NPM_PACKAGE[tool]) as { path?: string };
    return installer.path && isFile(installer.path) ? installer.path : null;
  } catch {
    // the package has no build for this platform, or is not installed
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutableFile(path: string): boolean {
  if (!isFile(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Until a composition root calls useAudioTools, the tools are looked up on the PATH by name, as spawn does.
let current: Record<AudioToolName, string> = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

/** Every ffmpeg/ffprobe spawn in Earshot runs these binaries from now on. */
export function useAudioTools(tools: AudioTools): void {
  current = { ffmpeg: tools.ffmpeg.path, ffprobe: tools.ffprobe.path };
}

/** The binary to spawn for a tool. */
export function audioToolPath(tool: AudioToolName): string {
  return current[tool];
}

/** Turns spawn's "cannot start" error into AudioToolMissingError (ENOENT, EACCES); other errors pass through. */
export function toolSpawnError(tool: AudioToolName, path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES') return new AudioToolMissingError(tool, path, code === 'ENOENT' ? 'not found' : 'permission denied', { cause: error });
  return error;
}
