/** The call is queued or in a stage: a second run beside the first would race it (409). */
export class CallInPipelineError extends Error {
  constructor(
    readonly callId: string,
    readonly status: string,
    readonly currentStage: string | null,
  ) {
    super(`call ${callId} is ${status}${currentStage ? ` (in ${currentStage})` : ''}: wait until it is completed or failed, then try again`);
    this.name = 'CallInPipelineError';
  }
}

/** A re-run from a stage whose inputs the call never produced (it failed before that stage) (409). */
export class StageInputsMissingError extends Error {
  constructor(
    readonly callId: string,
    readonly fromStage: string,
    readonly failedStage: string,
  ) {
    super(`call ${callId} failed in ${failedStage}, so ${fromStage} has nothing to work on: re-run from ${failedStage} or earlier`);
    this.name = 'StageInputsMissingError';
  }
}
