// A study's output: printed, and (unless --quick) written to
// bench/results/NAME.md under its title and a note on what it measured, as
// one text block.
import { join } from 'node:path';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';

export function writeStudyResult(name: string, quick: boolean, title: string, about: readonly string[], text: string): void {
  process.stdout.write(text);
  if (quick) return;
  writeFileAtomic(join(new URL('../results/', import.meta.url).pathname, `${name}.md`), [`# ${title}`, '', ...about, '', '```text', text, '```', ''].join('\n'));
}
