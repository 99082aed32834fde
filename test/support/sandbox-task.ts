// A sandboxed task for the sandbox tests: does what its input asks, including the ways a parser can go wrong.
export default async function misbehave(input: { mode: 'echo' | 'throw' | 'spin' | 'hoard' | 'exit'; value?: unknown }): Promise<unknown> {
  switch (input.mode) {
    case 'echo':
      return { echoed: input.value };
    case 'throw':
      throw new Error('読めませんでした');
    case 'spin':
      for (;;);
    case 'hoard': {
      const kept: unknown[] = [];
      for (;;) kept.push({ a: [1, 2, 3], b: 'x'.repeat(64) + kept.length });
    }
    case 'exit':
      process.exit(3);
  }
}
