/** Options of `@codebatch/nx:init` (see schema.json; defaults in INIT_DEFAULTS). */
export interface InitGeneratorSchema {
  storeDir?: string;
  configFile?: string;
  skipFormat?: boolean;
}
