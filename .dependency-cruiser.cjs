/**
 * Layering rules (run: npm run depcheck).
 * core/ is pure domain logic: no I/O, no platform, nothing but zod.
 * bot/ orchestrates core through ports; adapters/ and storage/ implement them
 * and know nothing of each other; only main.ts wires everything together.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

module.exports = {
  forbidden: [
    {
      name: 'core-is-innermost',
      comment: 'core/ may not import bot/, adapters/, storage/ or main.ts.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(bot|adapters|storage)/|^main\\.ts$' },
    },
    {
      name: 'core-only-zod',
      comment: 'core/ may use no npm package except zod.',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: NPM, pathNot: '^node_modules/zod/' },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'core/ may not use Node built-ins (fs, node:fs, net, ...): it stays pure and testable.',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-unresolvable',
      comment: 'core/ may not import what cannot be resolved (an uninstalled package would slip past core-only-zod).',
      severity: 'error',
      from: { path: '^core/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'bot-not-to-outer',
      comment: 'bot/ may not import adapters/, storage/ or main.ts: it sees them only through ports.',
      severity: 'error',
      from: { path: '^bot/' },
      to: { path: '^(adapters|storage)/|^main\\.ts$' },
    },
    {
      name: 'storage-not-to-adapters',
      comment: 'storage/ may not import adapters/ or main.ts.',
      severity: 'error',
      from: { path: '^storage/' },
      to: { path: '^adapters/|^main\\.ts$' },
    },
    {
      name: 'adapters-not-to-storage',
      comment: 'adapters/ may not import storage/ or main.ts.',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^storage/|^main\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No circular dependencies anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
    },
  },
};
