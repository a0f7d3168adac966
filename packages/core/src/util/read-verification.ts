/**
 * Whether reads of stored content are verified (the default, always in normal use). The
 * benchmark alone turns it off, through CODEBATCH_BENCH_SKIP_READ_VERIFY=1, to measure what
 * verification costs side by side with not doing it (`npm run bench -- --only verify`).
 */
export function verifiesReads(): boolean {
  return process.env.CODEBATCH_BENCH_SKIP_READ_VERIFY !== '1';
}
