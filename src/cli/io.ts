// What a CLI command needs from its process, injectable so tests can run commands in-process.
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress goes to stderr only when it is a terminal. */
  stderrIsTTY: boolean;
  cwd: string;
}

/** A usage or configuration error: printed as one line, exit code 2. */
export class CliError extends Error {}
