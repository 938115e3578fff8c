// Input the user must fix (a bad flag value, a malformed file, an unknown
// scenario or device): one line and exit code 2, like a yargs usage error.
// Every reader's and validator's own error class extends it.
export class InputError extends Error {}

/** Runs `f`, turning any error it throws into an InputError. */
export function asInput<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}
