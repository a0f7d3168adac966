/** Root jest config: one project per package and per e2e suite, so `npx jest` runs everything. */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.{js,cjs}', '<rootDir>/e2e/*/jest.config.{js,cjs}'],
};
