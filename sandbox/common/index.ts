/** Shared simulator infrastructure: seeded randomness, faults, accounting, control routes. */
export * from './rng';
export * from './faults';
export * from './accounting';
export * from './control';
export * from './server';
