import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the analysed workspace's ESLint is installed, read without loading its code. */
export interface EslintInstall {
  /** Absolute path of its package.json. */
  packageJson: string;
  version: string;
}

/**
 * Resolves `eslint` the way the workspace's own `npx eslint` would: from the analysed
 * directory, never from codebatch's own dependencies (a bundled ESLint would lint with rules
 * and plugins the team does not have).
 */
export function findWorkspaceEslint(root: string): EslintInstall | undefined {
  return findWorkspacePackage(root, 'eslint');
}

/** A package's package.json and version as seen from `root`, or undefined when not installed. */
export function findWorkspacePackage(root: string, name: string): EslintInstall | undefined {
  const req = createRequire(path.join(root, '__codebatch__.js'));
  let packageJson: string | undefined;
  try {
    packageJson = req.resolve(`${name}/package.json`);
  } catch {
    try {
      // Packages whose exports map hides package.json: walk up from the entry point.
      let dir = path.dirname(req.resolve(name));
      while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
        dir = path.dirname(dir);
      packageJson = path.join(dir, 'package.json');
    } catch {
      return undefined;
    }
  }
  try {
    const version = (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
    return { packageJson, version: typeof version === 'string' ? version : 'unknown' };
  } catch {
    return undefined;
  }
}
