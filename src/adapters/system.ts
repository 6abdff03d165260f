// The process environment and the wall clock, as ports.
import type { Clock, Env } from '../ports.js';

export function createEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return { get: (name) => source[name] };
}

export function createClock(): Clock {
  return { now: () => Date.now() };
}
