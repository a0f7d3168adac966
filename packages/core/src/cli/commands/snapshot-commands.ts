/** The snapshot command family, gathered so the registry needs one import line. */
export { snapshotCommand } from './snapshot';
export { snapshotListCommand } from './snapshot-list';
export { snapshotShowCommand } from './snapshot-show';
