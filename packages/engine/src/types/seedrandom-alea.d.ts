// @types/seedrandom types only the package root; lib/alea.js exports the same alea generator.
declare module 'seedrandom/lib/alea.js' {
  import type seedrandom from 'seedrandom';

  const alea: typeof seedrandom.alea;
  export default alea;
}
