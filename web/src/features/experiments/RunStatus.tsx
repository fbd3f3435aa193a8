const TONE: Record<string, string> = { FINISHED: 'ok', RUNNING: 'info', SCHEDULED: 'info', FAILED: 'bad', KILLED: 'warning' };

/** A run's status as a badge; the word itself carries the meaning, the colour only repeats it. */
export function RunStatus(props: { status: string }) {
  return <span className={`badge ${TONE[props.status] ?? 'info'}`}>{props.status.toLowerCase()}</span>;
}
