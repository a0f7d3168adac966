/** Root jest config: one project per package so `npx jest` runs everything. */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.js'],
};
