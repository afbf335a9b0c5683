// Exclude globs: the matcher lives in ../paths/glob (one implementation for excludes and area
// patterns, linear in the path); these names stay for the scanner, tracker and monitor.
export { matchesAnyGlob, matchesGlob } from '../paths/glob';
