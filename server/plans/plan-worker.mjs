// Worker entry: registers tsx so the TypeScript worker loads the same way under `npm start` and under vitest.
import { register } from 'tsx/esm/api';

register();
await import('./plan-worker.ts');
