// `npm run lint:circles`: no import circles between Parley's modules, type-only imports included
// (they tie modules together just the same, and the way out is the same: a leaf module both import).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Move what both modules need into a leaf module that each can import.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
